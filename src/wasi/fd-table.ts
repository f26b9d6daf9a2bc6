import { Errno, Filetype, Rights, type FiletypeValue } from './constants.js';
import { fail } from './errno-error.js';
import type { WasiDirectory, WasiFile, WasiFileHandle } from './fs/directory.js';
import type { OutputStream, StdinBuffer } from './stdio.js';

/** Rights that apply to a regular file. */
export const FILE_RIGHTS =
  Rights.FD_DATASYNC | Rights.FD_READ | Rights.FD_SEEK | Rights.FD_FDSTAT_SET_FLAGS | Rights.FD_SYNC |
  Rights.FD_TELL | Rights.FD_WRITE | Rights.FD_ADVISE | Rights.FD_ALLOCATE | Rights.FD_FILESTAT_GET |
  Rights.FD_FILESTAT_SET_SIZE | Rights.FD_FILESTAT_SET_TIMES | Rights.POLL_FD_READWRITE;

/** Rights that apply to a directory. */
export const DIRECTORY_RIGHTS =
  Rights.FD_FDSTAT_SET_FLAGS | Rights.FD_SYNC | Rights.FD_ADVISE | Rights.PATH_CREATE_DIRECTORY |
  Rights.PATH_CREATE_FILE | Rights.PATH_LINK_SOURCE | Rights.PATH_LINK_TARGET | Rights.PATH_OPEN |
  Rights.FD_READDIR | Rights.PATH_READLINK | Rights.PATH_RENAME_SOURCE | Rights.PATH_RENAME_TARGET |
  Rights.PATH_FILESTAT_GET | Rights.PATH_FILESTAT_SET_SIZE | Rights.PATH_FILESTAT_SET_TIMES |
  Rights.FD_FILESTAT_GET | Rights.FD_FILESTAT_SET_TIMES | Rights.PATH_SYMLINK |
  Rights.PATH_REMOVE_DIRECTORY | Rights.PATH_UNLINK_FILE | Rights.POLL_FD_READWRITE;

/** Rights of stdin (stdout and stderr have `FD_WRITE` instead of `FD_READ`). No seek or tell: a terminal among them is a tty to wasi-libc's `isatty`. */
const STDIO_RIGHTS = Rights.FD_FDSTAT_SET_FLAGS | Rights.FD_FILESTAT_GET | Rights.POLL_FD_READWRITE;

interface EntryBase {
  rightsBase: bigint;
  rightsInheriting: bigint;
  /** `fdflags` as last set. */
  flags: number;
}

/** stdin (or whatever fd it was renumbered to). */
export interface StdinEntry extends EntryBase {
  readonly type: 'stdin';
  readonly input: StdinBuffer;
  /** Reported as a character device (a tty) rather than `unknown`. */
  readonly terminal: boolean;
}

/** stdout or stderr. */
export interface OutputEntry extends EntryBase {
  readonly type: 'output';
  readonly output: OutputStream;
  /** Reported as a character device (a tty) rather than `unknown`. */
  readonly terminal: boolean;
}

/** An open regular file; the table keeps its offset. */
export interface FileEntry extends EntryBase {
  readonly type: 'file';
  readonly file: WasiFile;
  readonly handle: WasiFileHandle;
  position: number;
}

/** An open directory; `preopen` is the guest path it was preopened as. */
export interface DirectoryEntry extends EntryBase {
  readonly type: 'directory';
  readonly directory: WasiDirectory;
  readonly preopen?: string;
  /** How many directories below its preopen this directory was when it was opened (a preopen: 0). */
  readonly depth: number;
}

/** One open file descriptor. */
export type FdEntry = StdinEntry | OutputEntry | FileEntry | DirectoryEntry;

/** The `filetype` an fd reports. */
export function filetypeOfEntry(entry: FdEntry): FiletypeValue {
  if (entry.type === 'file') return Filetype.REGULAR_FILE;
  if (entry.type === 'directory') return Filetype.DIRECTORY;
  return entry.terminal ? Filetype.CHARACTER_DEVICE : Filetype.UNKNOWN;
}

/**
 * Most fds a program may have open at once, stdio and preopens included: a default `ulimit -n`.
 * Why: every fd of a host directory's file is a host fd of the embedding process, which a guest
 * opening files in a loop would otherwise exhaust (EMFILE for the host's own work).
 */
export const MAX_OPEN_FDS = 1024;

/**
 * The program's one fd table: 0, 1, 2 are stdio, preopens follow from 3 in the order given, new
 * fds take the lowest free number, up to {@link MAX_OPEN_FDS} open at once.
 */
export class FdTable {
  readonly #entries = new Map<number, FdEntry>();

  constructor(
    input: StdinBuffer,
    stdout: OutputStream,
    stderr: OutputStream,
    preopens: Readonly<Record<string, WasiDirectory>>,
    terminal: { readonly stdin?: boolean; readonly stdout?: boolean; readonly stderr?: boolean },
  ) {
    const stdio = { flags: 0, rightsInheriting: 0n };
    this.#entries.set(0, { type: 'stdin', input, rightsBase: STDIO_RIGHTS | Rights.FD_READ, terminal: terminal.stdin === true, ...stdio });
    this.#entries.set(1, { type: 'output', output: stdout, rightsBase: STDIO_RIGHTS | Rights.FD_WRITE, terminal: terminal.stdout === true, ...stdio });
    this.#entries.set(2, { type: 'output', output: stderr, rightsBase: STDIO_RIGHTS | Rights.FD_WRITE, terminal: terminal.stderr === true, ...stdio });
    // Preopens are the embedder's choice: they are given fds even past the limit.
    for (const [preopen, directory] of Object.entries(preopens)) {
      this.#insert({
        type: 'directory',
        directory,
        preopen,
        depth: 0,
        rightsBase: DIRECTORY_RIGHTS,
        rightsInheriting: DIRECTORY_RIGHTS | FILE_RIGHTS,
        flags: 0,
      });
    }
  }

  /** The entry of `fd`; EBADF if it is not open. */
  get(fd: number): FdEntry {
    return this.#entries.get(fd) ?? fail(Errno.BADF);
  }

  /** The entry of `fd` if it is open. */
  find(fd: number): FdEntry | undefined {
    return this.#entries.get(fd);
  }

  /** The entry of `fd`, which must hold `rights` (ENOTCAPABLE otherwise). */
  withRights(fd: number, rights: bigint): FdEntry {
    const entry = this.get(fd);
    if ((entry.rightsBase & rights) !== rights) fail(Errno.NOTCAPABLE);
    return entry;
  }

  /** The open directory `fd` with `rights`; ENOTDIR if `fd` is not a directory. */
  directory(fd: number, rights: bigint): DirectoryEntry {
    const entry = this.get(fd);
    if (entry.type !== 'directory') fail(Errno.NOTDIR);
    if ((entry.rightsBase & rights) !== rights) fail(Errno.NOTCAPABLE);
    return entry;
  }

  /** EMFILE if no more fds may be opened; call it before opening what the new fd will hold. */
  checkRoom(): void {
    if (this.#entries.size >= MAX_OPEN_FDS) fail(Errno.MFILE);
  }

  /** Adds `entry` at the lowest free fd; EMFILE past {@link MAX_OPEN_FDS}. */
  add(entry: FdEntry): number {
    this.checkRoom();
    return this.#insert(entry);
  }

  #insert(entry: FdEntry): number {
    let fd = 0;
    while (this.#entries.has(fd)) fd += 1;
    this.#entries.set(fd, entry);
    return fd;
  }

  /** Closes `fd`; EBADF if it is not open. */
  close(fd: number): void {
    const entry = this.get(fd);
    this.#entries.delete(fd);
    if (entry.type === 'file') entry.handle.close();
  }

  /** Moves `from` onto `to`, closing what `to` was; both must be open. */
  renumber(from: number, to: number): void {
    const entry = this.get(from);
    this.get(to);
    if (from === to) return;
    this.close(to);
    this.#entries.delete(from);
    this.#entries.set(to, entry);
  }

  /** Closes every fd (a file handle that fails to close is skipped). */
  closeAll(): void {
    for (const fd of [...this.#entries.keys()]) {
      try {
        this.close(fd);
      } catch {
        // The program is over; an fd that cannot close has nothing more to report to.
      }
    }
  }
}
