/**
 * The core wasm parameter types of every `wasi_snapshot_preview1` function, lowered from
 * `wasi_snapshot_preview1.witx` (https://github.com/WebAssembly/WASI/tree/main/legacy/preview1/witx)
 * the way wasi-libc's `wasi/api.h` imports them: handles, pointers, sizes, enums and flags of up
 * to 32 bits are `i32`; `filesize`, `filedelta`, `timestamp`, `rights`, `dircookie` are `i64`;
 * a `string` is a pointer and a length; each result other than the errno is a trailing pointer
 * the function writes to. Every function returns one `i32` errno, except `proc_exit`, which
 * returns nothing.
 * @module
 */

const SIGNATURES = {
  args_get: ['i32', 'i32'],
  args_sizes_get: ['i32', 'i32'],
  environ_get: ['i32', 'i32'],
  environ_sizes_get: ['i32', 'i32'],
  clock_res_get: ['i32', 'i32'],
  clock_time_get: ['i32', 'i64', 'i32'],
  fd_advise: ['i32', 'i64', 'i64', 'i32'],
  fd_allocate: ['i32', 'i64', 'i64'],
  fd_close: ['i32'],
  fd_datasync: ['i32'],
  fd_fdstat_get: ['i32', 'i32'],
  fd_fdstat_set_flags: ['i32', 'i32'],
  fd_fdstat_set_rights: ['i32', 'i64', 'i64'],
  fd_filestat_get: ['i32', 'i32'],
  fd_filestat_set_size: ['i32', 'i64'],
  fd_filestat_set_times: ['i32', 'i64', 'i64', 'i32'],
  fd_pread: ['i32', 'i32', 'i32', 'i64', 'i32'],
  fd_prestat_get: ['i32', 'i32'],
  fd_prestat_dir_name: ['i32', 'i32', 'i32'],
  fd_pwrite: ['i32', 'i32', 'i32', 'i64', 'i32'],
  fd_read: ['i32', 'i32', 'i32', 'i32'],
  fd_readdir: ['i32', 'i32', 'i32', 'i64', 'i32'],
  fd_renumber: ['i32', 'i32'],
  fd_seek: ['i32', 'i64', 'i32', 'i32'],
  fd_sync: ['i32'],
  fd_tell: ['i32', 'i32'],
  fd_write: ['i32', 'i32', 'i32', 'i32'],
  path_create_directory: ['i32', 'i32', 'i32'],
  path_filestat_get: ['i32', 'i32', 'i32', 'i32', 'i32'],
  path_filestat_set_times: ['i32', 'i32', 'i32', 'i32', 'i64', 'i64', 'i32'],
  path_link: ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'],
  path_open: ['i32', 'i32', 'i32', 'i32', 'i32', 'i64', 'i64', 'i32', 'i32'],
  path_readlink: ['i32', 'i32', 'i32', 'i32', 'i32', 'i32'],
  path_remove_directory: ['i32', 'i32', 'i32'],
  path_rename: ['i32', 'i32', 'i32', 'i32', 'i32', 'i32'],
  path_symlink: ['i32', 'i32', 'i32', 'i32', 'i32'],
  path_unlink_file: ['i32', 'i32', 'i32'],
  poll_oneoff: ['i32', 'i32', 'i32', 'i32'],
  proc_exit: ['i32'],
  proc_raise: ['i32'],
  sched_yield: [],
  random_get: ['i32', 'i32'],
  sock_accept: ['i32', 'i32', 'i32'],
  sock_recv: ['i32', 'i32', 'i32', 'i32', 'i32', 'i32'],
  sock_send: ['i32', 'i32', 'i32', 'i32', 'i32'],
  sock_shutdown: ['i32', 'i32'],
} as const satisfies Record<string, readonly ('i32' | 'i64')[]>;
for (const params of Object.values(SIGNATURES)) Object.freeze(params);
Object.freeze(SIGNATURES);

/** The name of one preview1 function. */
export type Preview1Name = keyof typeof SIGNATURES;

type JsParams<T extends readonly ('i32' | 'i64')[]> = { -readonly [K in keyof T]: T[K] extends 'i64' ? bigint : number };

/** The JS values a preview1 function's parameters arrive as, once normalized: i32 → unsigned number, i64 → unsigned bigint. */
export type Preview1Params<N extends Preview1Name> = JsParams<(typeof SIGNATURES)[N]>;

/**
 * Parameter types of every `wasi_snapshot_preview1` function. All return an `i32` errno except
 * `proc_exit`, which has no result ({@link WASI_PREVIEW1_NO_RESULT}).
 */
export const WASI_PREVIEW1_SIGNATURES: Readonly<Record<string, readonly ('i32' | 'i64')[]>> = SIGNATURES;

/** The preview1 functions without a result (only `proc_exit`, which does not return). */
export const WASI_PREVIEW1_NO_RESULT: ReadonlySet<string> = new Set(['proc_exit']);

/** Whether `name` is a `wasi_snapshot_preview1` function. */
export function isPreview1Name(name: string): name is Preview1Name {
  return Object.hasOwn(SIGNATURES, name);
}
