import { Advice, Errno, Fdflags, Layout, Preopentype, Rights, Whence } from './constants.js';
import { fail } from './errno-error.js';
import { filetypeOfEntry, type FdEntry, type FileEntry } from './fd-table.js';
import type { WasiStat } from './fs/directory.js';
import { encodeText, totalLength, type GuestMemory } from './memory.js';
import { toPosition, timesFromFlags, writeFilestat, type SyscallTable, type WasiContext } from './syscall.js';

type FdCallName =
  | 'fd_advise' | 'fd_allocate' | 'fd_close' | 'fd_datasync' | 'fd_fdstat_get' | 'fd_fdstat_set_flags'
  | 'fd_fdstat_set_rights' | 'fd_filestat_get' | 'fd_filestat_set_size' | 'fd_filestat_set_times'
  | 'fd_pread' | 'fd_prestat_get' | 'fd_prestat_dir_name' | 'fd_pwrite' | 'fd_read' | 'fd_readdir'
  | 'fd_renumber' | 'fd_seek' | 'fd_sync' | 'fd_tell' | 'fd_write';

const ALL_FDFLAGS = Fdflags.APPEND | Fdflags.DSYNC | Fdflags.NONBLOCK | Fdflags.RSYNC | Fdflags.SYNC;

/** The regular file open as `fd`, with `rights`: EBADF for anything else but stdio (ESPIPE). */
function fileEntry(context: WasiContext, fd: number, rights: bigint): FileEntry {
  const entry = context.fds.get(fd);
  if (entry.type !== 'file') fail(entry.type === 'directory' ? Errno.BADF : Errno.SPIPE);
  return context.fds.withRights(fd, rights) as FileEntry;
}

/** For fd_read/fd_write: a missing read or write right is EBADF, as POSIX reports an fd opened without that access. */
function accessible(context: WasiContext, fd: number, right: bigint): FdEntry {
  const entry = context.fds.get(fd);
  if (entry.type === 'directory') fail(right === Rights.FD_READ ? Errno.ISDIR : Errno.BADF);
  if ((entry.rightsBase & right) === 0n) fail(Errno.BADF);
  return entry;
}

/** Reads up to `length` bytes of a file at `position` into the guest's iovecs; returns the count. */
function readFile(memory: GuestMemory, entry: FileEntry, iovs: number, iovsLength: number, position: number): number {
  const buffers = memory.readBuffers(iovs, iovsLength);
  const data = entry.handle.read(position, totalLength(buffers));
  return memory.scatter(buffers, data);
}

function statOfEntry(entry: FdEntry): WasiStat {
  if (entry.type === 'file') return entry.handle.stat();
  if (entry.type === 'directory') return entry.directory.stat();
  return { filetype: filetypeOfEntry(entry), dev: 0n, ino: 0n, nlink: 1n, size: 0n, atim: 0n, mtim: 0n, ctim: 0n };
}

/** Builds the dirents of a directory listing, `.` and `..` first; entry `i` has cookie `i + 1`. */
function direntBytes(context: WasiContext, fd: number): Uint8Array[] {
  const entry = context.fds.directory(fd, Rights.FD_READDIR);
  const self = entry.directory.stat();
  const listing = [
    { name: '.', filetype: self.filetype, ino: self.ino },
    // Why the directory's own inode for `..`: a directory fd does not know its parent, and
    // wasi-libc's readdir looks an inode of 0 up with fstatat, which `..` of a preopen may not pass.
    { name: '..', filetype: self.filetype, ino: self.ino },
    ...entry.directory.list(),
  ];
  const D = Layout.DIRENT;
  return listing.map((item, index) => {
    const name = encodeText(item.name);
    const bytes = new Uint8Array(D.SIZE + name.length);
    const view = new DataView(bytes.buffer);
    view.setBigUint64(D.D_NEXT, BigInt(index + 1), true);
    view.setBigUint64(D.D_INO, item.ino, true);
    view.setUint32(D.D_NAMLEN, name.length, true);
    view.setUint8(D.D_TYPE, item.filetype);
    bytes.set(name, D.SIZE);
    return bytes;
  });
}

/** The `fd_*` functions. */
export const fdCalls: SyscallTable<FdCallName> = {
  fd_advise(context, _memory, fd, offset, length, advice) {
    const entry = context.fds.withRights(fd, Rights.FD_ADVISE);
    if (entry.type !== 'file') fail(entry.type === 'directory' ? Errno.BADF : Errno.SPIPE);
    if (advice > Advice.NOREUSE) fail(Errno.INVAL);
    toPosition(offset);
    toPosition(length);
    return Errno.SUCCESS;
  },

  fd_allocate(context, _memory, fd, offset, length) {
    const entry = fileEntry(context, fd, Rights.FD_ALLOCATE);
    const end = toPosition(offset) + toPosition(length);
    if (end > Number.MAX_SAFE_INTEGER) fail(Errno.FBIG);
    if (end > Number(entry.handle.stat().size)) entry.handle.setSize(end);
    return Errno.SUCCESS;
  },

  fd_close(context, _memory, fd) {
    context.fds.close(fd);
    return Errno.SUCCESS;
  },

  fd_datasync(context, _memory, fd) {
    fileEntry(context, fd, Rights.FD_DATASYNC).handle.sync();
    return Errno.SUCCESS;
  },

  fd_sync(context, _memory, fd) {
    const entry = context.fds.withRights(fd, Rights.FD_SYNC);
    if (entry.type === 'file') entry.handle.sync();
    else if (entry.type !== 'directory') fail(Errno.INVAL);
    return Errno.SUCCESS;
  },

  fd_fdstat_get(context, memory, fd, out) {
    const entry = context.fds.get(fd);
    const F = Layout.FDSTAT;
    memory.write(out, new Uint8Array(F.SIZE));
    memory.setU8(out + F.FS_FILETYPE, filetypeOfEntry(entry));
    memory.setU16(out + F.FS_FLAGS, entry.flags);
    memory.setU64(out + F.FS_RIGHTS_BASE, entry.rightsBase);
    memory.setU64(out + F.FS_RIGHTS_INHERITING, entry.rightsInheriting);
    return Errno.SUCCESS;
  },

  fd_fdstat_set_flags(context, _memory, fd, flags) {
    const entry = context.fds.withRights(fd, Rights.FD_FDSTAT_SET_FLAGS);
    if (flags & ~ALL_FDFLAGS) fail(Errno.INVAL);
    entry.flags = flags;
    return Errno.SUCCESS;
  },

  fd_fdstat_set_rights(context, _memory, fd, base, inheriting) {
    const entry = context.fds.get(fd);
    if (base & ~entry.rightsBase || inheriting & ~entry.rightsInheriting) fail(Errno.NOTCAPABLE);
    entry.rightsBase = base;
    entry.rightsInheriting = inheriting;
    return Errno.SUCCESS;
  },

  fd_filestat_get(context, memory, fd, out) {
    writeFilestat(memory, out, statOfEntry(context.fds.withRights(fd, Rights.FD_FILESTAT_GET)));
    return Errno.SUCCESS;
  },

  fd_filestat_set_size(context, _memory, fd, size) {
    fileEntry(context, fd, Rights.FD_FILESTAT_SET_SIZE).handle.setSize(toPosition(size));
    return Errno.SUCCESS;
  },

  fd_filestat_set_times(context, _memory, fd, atim, mtim, flags) {
    const entry = context.fds.withRights(fd, Rights.FD_FILESTAT_SET_TIMES);
    const times = timesFromFlags(atim, mtim, flags);
    if (entry.type === 'file') entry.handle.setTimes(times);
    else if (entry.type === 'directory') entry.directory.setTimes(times);
    return Errno.SUCCESS;
  },

  fd_pread(context, memory, fd, iovs, iovsLength, offset, nread) {
    const entry = accessible(context, fd, Rights.FD_READ);
    if (entry.type !== 'file') fail(Errno.SPIPE);
    memory.checkRange(nread, 4);
    memory.setU32(nread, readFile(memory, entry, iovs, iovsLength, toPosition(offset)));
    return Errno.SUCCESS;
  },

  fd_pwrite(context, memory, fd, iovs, iovsLength, offset, nwritten) {
    const entry = accessible(context, fd, Rights.FD_WRITE);
    if (entry.type !== 'file') fail(Errno.SPIPE);
    memory.checkRange(nwritten, 4);
    const data = memory.gather(memory.readBuffers(iovs, iovsLength));
    memory.setU32(nwritten, entry.handle.write(toPosition(offset), data));
    return Errno.SUCCESS;
  },

  fd_read(context, memory, fd, iovs, iovsLength, nread) {
    const entry = accessible(context, fd, Rights.FD_READ);
    memory.checkRange(nread, 4);
    if (entry.type === 'file') {
      const count = readFile(memory, entry, iovs, iovsLength, entry.position);
      entry.position += count;
      memory.setU32(nread, count);
      return Errno.SUCCESS;
    }
    if (entry.type !== 'stdin') return fail(Errno.BADF);
    const buffers = memory.readBuffers(iovs, iovsLength);
    const wanted = totalLength(buffers);
    if (wanted === 0) {
      memory.setU32(nread, 0);
      return Errno.SUCCESS;
    }
    if (!entry.input.isReady()) {
      if (entry.flags & Fdflags.NONBLOCK) fail(Errno.AGAIN);
      // Why: a program that prints a prompt without a newline and then reads must show the prompt.
      context.outputs.flush();
    }
    const data = entry.input.read(wanted);
    if (data instanceof Uint8Array) {
      memory.setU32(nread, memory.scatter(buffers, data));
      return Errno.SUCCESS;
    }
    return data.then((bytes) => {
      const fresh = memory.renew();
      fresh.setU32(nread, fresh.scatter(buffers, bytes));
      return Errno.SUCCESS;
    });
  },

  fd_write(context, memory, fd, iovs, iovsLength, nwritten) {
    const entry = accessible(context, fd, Rights.FD_WRITE);
    memory.checkRange(nwritten, 4);
    const data = memory.gather(memory.readBuffers(iovs, iovsLength));
    if (entry.type === 'output') entry.output.write(data);
    else if (entry.type === 'file') {
      if (entry.flags & Fdflags.APPEND) entry.position = Number(entry.handle.stat().size);
      entry.position += entry.handle.write(entry.position, data);
    } else fail(Errno.BADF);
    memory.setU32(nwritten, data.length);
    return Errno.SUCCESS;
  },

  fd_prestat_get(context, memory, fd, out) {
    const entry = context.fds.get(fd);
    if (entry.type !== 'directory' || entry.preopen === undefined) fail(Errno.BADF);
    memory.write(out, new Uint8Array(Layout.PRESTAT.SIZE));
    memory.setU8(out + Layout.PRESTAT.TAG, Preopentype.DIR);
    memory.setU32(out + Layout.PRESTAT.PR_NAME_LEN, encodeText(entry.preopen).length);
    return Errno.SUCCESS;
  },

  fd_prestat_dir_name(context, memory, fd, path, pathLength) {
    const entry = context.fds.get(fd);
    if (entry.type !== 'directory' || entry.preopen === undefined) fail(Errno.BADF);
    const name = encodeText(entry.preopen);
    if (pathLength < name.length) fail(Errno.NAMETOOLONG);
    memory.write(path, name);
    return Errno.SUCCESS;
  },

  fd_readdir(context, memory, fd, buf, bufLength, cookie, bufused) {
    memory.checkRange(buf, bufLength);
    memory.checkRange(bufused, 4);
    const dirents = direntBytes(context, fd);
    let used = 0;
    for (let index = cookie < BigInt(dirents.length) ? Number(cookie) : dirents.length; index < dirents.length; index += 1) {
      // Why a dirent may be cut short: the spec fills the buffer completely, so a reader whose
      // buffer is too small for one entry sees `bufused == buf_len` and retries with a larger one.
      const bytes = dirents[index]!.subarray(0, bufLength - used);
      memory.write(buf + used, bytes);
      used += bytes.length;
      if (used === bufLength) break;
    }
    memory.setU32(bufused, used);
    return Errno.SUCCESS;
  },

  fd_renumber(context, _memory, fd, to) {
    context.fds.renumber(fd, to);
    return Errno.SUCCESS;
  },

  fd_seek(context, memory, fd, offset, whence, newOffset) {
    const delta = BigInt.asIntN(64, offset);
    const right = whence === Whence.CUR && delta === 0n ? Rights.FD_TELL : Rights.FD_SEEK;
    const entry = fileEntry(context, fd, right);
    memory.checkRange(newOffset, 8);
    let base: bigint;
    if (whence === Whence.SET) base = 0n;
    else if (whence === Whence.CUR) base = BigInt(entry.position);
    else if (whence === Whence.END) base = entry.handle.stat().size;
    else return fail(Errno.INVAL);
    const position = base + delta;
    if (position < 0n) fail(Errno.INVAL);
    if (position > BigInt(Number.MAX_SAFE_INTEGER)) fail(Errno.OVERFLOW);
    entry.position = Number(position);
    memory.setU64(newOffset, position);
    return Errno.SUCCESS;
  },

  fd_tell(context, memory, fd, out) {
    memory.setU64(out, BigInt(fileEntry(context, fd, Rights.FD_TELL).position));
    return Errno.SUCCESS;
  },
};
