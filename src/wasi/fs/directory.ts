/**
 * What the WASI host needs from a file system. A preopened directory is a {@link WasiDirectory};
 * the host resolves every guest path itself, one name at a time through
 * {@link WasiDirectory.lookup}, so `..` and symbolic links are checked against the sandbox in one
 * place and a backend only ever sees single names (never `.`, `..`, `''` or a name with `/`).
 *
 * Backends report guest-visible failures by throwing `WasiErrnoError` (EEXIST, ENOTEMPTY, ...).
 * Sizes and positions are byte counts below `Number.MAX_SAFE_INTEGER`; times are nanoseconds
 * since the Unix epoch. Every method is synchronous.
 * @module
 */
import type { FiletypeValue } from '../constants.js';

/** The attributes of a file, directory or symbolic link (`filestat`). */
export interface WasiStat {
  readonly filetype: FiletypeValue;
  readonly dev: bigint;
  readonly ino: bigint;
  readonly nlink: bigint;
  /** Regular file: its length; symbolic link: the length of its target. */
  readonly size: bigint;
  readonly atim: bigint;
  readonly mtim: bigint;
  readonly ctim: bigint;
}

/** New access and modification times in nanoseconds; an absent one is left as it is. */
export interface WasiTimes {
  readonly atim?: bigint;
  readonly mtim?: bigint;
}

/** One entry of a directory listing (`.` and `..` are not listed). */
export interface WasiDirEntry {
  readonly name: string;
  readonly filetype: FiletypeValue;
  readonly ino: bigint;
}

/** Anything a name in a directory can refer to. */
export type WasiNode = WasiDirectory | WasiFile | WasiSymlink;

interface WasiNodeBase {
  /** The attributes of this node itself (a symbolic link is not followed). */
  stat(): WasiStat;
  /** Changes the access and/or modification time of this node itself. */
  setTimes(times: WasiTimes): void;
}

/** A directory: a backend's preopen root, or any directory under it. */
export interface WasiDirectory extends WasiNodeBase {
  readonly kind: 'directory';
  /** The node called `name` in this directory, not following a symbolic link; undefined if none. */
  lookup(name: string): WasiNode | undefined;
  /** The entries of this directory, in a stable order. */
  list(): readonly WasiDirEntry[];
  /** Creates an empty regular file `name`; EEXIST if the name is taken. */
  createFile(name: string): WasiFile;
  /** Creates an empty directory `name`; EEXIST if the name is taken. */
  createDirectory(name: string): void;
  /** Creates a symbolic link `name` whose contents are `target`; EEXIST if the name is taken. */
  createSymlink(name: string, target: string): void;
  /**
   * Makes `name` a new hard link to `target`: a regular file, or a symbolic link itself (not what
   * it points to), as `link(2)` does on Linux. EXDEV if `target` belongs to another backend.
   */
  link(name: string, target: WasiFile | WasiSymlink): void;
  /** Removes the file or symbolic link `name`; EISDIR for a directory. */
  removeFile(name: string): void;
  /** Removes the empty directory `name`; ENOTDIR for a non-directory, ENOTEMPTY if not empty. */
  removeDirectory(name: string): void;
  /**
   * Moves `oldName` to `newName` in `newParent` with POSIX `rename` rules (replaces a file, or an
   * empty directory with a directory); EXDEV if `newParent` belongs to another backend, EINVAL if
   * a directory would move into itself.
   */
  rename(oldName: string, newParent: WasiDirectory, newName: string): void;
}

/** A regular file. */
export interface WasiFile extends WasiNodeBase {
  readonly kind: 'file';
  /** Opens the file; the host keeps the position and calls {@link WasiFileHandle.close} once. */
  open(access: { readonly read: boolean; readonly write: boolean }): WasiFileHandle;
}

/** An open regular file. Reads and writes name their position: the host keeps the fd offset. */
export interface WasiFileHandle {
  /** Up to `length` bytes from `position`; fewer at the end of the file. */
  read(position: number, length: number): Uint8Array;
  /** Writes `data` at `position` (growing the file, zero-filled); returns the bytes written. */
  write(position: number, data: Uint8Array): number;
  /** The attributes of the open file. */
  stat(): WasiStat;
  /** Truncates or zero-extends the file to `size` bytes. */
  setSize(size: number): void;
  /** Changes the access and/or modification time of the open file. */
  setTimes(times: WasiTimes): void;
  /** Writes the file's data (and metadata) to its storage. */
  sync(): void;
  /** Closes the handle; the host calls it once, when its fd is closed. */
  close(): void;
}

/** A symbolic link. */
export interface WasiSymlink extends WasiNodeBase {
  readonly kind: 'symlink';
  /** The link's contents, as given when it was created. */
  readTarget(): string;
}
