// A test-only, in-memory file system (file-system.ts) that knows what has been made durable.
// Each file keeps its contents as last fsynced plus the writes since; each directory keeps its
// entries as of its last directory fsync plus the creates, renames and unlinks since. `crash()`
// throws away everything not yet durable, exactly as a power cut may (DESIGN.md, "How it is
// tested": a file layer that forgets every write not fsynced checks the fsync discipline).
//
// Two ways to crash:
// - `crash()` forgets every unsynced change (the strict POSIX reading);
// - `crash({ random })` keeps a random part of them, as a disk writing back its cache in any
//   order would: each unsynced write to a file survives whole, not at all, or only its first
//   bytes (a torn write); each directory keeps a random prefix of its unsynced entry changes.
// `crashAfter(n)` lets n more operations run and crashes at the next one; from then on every
// operation fails with SimulatedCrash (the process is dead) until `restart()`.
//
// Cross-directory renames are two independent changes (leave the source, enter the target), so
// they need both directories synced; that is stricter than a journaling file system, as POSIX is.

import { posix } from 'node:path';
import { type FileHandle, type FileStat, type FileSystem, FileSystemError, type OpenMode } from './file-system.js';

/** Thrown by every operation of a file system whose simulated process has crashed. */
export class SimulatedCrash extends Error {
  constructor() {
    super('simulated crash: the process died before this operation');
    this.name = 'SimulatedCrash';
  }
}

export interface CrashOptions {
  /** When given, unsynced changes survive at random (a torn crash); values in [0, 1). */
  random?: () => number;
}

export interface ForgetfulOptions {
  /** Awaited inside every fsync (file or directory) before it takes effect, to make fsyncs slow
   *  the way real disks are; a crash while it is pending means the fsync never happened. */
  syncDelay?: () => Promise<void>;
}

/** Operation counts, so tests can check how many fsyncs a component issues. */
export interface ForgetfulStats {
  fileSyncs: number;
  directorySyncs: number;
  writes: number;
  bytesWritten: number;
  renames: number;
  unlinks: number;
}

/** The operations `injectError` can make fail. */
export type FileOperation = 'open' | 'read' | 'write' | 'truncate' | 'sync' | 'close' | 'syncDirectory' | 'rename' | 'unlink' | 'mkdir' | 'rmdir' | 'readdir' | 'stat';

/** A growable byte array. */
class Bytes {
  data: Uint8Array;
  length: number;

  constructor(capacity = 0) {
    this.data = new Uint8Array(capacity);
    this.length = 0;
  }

  write(position: number, src: Uint8Array): void {
    if (src.length === 0) return; // as pwrite: writing nothing does not extend the file
    const end = position + src.length;
    if (end > this.data.length) {
      const grown = new Uint8Array(Math.max(end, this.data.length * 2, 64));
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    }
    // A write past the end leaves a gap that reads as zeros.
    if (position > this.length) this.data.fill(0, this.length, position);
    this.data.set(src, position);
    if (end > this.length) this.length = end;
  }

  truncate(length: number): void {
    if (length > this.data.length) {
      const grown = new Uint8Array(length);
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    } else if (length > this.length) {
      this.data.fill(0, this.length, length);
    }
    this.length = length;
  }

  copy(): Bytes {
    const b = new Bytes(this.length);
    b.data.set(this.data.subarray(0, this.length));
    b.length = this.length;
    return b;
  }

  view(): Uint8Array {
    return this.data.subarray(0, this.length);
  }
}

type FileChange = { kind: 'write'; position: number; bytes: Uint8Array } | { kind: 'truncate'; length: number };
type EntryChange =
  | { kind: 'set'; name: string; node: Node }
  | { kind: 'delete'; name: string }
  | { kind: 'rename'; from: string; to: string; node: Node };

interface FileNode {
  kind: 'file';
  /** What reads see. */
  current: Bytes;
  /** What survives a crash: the contents as of the last fsync. */
  durable: Bytes;
  /** Changes since the last fsync, in order (current = durable + pending). */
  pending: FileChange[];
}

interface DirectoryNode {
  kind: 'directory';
  entries: Map<string, Node>;
  durable: Map<string, Node>;
  pending: EntryChange[];
}

type Node = FileNode | DirectoryNode;

function newFile(): FileNode {
  return { kind: 'file', current: new Bytes(), durable: new Bytes(), pending: [] };
}

function newDirectory(): DirectoryNode {
  return { kind: 'directory', entries: new Map(), durable: new Map(), pending: [] };
}

function applyFileChange(target: Bytes, change: FileChange): void {
  if (change.kind === 'write') target.write(change.position, change.bytes);
  else target.truncate(change.length);
}

function applyEntryChange(target: Map<string, Node>, change: EntryChange): void {
  if (change.kind === 'set') target.set(change.name, change.node);
  else if (change.kind === 'delete') target.delete(change.name);
  else {
    target.delete(change.from);
    target.set(change.to, change.node);
  }
}

export class ForgetfulFileSystem implements FileSystem {
  readonly stats: ForgetfulStats = { fileSyncs: 0, directorySyncs: 0, writes: 0, bytesWritten: 0, renames: 0, unlinks: 0 };
  private root: DirectoryNode = newDirectory();
  private readonly syncDelay: (() => Promise<void>) | undefined;
  /** Operations started so far. */
  private steps = 0;
  private crashAtStep: number | null = null;
  private crashOptions: CrashOptions = {};
  private dead = false;
  /** Bumped by every crash; handles opened before it are dead. */
  private epoch = 0;
  private readonly injected = new Map<FileOperation, string[]>();

  constructor(options: ForgetfulOptions = {}) {
    this.syncDelay = options.syncDelay;
  }

  /** Operations started so far (each file-system or handle call is one). */
  get operationCount(): number {
    return this.steps;
  }

  /** True after a `crashAfter` crash, until `restart()`. */
  get crashed(): boolean {
    return this.dead;
  }

  /** Lets `operations` more operations run, then crashes at the next one (which does not happen). */
  crashAfter(operations: number, options: CrashOptions = {}): void {
    this.crashAtStep = this.steps + operations;
    this.crashOptions = options;
  }

  /** Starts a new "process" after a `crashAfter` crash: operations work again. */
  restart(): void {
    this.dead = false;
    this.crashAtStep = null;
  }

  /** Makes the next call of `operation` fail with the given error (EIO by default). */
  injectError(operation: FileOperation, reason = 'EIO'): void {
    const queue = this.injected.get(operation) ?? [];
    queue.push(reason);
    this.injected.set(operation, queue);
  }

  /** Forgets every change not made durable (or keeps a random part of them, see CrashOptions).
   *  Handles opened before the crash stop working. */
  crash(options: CrashOptions = {}): void {
    this.epoch++;
    const visited = new Set<Node>();
    const settle = (node: Node): void => {
      if (visited.has(node)) return;
      visited.add(node);
      if (node.kind === 'file') {
        const survivor = node.durable;
        if (options.random) for (const change of node.pending) keepSomeOf(change, survivor, options.random);
        node.durable = survivor;
        node.current = survivor.copy();
        node.pending = [];
        return;
      }
      const survivor = node.durable;
      if (options.random) {
        // Directory changes reach the disk in order (a journal): a prefix of them survives.
        const kept = Math.floor(options.random() * (node.pending.length + 1));
        for (let i = 0; i < kept; i++) applyEntryChange(survivor, node.pending[i]!);
      }
      node.entries = new Map(survivor);
      node.pending = [];
      for (const child of survivor.values()) settle(child);
    };
    settle(this.root);
  }

  async open(path: string, mode: OpenMode): Promise<FileHandle> {
    this.step('open', path);
    const { parent, name, full } = this.parentOf(path, 'open');
    const existing = parent.entries.get(name);
    if (existing?.kind === 'directory') throw new FileSystemError('EISDIR', 'open', full);
    let node = existing;
    if (!node) {
      if (mode === 'read' || mode === 'write') throw new FileSystemError('ENOENT', 'open', full);
      node = newFile();
      this.changeEntry(parent, { kind: 'set', name, node });
    } else if (mode === 'exclusive') {
      throw new FileSystemError('EEXIST', 'open', full);
    } else if (mode === 'replace') {
      this.changeFile(node, { kind: 'truncate', length: 0 });
    }
    return new ForgetfulHandle(this, node, full, mode !== 'read', this.epoch);
  }

  async readFile(path: string): Promise<Uint8Array> {
    this.step('read', path);
    const node = this.lookup(path, 'read');
    if (node.kind !== 'file') throw new FileSystemError('EISDIR', 'read', normalize(path));
    return node.current.view().slice();
  }

  async syncDirectory(path: string): Promise<void> {
    this.step('syncDirectory', path);
    const node = this.lookup(path, 'fsync directory');
    if (node.kind !== 'directory') throw new FileSystemError('ENOTDIR', 'fsync directory', normalize(path));
    const epoch = this.epoch;
    if (this.syncDelay) await this.syncDelay();
    this.checkAlive(epoch, 'fsync directory', path);
    for (const change of node.pending) applyEntryChange(node.durable, change);
    node.pending = [];
    this.stats.directorySyncs++;
  }

  async rename(from: string, to: string): Promise<void> {
    this.step('rename', to);
    const src = this.parentOf(from, `rename ${from} to`);
    const dst = this.parentOf(to, `rename ${from} to`);
    const node = src.parent.entries.get(src.name);
    if (!node) throw new FileSystemError('ENOENT', `rename ${src.full} to`, dst.full);
    if (src.full === dst.full) return;
    const target = dst.parent.entries.get(dst.name);
    if (target) {
      if (node.kind === 'file' && target.kind === 'directory') throw new FileSystemError('EISDIR', `rename ${src.full} to`, dst.full);
      if (node.kind === 'directory' && target.kind === 'file') throw new FileSystemError('ENOTDIR', `rename ${src.full} to`, dst.full);
      if (target.kind === 'directory' && target.entries.size > 0) throw new FileSystemError('ENOTEMPTY', `rename ${src.full} to`, dst.full);
    }
    if (node.kind === 'directory' && (dst.full + '/').startsWith(src.full + '/')) {
      throw new FileSystemError('EINVAL', `rename ${src.full} to`, dst.full, 'a directory cannot move into itself');
    }
    if (src.parent === dst.parent) {
      this.changeEntry(src.parent, { kind: 'rename', from: src.name, to: dst.name, node });
    } else {
      this.changeEntry(src.parent, { kind: 'delete', name: src.name });
      this.changeEntry(dst.parent, { kind: 'set', name: dst.name, node });
    }
    this.stats.renames++;
  }

  async unlink(path: string): Promise<void> {
    this.step('unlink', path);
    const { parent, name, full } = this.parentOf(path, 'unlink');
    const node = parent.entries.get(name);
    if (!node) throw new FileSystemError('ENOENT', 'unlink', full);
    if (node.kind === 'directory') throw new FileSystemError('EISDIR', 'unlink', full);
    this.changeEntry(parent, { kind: 'delete', name });
    this.stats.unlinks++;
  }

  async mkdir(path: string, options?: { recursive?: boolean }): Promise<void> {
    this.step('mkdir', path);
    const full = normalize(path);
    const parts = components(full);
    let dir = this.root;
    for (let i = 0; i < parts.length; i++) {
      const name = parts[i]!;
      const last = i === parts.length - 1;
      const node = dir.entries.get(name);
      if (node) {
        if (node.kind !== 'directory') throw new FileSystemError(last ? 'EEXIST' : 'ENOTDIR', 'make directory', full);
        if (last && options?.recursive !== true) throw new FileSystemError('EEXIST', 'make directory', full);
        dir = node;
        continue;
      }
      if (!last && options?.recursive !== true) throw new FileSystemError('ENOENT', 'make directory', full);
      const made = newDirectory();
      this.changeEntry(dir, { kind: 'set', name, node: made });
      dir = made;
    }
  }

  async rmdir(path: string): Promise<void> {
    this.step('rmdir', path);
    const { parent, name, full } = this.parentOf(path, 'remove directory');
    const node = parent.entries.get(name);
    if (!node) throw new FileSystemError('ENOENT', 'remove directory', full);
    if (node.kind !== 'directory') throw new FileSystemError('ENOTDIR', 'remove directory', full);
    if (node.entries.size > 0) throw new FileSystemError('ENOTEMPTY', 'remove directory', full);
    this.changeEntry(parent, { kind: 'delete', name });
  }

  async readdir(path: string): Promise<string[]> {
    this.step('readdir', path);
    const node = this.lookup(path, 'list directory');
    if (node.kind !== 'directory') throw new FileSystemError('ENOTDIR', 'list directory', normalize(path));
    return [...node.entries.keys()].sort();
  }

  async stat(path: string): Promise<FileStat> {
    this.step('stat', path);
    const node = this.lookup(path, 'stat');
    return node.kind === 'directory' ? { kind: 'directory', size: 0 } : { kind: 'file', size: node.current.length };
  }

  async truncate(path: string, length: number): Promise<void> {
    this.step('truncate', path);
    const node = this.lookup(path, 'truncate');
    if (node.kind !== 'file') throw new FileSystemError('EISDIR', 'truncate', normalize(path));
    this.changeFile(node, { kind: 'truncate', length });
  }

  // ---- used by ForgetfulHandle ----

  /** Counts an operation; crashes when `crashAfter` says so; raises an injected error. */
  step(operation: FileOperation, path: string): void {
    if (this.dead) throw new SimulatedCrash();
    if (this.crashAtStep !== null && this.steps >= this.crashAtStep) {
      this.crashAtStep = null;
      this.crash(this.crashOptions);
      this.dead = true;
      throw new SimulatedCrash();
    }
    this.steps++;
    const injected = this.injected.get(operation);
    if (injected && injected.length > 0) throw new FileSystemError(injected.shift()!, operation, normalize(path));
  }

  /** Fails an operation of a handle opened before a crash. */
  checkAlive(epoch: number, operation: string, path: string): void {
    if (this.dead) throw new SimulatedCrash();
    if (epoch !== this.epoch) throw new FileSystemError('EBADF', operation, normalize(path), 'the handle was opened before a crash');
  }

  changeFile(node: FileNode, change: FileChange): void {
    applyFileChange(node.current, change);
    node.pending.push(change);
    if (change.kind === 'write') {
      this.stats.writes++;
      this.stats.bytesWritten += change.bytes.length;
    }
  }

  async syncFile(node: FileNode, epoch: number, path: string): Promise<void> {
    if (this.syncDelay) await this.syncDelay();
    this.checkAlive(epoch, 'fsync', path);
    for (const change of node.pending) applyFileChange(node.durable, change);
    node.pending = [];
    this.stats.fileSyncs++;
  }

  private changeEntry(dir: DirectoryNode, change: EntryChange): void {
    applyEntryChange(dir.entries, change);
    dir.pending.push(change);
  }

  /** The node at `path`; errors name `reported` (the path the caller asked for). */
  private lookup(path: string, operation: string, reported = path): Node {
    const full = normalize(path);
    let node: Node = this.root;
    for (const name of components(full)) {
      if (node.kind !== 'directory') throw new FileSystemError('ENOTDIR', operation, normalize(reported));
      const next: Node | undefined = node.entries.get(name);
      if (!next) throw new FileSystemError('ENOENT', operation, normalize(reported));
      node = next;
    }
    return node;
  }

  private parentOf(path: string, operation: string): { parent: DirectoryNode; name: string; full: string } {
    const full = normalize(path);
    if (full === '/') throw new FileSystemError('EISDIR', operation, full);
    const parent = this.lookup(posix.dirname(full), operation, full);
    if (parent.kind !== 'directory') throw new FileSystemError('ENOTDIR', operation, full);
    return { parent, name: posix.basename(full), full };
  }
}

/** Applies a random part of an unsynced file change to what survives a torn crash. */
function keepSomeOf(change: FileChange, survivor: Bytes, random: () => number): void {
  const roll = random();
  if (roll < 1 / 3) return;
  if (change.kind === 'truncate' || roll < 2 / 3) {
    applyFileChange(survivor, change);
    return;
  }
  const kept = Math.floor(random() * change.bytes.length);
  survivor.write(change.position, change.bytes.subarray(0, kept));
}

function normalize(path: string): string {
  return posix.resolve('/', path);
}

function components(full: string): string[] {
  return full === '/' ? [] : full.slice(1).split('/');
}

class ForgetfulHandle implements FileHandle {
  readonly path: string;
  private readonly fs: ForgetfulFileSystem;
  private readonly node: FileNode;
  private readonly writable: boolean;
  private readonly epoch: number;
  private closed = false;

  constructor(fs: ForgetfulFileSystem, node: FileNode, path: string, writable: boolean, epoch: number) {
    this.fs = fs;
    this.node = node;
    this.path = path;
    this.writable = writable;
    this.epoch = epoch;
  }

  async read(buffer: Uint8Array, position: number): Promise<number> {
    this.begin('read');
    const data = this.node.current;
    const n = Math.max(0, Math.min(buffer.length, data.length - position));
    if (n > 0) buffer.set(data.data.subarray(position, position + n));
    return n;
  }

  async write(data: Uint8Array, position: number): Promise<void> {
    this.begin('write', true);
    this.fs.changeFile(this.node, { kind: 'write', position, bytes: data.slice() });
  }

  async append(data: Uint8Array): Promise<number> {
    this.begin('write', true);
    const at = this.node.current.length;
    this.fs.changeFile(this.node, { kind: 'write', position: at, bytes: data.slice() });
    return at;
  }

  async size(): Promise<number> {
    this.begin('stat');
    return this.node.current.length;
  }

  async truncate(length: number): Promise<void> {
    this.begin('truncate', true);
    this.fs.changeFile(this.node, { kind: 'truncate', length });
  }

  async sync(): Promise<void> {
    this.begin('sync');
    await this.fs.syncFile(this.node, this.epoch, this.path);
  }

  async close(): Promise<void> {
    this.begin('close');
    this.closed = true;
  }

  private begin(operation: FileOperation, writes = false): void {
    this.fs.step(operation, this.path);
    this.fs.checkAlive(this.epoch, operation, this.path);
    if (this.closed) throw new FileSystemError('EBADF', operation, this.path, 'the file is closed');
    if (writes && !this.writable) throw new FileSystemError('EBADF', operation, this.path, 'the file is open read-only');
  }
}
