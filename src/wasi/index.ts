/**
 * `weft/wasi`: weft's WASI preview1 host, usable on its own (`WasiHost`), with the preview1
 * constants and the file systems a program can be given. Everything here runs in browsers and
 * in Node.js; the host-directory backend `NodeDirectory` is in the `node` build only
 * (`./node.js`), so browser bundles never pull in `node:fs`.
 * @module
 */
export { WasiHost, type StdioTerminals, type WasiOptions, type WasiInput, type WasiOutput } from './wasi-host.js';
export { WASI_PREVIEW1_SIGNATURES, WASI_PREVIEW1_NO_RESULT } from './signatures.js';
export {
  Advice, Clockid, Errno, Eventrwflags, Eventtype, Fdflags, Filetype, Fstflags, Layout, Lookupflags, Oflags,
  Preopentype, Riflags, Rights, Roflags, Sdflags, Signal, Subclockflags,
  type ErrnoValue, type FiletypeValue,
} from './constants.js';
export { WasiErrnoError } from './errno-error.js';
export type { WasiDirEntry, WasiDirectory, WasiFile, WasiFileHandle, WasiNode, WasiStat, WasiSymlink, WasiTimes } from './fs/directory.js';
export { MemoryDirectory, MemoryFile, MemorySymlink, type MemoryTree, type MemoryTreeSnapshot } from './fs/memory-directory.js';
