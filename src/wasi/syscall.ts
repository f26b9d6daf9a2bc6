import { Errno, Fstflags, Layout } from './constants.js';
import { fail } from './errno-error.js';
import type { FdTable } from './fd-table.js';
import type { WasiStat, WasiTimes } from './fs/directory.js';
import type { GuestMemory } from './memory.js';
import { realtimeNow } from './clocks.js';
import type { Preview1Name, Preview1Params } from './signatures.js';
import type { OutputStreams, StdinBuffer } from './stdio.js';

/** The state of one program that every call shares, whatever thread it comes from. */
export interface WasiContext {
  /** argv, each UTF-8 with its terminating NUL. */
  readonly args: readonly Uint8Array[];
  /** `KEY=value` pairs, each UTF-8 with its terminating NUL. */
  readonly env: readonly Uint8Array[];
  readonly fds: FdTable;
  readonly stdin: StdinBuffer;
  readonly outputs: OutputStreams;
  /** Cancels of the waits in progress (poll timers), run when the host closes. */
  readonly waits: Set<() => void>;
}

/** An errno, or a promise of one for a call that waits. */
export type SyscallResult = number | Promise<number>;

/** The implementation of preview1 function `N`, given its parameters as unsigned numbers and bigints. */
export type Syscall<N extends Preview1Name> = (context: WasiContext, memory: GuestMemory, ...params: Preview1Params<N>) => SyscallResult;

/** Implementations of the preview1 functions `N`. */
export type SyscallTable<N extends Preview1Name> = { readonly [K in N]: Syscall<K> };

/** A `filesize`/`filedelta` parameter as a safe position: EINVAL if negative (as s64), EFBIG if too large. */
export function toPosition(value: bigint): number {
  if (BigInt.asIntN(64, value) < 0n) fail(Errno.INVAL);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) fail(Errno.FBIG);
  return Number(value);
}

/** The times that `fstflags` asks to set; EINVAL for a time that is both given and "now". */
export function timesFromFlags(atim: bigint, mtim: bigint, flags: number): WasiTimes {
  if (flags & ~(Fstflags.ATIM | Fstflags.ATIM_NOW | Fstflags.MTIM | Fstflags.MTIM_NOW)) fail(Errno.INVAL);
  if ((flags & Fstflags.ATIM && flags & Fstflags.ATIM_NOW) || (flags & Fstflags.MTIM && flags & Fstflags.MTIM_NOW)) fail(Errno.INVAL);
  const now = realtimeNow();
  const times: { atim?: bigint; mtim?: bigint } = {};
  if (flags & Fstflags.ATIM) times.atim = atim;
  if (flags & Fstflags.ATIM_NOW) times.atim = now;
  if (flags & Fstflags.MTIM) times.mtim = mtim;
  if (flags & Fstflags.MTIM_NOW) times.mtim = now;
  return times;
}

/** Writes a `filestat` record at `pointer`. */
export function writeFilestat(memory: GuestMemory, pointer: number, stat: WasiStat): void {
  const L = Layout.FILESTAT;
  memory.write(pointer, new Uint8Array(L.SIZE));
  memory.setU64(pointer + L.DEV, stat.dev);
  memory.setU64(pointer + L.INO, stat.ino);
  memory.setU8(pointer + L.FILETYPE, stat.filetype);
  memory.setU64(pointer + L.NLINK, stat.nlink);
  memory.setU64(pointer + L.FILESIZE, stat.size);
  memory.setU64(pointer + L.ATIM, stat.atim);
  memory.setU64(pointer + L.MTIM, stat.mtim);
  memory.setU64(pointer + L.CTIM, stat.ctim);
}
