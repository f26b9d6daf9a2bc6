import { describeValue } from '../../core/option-checks.js';
import { InvalidArgumentError } from '../../errors/catalogue.js';
import { realtimeNow } from '../clocks.js';
import { Errno, Filetype } from '../constants.js';
import { fail, WasiErrnoError } from '../errno-error.js';
import { encodeText } from '../memory.js';
import type { WasiDirEntry, WasiDirectory, WasiFile, WasiFileHandle, WasiNode, WasiStat, WasiSymlink, WasiTimes } from './directory.js';

/**
 * The contents of a {@link MemoryDirectory}: a string (stored as UTF-8) or bytes is a file, an
 * object is a directory. A key may hold `/` (`'a/b.txt'`): the directories on the way are made.
 */
export interface MemoryTree {
  readonly [name: string]: string | Uint8Array | MemoryTree;
}

/** What {@link MemoryDirectory.toTree} gives back: files as bytes, directories as objects. */
export interface MemoryTreeSnapshot {
  readonly [name: string]: Uint8Array | MemoryTreeSnapshot;
}

/** The largest file a memory file system holds (bytes). */
const MAX_FILE_SIZE = 0x7fff_ffff;

let nextIno = 1n;

abstract class MemoryNode {
  readonly ino = nextIno++;
  atim = realtimeNow();
  mtim = this.atim;
  ctim = this.atim;

  setTimes(times: WasiTimes): void {
    if (times.atim !== undefined) this.atim = times.atim;
    if (times.mtim !== undefined) this.mtim = times.mtim;
    this.ctim = realtimeNow();
  }

  protected statWith(filetype: WasiStat['filetype'], nlink: number, size: number): WasiStat {
    return { filetype, dev: 0n, ino: this.ino, nlink: BigInt(nlink), size: BigInt(size), atim: this.atim, mtim: this.mtim, ctim: this.ctim };
  }

  /** Marks a change of the contents. */
  touch(): void {
    this.mtim = realtimeNow();
    this.ctim = this.mtim;
  }
}

/** A regular file held in memory. */
export class MemoryFile extends MemoryNode implements WasiFile {
  readonly kind = 'file';
  /** Hard links to this file (names in directories). */
  links = 0;
  #data: Uint8Array;
  #size: number;

  /** @throws InvalidArgumentError if `content` is not a Uint8Array. */
  constructor(content: Uint8Array = new Uint8Array(0)) {
    super();
    if (!(content instanceof Uint8Array)) throw new InvalidArgumentError(`new MemoryFile(content) takes the file's bytes as a Uint8Array (for text: new TextEncoder().encode(text)), got ${describeValue(content)}.`);
    this.#data = content.slice();
    this.#size = content.length;
  }

  /** A copy of the file's contents. */
  bytes(): Uint8Array {
    return this.#data.slice(0, this.#size);
  }

  stat(): WasiStat {
    return this.statWith(Filetype.REGULAR_FILE, this.links, this.#size);
  }

  open(): WasiFileHandle {
    return new MemoryFileHandle(this);
  }

  /** Up to `length` bytes from `position`; fewer at the end of the file. */
  readAt(position: number, length: number): Uint8Array {
    this.atim = realtimeNow();
    if (position >= this.#size) return new Uint8Array(0);
    return this.#data.slice(position, Math.min(this.#size, position + length));
  }

  /**
   * Writes `data` at `position` (growing the file, zero-filled); returns the bytes written.
   * EFBIG past the size limit.
   */
  writeAt(position: number, data: Uint8Array): number {
    const end = position + data.length;
    if (end > MAX_FILE_SIZE) fail(Errno.FBIG);
    this.#reserve(end);
    this.#data.set(data, position);
    this.#size = Math.max(this.#size, end);
    this.touch();
    return data.length;
  }

  /** Truncates or zero-extends the file to `size` bytes; EFBIG past the size limit. */
  resize(size: number): void {
    if (size > MAX_FILE_SIZE) fail(Errno.FBIG);
    this.#reserve(size);
    // Why: bytes past the end stay zero, so a later write past the end leaves a zero-filled gap.
    if (size < this.#size) this.#data.fill(0, size, this.#size);
    this.#size = size;
    this.touch();
  }

  #reserve(size: number): void {
    if (size <= this.#data.length) return;
    const grown = new Uint8Array(Math.min(MAX_FILE_SIZE, Math.max(size, this.#data.length * 2, 64)));
    grown.set(this.#data.subarray(0, this.#size));
    this.#data = grown;
  }
}

class MemoryFileHandle implements WasiFileHandle {
  readonly #file: MemoryFile;
  constructor(file: MemoryFile) {
    this.#file = file;
  }
  read(position: number, length: number): Uint8Array {
    return this.#file.readAt(position, length);
  }
  write(position: number, data: Uint8Array): number {
    return this.#file.writeAt(position, data);
  }
  stat(): WasiStat {
    return this.#file.stat();
  }
  setSize(size: number): void {
    this.#file.resize(size);
  }
  setTimes(times: WasiTimes): void {
    this.#file.setTimes(times);
  }
  sync(): void {}
  close(): void {}
}

/** A symbolic link held in memory. */
export class MemorySymlink extends MemoryNode implements WasiSymlink {
  readonly kind = 'symlink';
  /** Hard links to this symbolic link (names in directories). */
  links = 0;
  readonly #target: string;
  /** @throws InvalidArgumentError if `target` is not a string. */
  constructor(target: string) {
    super();
    if (typeof target !== 'string') throw new InvalidArgumentError(`new MemorySymlink(target) takes the link's contents as a string (a path, like '../data'), got ${describeValue(target)}.`);
    this.#target = target;
  }
  readTarget(): string {
    return this.#target;
  }
  stat(): WasiStat {
    return this.statWith(Filetype.SYMBOLIC_LINK, this.links, encodeText(this.#target).length);
  }
}

type MemoryEntry = MemoryDirectory | MemoryFile | MemorySymlink;

/**
 * An in-memory file system to preopen for a WASI program: fill it before the run, read it back
 * after. This is the file system browsers use.
 *
 * ```ts
 * const dir = MemoryDirectory.from({ 'in.txt': 'hello', data: { 'b.bin': new Uint8Array([1]) } });
 * // ... run the program with preopens: { '/work': dir }
 * dir.readTextFile('out.txt');
 * ```
 */
export class MemoryDirectory extends MemoryNode implements WasiDirectory {
  readonly kind = 'directory';
  readonly #entries = new Map<string, MemoryEntry>();
  #parent: MemoryDirectory | undefined;

  /**
   * A new directory holding `tree`.
   * @throws InvalidArgumentError if `tree` is not an object of strings, Uint8Arrays and such
   * objects, holds itself, or has a name with `..` or a file named by nothing but `/`.
   */
  static from(tree: MemoryTree = {}): MemoryDirectory {
    checkTree(tree);
    const root = new MemoryDirectory();
    root.#fill(tree);
    return root;
  }

  #fill(tree: MemoryTree): void {
    for (const [path, value] of Object.entries(tree)) {
      if (typeof value === 'string' || value instanceof Uint8Array) this.writeFile(path, value);
      else this.#walk(path, true).#fill(value);
    }
  }

  /** The directory at `path` (names split by `/`), created on the way when `create` is set. */
  #walk(path: string, create: boolean): MemoryDirectory {
    let dir: MemoryDirectory = this;
    for (const name of splitHostPath(path)) {
      let next = dir.#entries.get(name);
      if (next === undefined && create) {
        dir.createDirectory(name);
        next = dir.#entries.get(name);
      }
      if (next === undefined) throw new WasiErrnoError(Errno.NOENT, `MemoryDirectory: no directory "${path}"`);
      if (!(next instanceof MemoryDirectory)) throw new WasiErrnoError(Errno.NOTDIR, `MemoryDirectory: "${path}" is not a directory`);
      dir = next;
    }
    return dir;
  }

  #file(path: string): MemoryFile {
    const names = splitHostPath(path);
    const last = names.pop();
    const node = last === undefined ? undefined : this.#walk(names.join('/'), false).#entries.get(last);
    if (node instanceof MemoryFile) return node;
    throw new WasiErrnoError(node ? Errno.ISDIR : Errno.NOENT, `MemoryDirectory: no regular file "${path}"`);
  }

  /** A copy of the contents of the file at `path` (relative to this directory, `/`-separated). */
  readFile(path: string): Uint8Array {
    return this.#file(path).bytes();
  }

  /** The contents of the file at `path`, decoded as UTF-8. */
  readTextFile(path: string): string {
    return new TextDecoder().decode(this.readFile(path));
  }

  /**
   * Creates or replaces the file at `path`, making missing directories on the way.
   * @throws InvalidArgumentError if `path` names no file or `content` is neither a string nor a Uint8Array.
   */
  writeFile(path: string, content: string | Uint8Array): void {
    if (typeof content !== 'string' && !(content instanceof Uint8Array)) {
      throw new InvalidArgumentError(`MemoryDirectory.writeFile: the content of "${String(path)}" must be a string or a Uint8Array, got ${describeValue(content)}.`);
    }
    const names = splitHostPath(path);
    const last = names.pop();
    if (last === undefined) throw new InvalidArgumentError(`MemoryDirectory: "${path}" names no file; pass a path like "data/in.txt".`);
    const dir = this.#walk(names.join('/'), true);
    const existing = dir.#entries.get(last);
    const file = existing instanceof MemoryFile ? existing : dir.createFile(last);
    file.resize(0);
    file.writeAt(0, typeof content === 'string' ? encodeText(content) : content);
  }

  /** The whole tree as plain data: files as bytes, directories as objects (symbolic links left out). */
  toTree(): MemoryTreeSnapshot {
    const tree: { [name: string]: Uint8Array | MemoryTreeSnapshot } = {};
    for (const [name, node] of this.#entries) {
      if (node instanceof MemoryFile) tree[name] = node.bytes();
      else if (node instanceof MemoryDirectory) tree[name] = node.toTree();
    }
    return tree;
  }

  stat(): WasiStat {
    let subdirectories = 0;
    for (const node of this.#entries.values()) if (node instanceof MemoryDirectory) subdirectories += 1;
    return this.statWith(Filetype.DIRECTORY, 2 + subdirectories, 0);
  }

  lookup(name: string): WasiNode | undefined {
    return this.#entries.get(name);
  }

  list(): readonly WasiDirEntry[] {
    return [...this.#entries].map(([name, node]) => ({ name, filetype: node.stat().filetype, ino: node.ino }));
  }

  #add<T extends MemoryEntry>(name: string, node: T): T {
    if (this.#entries.has(name)) fail(Errno.EXIST);
    this.#entries.set(name, node);
    if (node instanceof MemoryFile || node instanceof MemorySymlink) node.links += 1;
    if (node instanceof MemoryDirectory) node.#parent = this;
    this.touch();
    return node;
  }

  createFile(name: string): MemoryFile {
    return this.#add(name, new MemoryFile());
  }

  createDirectory(name: string): void {
    this.#add(name, new MemoryDirectory());
  }

  createSymlink(name: string, target: string): void {
    this.#add(name, new MemorySymlink(target));
  }

  link(name: string, target: WasiFile | WasiSymlink): void {
    if (!(target instanceof MemoryFile || target instanceof MemorySymlink)) fail(Errno.XDEV);
    this.#add(name, target);
    target.ctim = realtimeNow();
  }

  #detach(name: string): void {
    const node = this.#entries.get(name);
    this.#entries.delete(name);
    if (node instanceof MemoryFile || node instanceof MemorySymlink) {
      node.links -= 1;
      node.ctim = realtimeNow();
    }
    if (node instanceof MemoryDirectory) node.#parent = undefined;
    this.touch();
  }

  removeFile(name: string): void {
    const node = this.#entries.get(name) ?? fail(Errno.NOENT);
    if (node instanceof MemoryDirectory) fail(Errno.ISDIR);
    this.#detach(name);
  }

  removeDirectory(name: string): void {
    const node = this.#entries.get(name) ?? fail(Errno.NOENT);
    if (!(node instanceof MemoryDirectory)) fail(Errno.NOTDIR);
    if (node.#entries.size > 0) fail(Errno.NOTEMPTY);
    this.#detach(name);
  }

  rename(oldName: string, newParent: WasiDirectory, newName: string): void {
    if (!(newParent instanceof MemoryDirectory)) fail(Errno.XDEV);
    const node = this.#entries.get(oldName) ?? fail(Errno.NOENT);
    const existing = newParent.#entries.get(newName);
    if (existing === node) return;
    if (node instanceof MemoryDirectory) {
      for (let dir: MemoryDirectory | undefined = newParent; dir; dir = dir.#parent) if (dir === node) fail(Errno.INVAL);
      if (existing && !(existing instanceof MemoryDirectory)) fail(Errno.NOTDIR);
      if (existing instanceof MemoryDirectory && existing.#entries.size > 0) fail(Errno.NOTEMPTY);
    } else if (existing instanceof MemoryDirectory) {
      fail(Errno.ISDIR);
    }
    if (existing) newParent.#detach(newName);
    this.#entries.delete(oldName);
    this.touch();
    newParent.#entries.set(newName, node);
    if (node instanceof MemoryDirectory) node.#parent = newParent;
    node.ctim = realtimeNow();
    newParent.touch();
  }
}

/** The names of a `/`-separated path given by the embedder (not the guest: resolvePath reads those). */
function splitHostPath(path: string): string[] {
  if (typeof path !== 'string') throw new InvalidArgumentError(`MemoryDirectory: a path must be a string of names separated by "/", like "data/in.txt", got ${describeValue(path)}.`);
  const names = path.split('/').filter((name) => name !== '' && name !== '.');
  if (names.includes('..')) throw new InvalidArgumentError(`MemoryDirectory: ".." is not allowed in "${path}"; name the file from this directory down.`);
  return names;
}

/** A plain object (a directory of a {@link MemoryTree}), not an array, bytes, a class instance or null. */
function isTreeObject(value: unknown): value is MemoryTree {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Throws InvalidArgumentError for the first value of `tree` that is neither a file (a string or
 * a Uint8Array) nor a directory (a plain object), naming its path; and for a directory that
 * holds itself, which would never end. Names are checked as the tree is filled.
 */
function checkTree(tree: unknown, path = '', holding: ReadonlySet<object> = new Set()): void {
  if (!isTreeObject(tree)) {
    throw new InvalidArgumentError(path === ''
      ? `MemoryDirectory.from(tree) takes an object of names to files (strings or Uint8Arrays) and directories (objects), like { 'in.txt': 'hello', data: {} }, got ${describeValue(tree)}.`
      : `MemoryDirectory.from: "${path}" must be a file (a string or a Uint8Array) or a directory (an object of them), got ${describeValue(tree)}.`);
  }
  if (holding.has(tree)) throw new InvalidArgumentError(`MemoryDirectory.from: "${path}" holds itself; a tree must not refer back to a directory that holds it.`);
  const inside = new Set(holding).add(tree);
  for (const [name, value] of Object.entries(tree)) {
    if (typeof value !== 'string' && !(value instanceof Uint8Array)) checkTree(value, path === '' ? name : `${path}/${name}`, inside);
  }
}
