/**
 * Every constant of WASI preview1, transcribed from the specification:
 * `wasi_snapshot_preview1.witx` and `typenames.witx` in
 * https://github.com/WebAssembly/WASI/tree/main/legacy/preview1/witx
 *
 * Enum values are the position of each case in the witx `enum`; flag values are `1 << position`
 * in the witx `flags`. Names keep the witx spelling, upper-cased (`errno::acces` is `Errno.ACCES`).
 * The byte layouts of the records the host reads and writes are in {@link Layout}.
 * @module
 */

/** Error codes returned by functions (`errno`, u16). */
export const Errno = {
  SUCCESS: 0, '2BIG': 1, ACCES: 2, ADDRINUSE: 3, ADDRNOTAVAIL: 4, AFNOSUPPORT: 5, AGAIN: 6,
  ALREADY: 7, BADF: 8, BADMSG: 9, BUSY: 10, CANCELED: 11, CHILD: 12, CONNABORTED: 13,
  CONNREFUSED: 14, CONNRESET: 15, DEADLK: 16, DESTADDRREQ: 17, DOM: 18, DQUOT: 19, EXIST: 20,
  FAULT: 21, FBIG: 22, HOSTUNREACH: 23, IDRM: 24, ILSEQ: 25, INPROGRESS: 26, INTR: 27, INVAL: 28,
  IO: 29, ISCONN: 30, ISDIR: 31, LOOP: 32, MFILE: 33, MLINK: 34, MSGSIZE: 35, MULTIHOP: 36,
  NAMETOOLONG: 37, NETDOWN: 38, NETRESET: 39, NETUNREACH: 40, NFILE: 41, NOBUFS: 42, NODEV: 43,
  NOENT: 44, NOEXEC: 45, NOLCK: 46, NOLINK: 47, NOMEM: 48, NOMSG: 49, NOPROTOOPT: 50, NOSPC: 51,
  NOSYS: 52, NOTCONN: 53, NOTDIR: 54, NOTEMPTY: 55, NOTRECOVERABLE: 56, NOTSOCK: 57, NOTSUP: 58,
  NOTTY: 59, NXIO: 60, OVERFLOW: 61, OWNERDEAD: 62, PERM: 63, PIPE: 64, PROTO: 65,
  PROTONOSUPPORT: 66, PROTOTYPE: 67, RANGE: 68, ROFS: 69, SPIPE: 70, SRCH: 71, STALE: 72,
  TIMEDOUT: 73, TXTBSY: 74, XDEV: 75, NOTCAPABLE: 76,
} as const;
/** One `errno` value. */
export type ErrnoValue = (typeof Errno)[keyof typeof Errno];

/** Identifiers for clocks (`clockid`, u32). */
export const Clockid = {
  REALTIME: 0,
  MONOTONIC: 1,
  PROCESS_CPUTIME_ID: 2,
  THREAD_CPUTIME_ID: 3,
} as const;

/** File descriptor rights (`rights`, u64 flags). */
export const Rights = {
  FD_DATASYNC: 1n << 0n,
  FD_READ: 1n << 1n,
  FD_SEEK: 1n << 2n,
  FD_FDSTAT_SET_FLAGS: 1n << 3n,
  FD_SYNC: 1n << 4n,
  FD_TELL: 1n << 5n,
  FD_WRITE: 1n << 6n,
  FD_ADVISE: 1n << 7n,
  FD_ALLOCATE: 1n << 8n,
  PATH_CREATE_DIRECTORY: 1n << 9n,
  PATH_CREATE_FILE: 1n << 10n,
  PATH_LINK_SOURCE: 1n << 11n,
  PATH_LINK_TARGET: 1n << 12n,
  PATH_OPEN: 1n << 13n,
  FD_READDIR: 1n << 14n,
  PATH_READLINK: 1n << 15n,
  PATH_RENAME_SOURCE: 1n << 16n,
  PATH_RENAME_TARGET: 1n << 17n,
  PATH_FILESTAT_GET: 1n << 18n,
  PATH_FILESTAT_SET_SIZE: 1n << 19n,
  PATH_FILESTAT_SET_TIMES: 1n << 20n,
  FD_FILESTAT_GET: 1n << 21n,
  FD_FILESTAT_SET_SIZE: 1n << 22n,
  FD_FILESTAT_SET_TIMES: 1n << 23n,
  PATH_SYMLINK: 1n << 24n,
  PATH_REMOVE_DIRECTORY: 1n << 25n,
  PATH_UNLINK_FILE: 1n << 26n,
  POLL_FD_READWRITE: 1n << 27n,
  SOCK_SHUTDOWN: 1n << 28n,
  SOCK_ACCEPT: 1n << 29n,
} as const;

/** The type of a file descriptor or file (`filetype`, u8). */
export const Filetype = {
  UNKNOWN: 0,
  BLOCK_DEVICE: 1,
  CHARACTER_DEVICE: 2,
  DIRECTORY: 3,
  REGULAR_FILE: 4,
  SOCKET_DGRAM: 5,
  SOCKET_STREAM: 6,
  SYMBOLIC_LINK: 7,
} as const;
/** One `filetype` value. */
export type FiletypeValue = (typeof Filetype)[keyof typeof Filetype];

/** The position relative to which to set the offset of a file descriptor (`whence`, u8). */
export const Whence = { SET: 0, CUR: 1, END: 2 } as const;

/** File or memory access pattern advisory information (`advice`, u8). */
export const Advice = {
  NORMAL: 0,
  SEQUENTIAL: 1,
  RANDOM: 2,
  WILLNEED: 3,
  DONTNEED: 4,
  NOREUSE: 5,
} as const;

/** File descriptor flags (`fdflags`, u16 flags). */
export const Fdflags = { APPEND: 1 << 0, DSYNC: 1 << 1, NONBLOCK: 1 << 2, RSYNC: 1 << 3, SYNC: 1 << 4 } as const;

/** Which file time attributes to adjust (`fstflags`, u16 flags). */
export const Fstflags = { ATIM: 1 << 0, ATIM_NOW: 1 << 1, MTIM: 1 << 2, MTIM_NOW: 1 << 3 } as const;

/** Flags determining how paths are resolved (`lookupflags`, u32 flags). */
export const Lookupflags = { SYMLINK_FOLLOW: 1 << 0 } as const;

/** Open flags used by `path_open` (`oflags`, u16 flags). */
export const Oflags = { CREAT: 1 << 0, DIRECTORY: 1 << 1, EXCL: 1 << 2, TRUNC: 1 << 3 } as const;

/** Type of a subscription to an event or its occurrence (`eventtype`, u8). */
export const Eventtype = { CLOCK: 0, FD_READ: 1, FD_WRITE: 2 } as const;

/** The state of a file descriptor subscribed to with `eventtype::fd_read`/`fd_write` (`eventrwflags`, u16 flags). */
export const Eventrwflags = { FD_READWRITE_HANGUP: 1 << 0 } as const;

/** How to interpret `subscription_clock::timeout` (`subclockflags`, u16 flags). */
export const Subclockflags = { SUBSCRIPTION_CLOCK_ABSTIME: 1 << 0 } as const;

/** Signal conditions (`signal`, u8). */
export const Signal = {
  NONE: 0, HUP: 1, INT: 2, QUIT: 3, ILL: 4, TRAP: 5, ABRT: 6, BUS: 7, FPE: 8, KILL: 9, USR1: 10,
  SEGV: 11, USR2: 12, PIPE: 13, ALRM: 14, TERM: 15, CHLD: 16, CONT: 17, STOP: 18, TSTP: 19,
  TTIN: 20, TTOU: 21, URG: 22, XCPU: 23, XFSZ: 24, VTALRM: 25, PROF: 26, WINCH: 27, POLL: 28,
  PWR: 29, SYS: 30,
} as const;

/** Flags provided to `sock_recv` (`riflags`, u16 flags). */
export const Riflags = { RECV_PEEK: 1 << 0, RECV_WAITALL: 1 << 1 } as const;

/** Flags returned by `sock_recv` (`roflags`, u16 flags). */
export const Roflags = { RECV_DATA_TRUNCATED: 1 << 0 } as const;

/** Which channels on a socket to shut down (`sdflags`, u8 flags). */
export const Sdflags = { RD: 1 << 0, WR: 1 << 1 } as const;

/** Identifiers for preopened capabilities (`preopentype`, u8). */
export const Preopentype = { DIR: 0 } as const;

/**
 * Byte layouts (size and field offsets, little-endian, natural alignment) of the records that
 * preview1 functions read or write in linear memory, as the witx record definitions give them.
 */
export const Layout = {
  /** `iovec` and `ciovec`. */
  IOVEC: { SIZE: 8, BUF: 0, BUF_LEN: 4 },
  /** `dirent`; the entry's name follows it, `d_namlen` bytes, no terminator. */
  DIRENT: { SIZE: 24, D_NEXT: 0, D_INO: 8, D_NAMLEN: 16, D_TYPE: 20 },
  /** `fdstat`. */
  FDSTAT: { SIZE: 24, FS_FILETYPE: 0, FS_FLAGS: 2, FS_RIGHTS_BASE: 8, FS_RIGHTS_INHERITING: 16 },
  /** `filestat`. */
  FILESTAT: { SIZE: 64, DEV: 0, INO: 8, FILETYPE: 16, NLINK: 24, FILESIZE: 32, ATIM: 40, MTIM: 48, CTIM: 56 },
  /** `prestat` (the `prestat_dir` case is the only one). */
  PRESTAT: { SIZE: 8, TAG: 0, PR_NAME_LEN: 4 },
  /** `subscription`: userdata, then `subscription_u` (tag, then the case contents at 16). */
  SUBSCRIPTION: {
    SIZE: 48,
    USERDATA: 0,
    TAG: 8,
    CLOCK_ID: 16,
    CLOCK_TIMEOUT: 24,
    CLOCK_PRECISION: 32,
    CLOCK_FLAGS: 40,
    FD_READWRITE_FILE_DESCRIPTOR: 16,
  },
  /** `event`. */
  EVENT: { SIZE: 32, USERDATA: 0, ERROR: 8, TYPE: 10, FD_READWRITE_NBYTES: 16, FD_READWRITE_FLAGS: 24 },
} as const;
