/**
 * A real host directory for a WASI program in Node.js (and Deno, Bun), through synchronous
 * `node:fs` calls. The only file of `wasi/` that imports `node:` modules: browser bundles never
 * reach it (it is exported from `wasi/node.ts`, not `wasi/index.ts`).
 *
 * Sandbox: the host resolves guest paths one name at a time and never passes `..`, `.` or a name
 * with a separator here (this file refuses them anyway). Every directory object holds its
 * canonical path (`realpath`), checked to be the root or under it, and every operation first
 * checks that this path still is a real directory with that canonical path — so a directory that
 * was renamed and replaced by a symbolic link to the outside is refused (ENOTCAPABLE) instead of
 * followed. Final names are never followed (`lstat`, `lutimes`, `O_NOFOLLOW`).
 * Why not fully race-free: Node has no `openat`/`O_BENEATH`, so a *host* process that swaps a
 * directory between the check and the call could still redirect one operation.
 *
 * Times: Node's calls that set a file's times keep microseconds, so the nanoseconds a guest sets
 * are kept beside the file system, per file, while the host's time stays what it was after the
 * call; see {@link KeptTimes} for the rule.
 * @module
 */
import {
  closeSync, constants, fstatSync, fsyncSync, ftruncateSync, futimesSync, linkSync, lstatSync, lutimesSync,
  mkdirSync, openSync, readSync, readdirSync, readlinkSync, realpathSync, renameSync, rmdirSync, statSync, symlinkSync,
  unlinkSync, writeSync, type BigIntStats,
} from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeValue } from '../../core/option-checks.js';
import { InvalidArgumentError } from '../../errors/catalogue.js';
import { Errno, Filetype, type ErrnoValue, type FiletypeValue } from '../constants.js';
import { fail, WasiErrnoError } from '../errno-error.js';
import type { WasiDirEntry, WasiDirectory, WasiFile, WasiFileHandle, WasiNode, WasiStat, WasiSymlink, WasiTimes } from './directory.js';
import { KeptTimes } from './kept-times.js';

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const IS_WINDOWS = sep === '\\';

/** Runs a node:fs call, turning its error code (`ENOENT`, ...) into the preview1 errno. */
function host<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || error instanceof WasiErrnoError) throw error;
    throw new WasiErrnoError(errnoFromCode(code), (error as Error).message, { cause: error });
  }
}

function errnoFromCode(code: string): ErrnoValue {
  if (code === 'EOPNOTSUPP') return Errno.NOTSUP;
  if (code === 'EWOULDBLOCK') return Errno.AGAIN;
  const name = code.startsWith('E') ? code.slice(1) : '';
  return name !== 'SUCCESS' && Object.hasOwn(Errno, name) ? Errno[name as keyof typeof Errno] : Errno.IO;
}

function filetypeOf(stats: BigIntStats): FiletypeValue {
  if (stats.isFile()) return Filetype.REGULAR_FILE;
  if (stats.isDirectory()) return Filetype.DIRECTORY;
  if (stats.isSymbolicLink()) return Filetype.SYMBOLIC_LINK;
  if (stats.isCharacterDevice()) return Filetype.CHARACTER_DEVICE;
  if (stats.isBlockDevice()) return Filetype.BLOCK_DEVICE;
  if (stats.isSocket()) return Filetype.SOCKET_STREAM;
  return Filetype.UNKNOWN;
}

function toStat(stats: BigIntStats): WasiStat {
  return {
    filetype: filetypeOf(stats),
    dev: stats.dev,
    ino: stats.ino,
    nlink: stats.nlink,
    size: stats.size,
    atim: stats.atimeNs,
    mtim: stats.mtimeNs,
    ctim: stats.ctimeNs,
  };
}

/** Seconds as node:fs takes them, from nanoseconds. */
function seconds(ns: bigint): number {
  return Number(ns) / 1e9;
}

/** A name as one path component: the guest can reach nothing else through it. */
function checkName(name: string): string {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) fail(Errno.NOTCAPABLE);
  // Why: on Windows `\` separates paths and `C:x` is drive-relative.
  if (IS_WINDOWS && (name.includes('\\') || name.includes(':'))) fail(Errno.NOTCAPABLE);
  return name;
}

/** A directory under (or at) the sandbox root; `path` is canonical. */
class HostDirectory implements WasiDirectory {
  readonly kind = 'directory';
  readonly root: string;
  readonly path: string;
  /** @internal The guest's nanosecond times, shared by everything under the same root. */
  readonly times: KeptTimes;

  constructor(root: string, path: string, times: KeptTimes) {
    this.root = root;
    this.path = path;
    this.times = times;
  }

  /** Fails unless this directory is still a real directory at its canonical path. */
  verify(): void {
    const real = host(() => realpathSync(this.path));
    if (real !== this.path) fail(Errno.NOTCAPABLE, `"${this.path}" is no longer a directory under the preopened root`);
  }

  /** The host path of `name` in this directory, after {@link verify}. */
  child(name: string): string {
    checkName(name);
    this.verify();
    return join(this.path, name);
  }

  stat(): WasiStat {
    this.verify();
    return this.times.view(statPath(this.path));
  }

  setTimes(times: WasiTimes): void {
    this.verify();
    setPathTimes(this.path, times, this.times);
  }

  lookup(name: string): WasiNode | undefined {
    const path = this.child(name);
    const stats = host(() => lstatSync(path, { bigint: true, throwIfNoEntry: false }));
    if (stats === undefined) return undefined;
    if (stats.isSymbolicLink()) return new HostSymlink(this, name);
    if (!stats.isDirectory()) return new HostFile(this, name);
    const real = host(() => realpathSync(path));
    if (real !== this.root && !real.startsWith(this.root.endsWith(sep) ? this.root : this.root + sep)) fail(Errno.NOTCAPABLE);
    return new HostDirectory(this.root, real, this.times);
  }

  list(): readonly WasiDirEntry[] {
    this.verify();
    const entries: WasiDirEntry[] = [];
    for (const name of host(() => readdirSync(this.path)).sort()) {
      const stats = lstatSync(join(this.path, name), { bigint: true, throwIfNoEntry: false });
      if (stats) entries.push({ name, filetype: filetypeOf(stats), ino: stats.ino });
    }
    return entries;
  }

  createFile(name: string): WasiFile {
    const path = this.child(name);
    const fd = host(() => openSync(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | O_NOFOLLOW, 0o666));
    closeSync(fd);
    return new HostFile(this, name);
  }

  createDirectory(name: string): void {
    const path = this.child(name);
    host(() => mkdirSync(path));
  }

  createSymlink(name: string, target: string): void {
    const path = this.child(name);
    host(() => symlinkSync(target, path));
  }

  link(name: string, target: WasiFile | WasiSymlink): void {
    if (!(target instanceof HostFile || target instanceof HostSymlink)) fail(Errno.XDEV);
    const from = target.parent.child(target.name);
    const path = this.child(name);
    const source = host(() => lstatSync(from, { bigint: true }));
    host(() => linkSync(from, path));
    // Why: link(2) follows a symbolic link on some hosts (macOS, POSIX leaves it open), which
    // would give the guest a hard link to whatever the link points to, inside or outside the
    // sandbox. Take such a link back.
    const made = lstatSync(path, { bigint: true, throwIfNoEntry: false });
    if (made === undefined || made.ino !== source.ino || made.dev !== source.dev) {
      if (made !== undefined) unlinkSync(path);
      fail(Errno.NOTSUP, 'the host follows symbolic links when it makes a hard link');
    }
  }

  removeFile(name: string): void {
    const path = this.child(name);
    if (host(() => lstatSync(path)).isDirectory()) fail(Errno.ISDIR);
    host(() => unlinkSync(path));
  }

  removeDirectory(name: string): void {
    const path = this.child(name);
    if (!host(() => lstatSync(path)).isDirectory()) fail(Errno.NOTDIR);
    try {
      host(() => rmdirSync(path));
    } catch (error) {
      // Why: POSIX lets rmdir report a non-empty directory as EEXIST (Solaris, AIX do).
      if (error instanceof WasiErrnoError && error.errno === Errno.EXIST) fail(Errno.NOTEMPTY);
      throw error;
    }
  }

  rename(oldName: string, newParent: WasiDirectory, newName: string): void {
    if (!(newParent instanceof HostDirectory)) fail(Errno.XDEV);
    const from = this.child(oldName);
    const to = newParent.child(newName);
    try {
      host(() => renameSync(from, to));
    } catch (error) {
      if (error instanceof WasiErrnoError && error.errno === Errno.EXIST) fail(Errno.NOTEMPTY);
      throw error;
    }
  }
}

/** A host directory preopened for a WASI program: the root of its sandbox. */
export class NodeDirectory extends HostDirectory {
  /**
   * @param hostPath an existing directory on the host, as a path or a `file:` URL (resolved to its
   * canonical path once, now).
   * @throws InvalidArgumentError if `hostPath` is neither a string nor a `file:` URL, or names no
   * directory the process can open; its `cause` is node:fs's error, if one was the reason.
   */
  constructor(hostPath: string | URL) {
    const root = openRoot(hostPath);
    super(root, root, new KeptTimes());
  }
}

/** The canonical path of the directory `hostPath`, or an InvalidArgumentError saying why it cannot be a root. */
function openRoot(hostPath: unknown): string {
  const isFileUrl = hostPath instanceof URL && hostPath.protocol === 'file:';
  // Why refuse '' here: node:fs reads it as the working directory, which nobody means to preopen.
  if (!isFileUrl && (typeof hostPath !== 'string' || hostPath === '' || hostPath.includes('\0'))) {
    throw new InvalidArgumentError(`new NodeDirectory(hostPath) takes the path of a host directory, as a non-empty string or a file: URL, got ${describeValue(hostPath)}.`);
  }
  let root: string;
  let isDirectory: boolean;
  try {
    root = realpathSync(isFileUrl ? fileURLToPath(hostPath) : hostPath);
    isDirectory = statSync(root).isDirectory();
  } catch (error) {
    throw new InvalidArgumentError(`NodeDirectory: the host path "${hostPath}" ${whyNoDirectory(error)}; pass the path of an existing directory.`, { cause: error });
  }
  if (!isDirectory) throw new InvalidArgumentError(`NodeDirectory: the host path "${hostPath}" is not a directory; pass the path of a directory (the one that holds it, to give the program this file).`);
  return root;
}

/** Why node:fs could not open a directory, from its error code. */
function whyNoDirectory(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return 'does not exist';
  if (code === 'ENOTDIR') return 'is not a directory (a name on its way is a file)';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read (permission denied)';
  if (code === 'ELOOP') return 'is a loop of symbolic links';
  return `cannot be opened (${error instanceof Error ? error.message : String(error)})`;
}

/** The attributes of `path` itself, as the host reports them. */
function statPath(path: string): WasiStat {
  return toStat(host(() => lstatSync(path, { bigint: true })));
}

function setPathTimes(path: string, times: WasiTimes, kept: KeptTimes): void {
  kept.set(times, () => statPath(path), (atim, mtim) => host(() => lutimesSync(path, seconds(atim), seconds(mtim))));
}

/** A name in a host directory that is not a directory: a symbolic link... */
class HostSymlink implements WasiSymlink {
  readonly kind = 'symlink';
  constructor(readonly parent: HostDirectory, readonly name: string) {}
  readTarget(): string {
    const path = this.parent.child(this.name);
    return host(() => readlinkSync(path));
  }
  stat(): WasiStat {
    return this.parent.times.view(statPath(this.parent.child(this.name)));
  }
  setTimes(times: WasiTimes): void {
    setPathTimes(this.parent.child(this.name), times, this.parent.times);
  }
}

/** ...or a regular file (devices, FIFOs and sockets are listed, but cannot be opened). */
class HostFile implements WasiFile {
  readonly kind = 'file';
  constructor(readonly parent: HostDirectory, readonly name: string) {}
  stat(): WasiStat {
    return this.parent.times.view(statPath(this.parent.child(this.name)));
  }
  setTimes(times: WasiTimes): void {
    setPathTimes(this.parent.child(this.name), times, this.parent.times);
  }
  open(access: { readonly read: boolean; readonly write: boolean }): WasiFileHandle {
    const path = this.parent.child(this.name);
    // Why the check before opening: opening a FIFO blocks until a writer comes, which would
    // freeze the host thread that answers every WASI call.
    if (!host(() => lstatSync(path)).isFile()) fail(Errno.NOTSUP);
    const mode = access.write ? (access.read ? constants.O_RDWR : constants.O_WRONLY) : constants.O_RDONLY;
    const fd = host(() => openSync(path, mode | O_NOFOLLOW));
    if (!fstatSync(fd).isFile()) {
      closeSync(fd);
      fail(Errno.NOTSUP);
    }
    return new HostFileHandle(fd, this.parent.times);
  }
}

class HostFileHandle implements WasiFileHandle {
  readonly #fd: number;
  readonly #times: KeptTimes;
  constructor(fd: number, times: KeptTimes) {
    this.#fd = fd;
    this.#times = times;
  }
  read(position: number, length: number): Uint8Array {
    const size = Number(this.#hostStat().size);
    const buffer = new Uint8Array(Math.max(0, Math.min(length, size - position)));
    let done = 0;
    while (done < buffer.length) {
      const count = host(() => readSync(this.#fd, buffer, done, buffer.length - done, position + done));
      if (count === 0) break;
      done += count;
    }
    return buffer.subarray(0, done);
  }
  write(position: number, data: Uint8Array): number {
    let done = 0;
    while (done < data.length) done += host(() => writeSync(this.#fd, data, done, data.length - done, position + done));
    return done;
  }
  stat(): WasiStat {
    return this.#times.view(this.#hostStat());
  }
  setSize(size: number): void {
    host(() => ftruncateSync(this.#fd, size));
  }
  setTimes(times: WasiTimes): void {
    this.#times.set(times, () => this.#hostStat(), (atim, mtim) => host(() => futimesSync(this.#fd, seconds(atim), seconds(mtim))));
  }
  sync(): void {
    host(() => fsyncSync(this.#fd));
  }
  close(): void {
    host(() => closeSync(this.#fd));
  }
  #hostStat(): WasiStat {
    return toStat(host(() => fstatSync(this.#fd, { bigint: true })));
  }
}
