// Name scopes for binding: the relations visible in a FROM clause, with their columns, and
// the enclosing query's scope for correlated references. Column ids are statement-wide, so
// a reference to an outer query's column is an ordinary colref; the optimizer finds it free.

import { binderError } from '../../common/errors.js';
import type { Pos } from '../ast.js';
import type { LExpr, OutputColumn } from '../logical/plan.js';

export interface Relation {
  /** The name the relation is referred to by (alias, or table name). */
  name: string;
  columns: OutputColumn[];
}

export class Scope {
  readonly relations: Relation[] = [];
  /** USING / NATURAL join columns: the merged column a bare name resolves to. */
  readonly merged = new Map<string, LExpr>();
  /** Columns hidden from `*` (the right-hand duplicates of USING columns). */
  readonly hiddenFromStar = new Set<number>();

  constructor(readonly parent: Scope | null) {}

  add(rel: Relation, pos?: Pos): void {
    if (this.relations.some((r) => r.name === rel.name)) {
      throw binderError(`table name "${rel.name}" specified more than once; give one of them an alias`, pos);
    }
    this.relations.push(rel);
  }

  /** All columns in FROM order (for `*`). */
  allColumns(): OutputColumn[] {
    return this.relations.flatMap((r) => r.columns).filter((c) => !this.hiddenFromStar.has(c.id));
  }

  /** Resolves a (possibly qualified) column name here or in an enclosing scope. */
  resolve(parts: string[], pos?: Pos): LExpr {
    const found = this.resolveAnywhere(parts, pos);
    if (found !== null) return found;
    const name = parts.join('.');
    const hint = this.suggest(parts[parts.length - 1]!);
    throw binderError(`column "${name}" does not exist${hint}`, pos);
  }

  private resolveAnywhere(parts: string[], pos?: Pos): LExpr | null {
    return this.resolveLocal(parts, pos) ?? this.parent?.resolveAnywhere(parts, pos) ?? null;
  }

  /** Resolves in this scope only; null when absent. */
  resolveLocal(parts: string[], pos?: Pos): LExpr | null {
    const colName = parts[parts.length - 1]!;
    if (parts.length === 1) {
      const m = this.merged.get(colName);
      if (m !== undefined) {
        // Another table's column of the same name (not part of the USING merge) makes it ambiguous.
        for (const r of this.relations) {
          for (const c of r.columns) {
            if (c.name === colName && !this.hiddenFromStar.has(c.id)) {
              throw binderError(`column reference "${colName}" is ambiguous; qualify it with a table name`, pos);
            }
          }
        }
        return m;
      }
      let hit: OutputColumn | null = null;
      for (const r of this.relations) {
        for (const c of r.columns) {
          if (c.name !== colName) continue;
          if (hit !== null && hit.id !== c.id) throw binderError(`column reference "${colName}" is ambiguous; qualify it with a table name`, pos);
          hit = c;
        }
      }
      return hit === null ? null : { kind: 'colref', id: hit.id, type: hit.type, name: hit.name };
    }
    const relName = parts[parts.length - 2]!;
    const rel = this.relations.find((r) => r.name === relName);
    if (rel === undefined) return null;
    const c = rel.columns.find((x) => x.name === colName);
    if (c === undefined) throw binderError(`column "${colName}" does not exist in "${relName}"${this.suggest(colName, rel)}`, pos);
    return { kind: 'colref', id: c.id, type: c.type, name: c.name };
  }

  /** Whether a column id belongs to this scope's relations (not to an enclosing query). */
  ownsId(id: number): boolean {
    return this.relations.some((r) => r.columns.some((c) => c.id === id));
  }

  hasRelation(name: string): boolean {
    return this.relations.some((r) => r.name === name);
  }

  private suggest(name: string, only?: Relation): string {
    const names = (only ? [only] : this.relations).flatMap((r) => r.columns.map((c) => c.name));
    const close = names.find((n) => n.toLowerCase() === name.toLowerCase() && n !== name);
    if (close !== undefined) return `; did you mean "${close}"? (quoted names are case-sensitive)`;
    return names.length > 0 && names.length <= 12 ? `; available columns: ${[...new Set(names)].join(', ')}` : '';
  }
}
