// One error type for everything a user can see. `code` is a stable string (SYNTAX_ERROR,
// BINDER_ERROR, ...), `position` the 1-based line and column in the SQL text where known.
// Messages say what went wrong and, where we can tell, how to fix it. Never a stack trace.

export type ErrorCode =
  | 'SYNTAX_ERROR'
  | 'BINDER_ERROR'
  | 'TYPE_ERROR'
  | 'CONVERSION_ERROR'
  | 'OVERFLOW_ERROR'
  | 'CONSTRAINT_ERROR'
  | 'CATALOG_ERROR'
  | 'IO_ERROR'
  | 'INVALID_INPUT'
  | 'NOT_SUPPORTED'
  | 'CANCELLED'
  | 'OUT_OF_MEMORY'
  | 'TRANSACTION_ERROR'
  | 'INTERNAL_ERROR';

export interface SourcePosition {
  line: number;
  column: number;
}

export class QuiverError extends Error {
  readonly code: ErrorCode;
  position?: SourcePosition;

  constructor(code: ErrorCode, message: string, position?: SourcePosition) {
    super(message);
    this.name = 'QuiverError';
    this.code = code;
    if (position) this.position = position;
  }

  /** The user-facing text: message plus where it happened. */
  describe(): string {
    return this.position ? `${this.message} (line ${this.position.line}, column ${this.position.column})` : this.message;
  }

  toJSON(): { code: string; message: string; position?: SourcePosition } {
    return this.position
      ? { code: this.code, message: this.message, position: this.position }
      : { code: this.code, message: this.message };
  }
}

/** Wraps anything thrown into a QuiverError; an unexpected error becomes INTERNAL_ERROR. */
export function toQuiverError(e: unknown): QuiverError {
  if (e instanceof QuiverError) return e;
  if (e instanceof RangeError && /Invalid array length|Array buffer allocation failed/.test(e.message)) {
    return new QuiverError('INTERNAL_ERROR', `out of memory: ${e.message}`);
  }
  const message = e instanceof Error ? e.message : String(e);
  return new QuiverError('INTERNAL_ERROR', `internal error: ${message}`);
}

export const syntaxError = (msg: string, pos?: SourcePosition) => new QuiverError('SYNTAX_ERROR', msg, pos);
export const binderError = (msg: string, pos?: SourcePosition) => new QuiverError('BINDER_ERROR', msg, pos);
export const typeError = (msg: string, pos?: SourcePosition) => new QuiverError('TYPE_ERROR', msg, pos);
export const conversionError = (msg: string) => new QuiverError('CONVERSION_ERROR', msg);
export const overflowError = (msg: string) => new QuiverError('OVERFLOW_ERROR', msg);
export const catalogError = (msg: string, pos?: SourcePosition) => new QuiverError('CATALOG_ERROR', msg, pos);
export const notSupported = (msg: string, pos?: SourcePosition) => new QuiverError('NOT_SUPPORTED', msg, pos);
export const internalError = (msg: string) => new QuiverError('INTERNAL_ERROR', msg);
