import { Errno, Fdflags, Lookupflags, Oflags, Rights } from './constants.js';
import { fail } from './errno-error.js';
import { DIRECTORY_RIGHTS, FILE_RIGHTS, type DirectoryEntry } from './fd-table.js';
import { linkTargetStaysInside, resolvePath, type ResolvedPath } from './fs/resolve-path.js';
import { encodeText, type GuestMemory } from './memory.js';
import { timesFromFlags, writeFilestat, type SyscallTable, type WasiContext } from './syscall.js';

type PathCallName =
  | 'path_create_directory' | 'path_filestat_get' | 'path_filestat_set_times' | 'path_link' | 'path_open'
  | 'path_readlink' | 'path_remove_directory' | 'path_rename' | 'path_symlink' | 'path_unlink_file';

const ALL_OFLAGS = Oflags.CREAT | Oflags.DIRECTORY | Oflags.EXCL | Oflags.TRUNC;
const ALL_FDFLAGS = Fdflags.APPEND | Fdflags.DSYNC | Fdflags.NONBLOCK | Fdflags.RSYNC | Fdflags.SYNC;

/** Resolves the guest string at `path`/`length` from directory `fd`, which must hold `rights`. */
function resolveAt(
  context: WasiContext, memory: GuestMemory, fd: number, rights: bigint,
  path: number, length: number, followFinal: boolean,
): ResolvedPath & { readonly from: DirectoryEntry; readonly text: string } {
  const from = context.fds.directory(fd, rights);
  const text = memory.readString(path, length);
  return { ...resolvePath(from.directory, text, followFinal), from, text };
}

/** Whether the last name of `path` is `..` (POSIX answers ENOTEMPTY to removing it, EINVAL to `.`). */
function endsInDotDot(path: string): boolean {
  return path.split('/').filter((part) => part !== '' && part !== '.').at(-1) === '..';
}

/**
 * ENOTCAPABLE if `rightsBase` asks for a right of `applicable` (those of what is opened) that the
 * directory may not hand on. Why not fewer rights instead: the spec lets path_open return fewer
 * rights than asked only where they do not apply to what is opened; one that applies but is not
 * among the directory's inheriting rights is a capability the program lacks. wasi-libc asks only
 * for what the directory's inheriting rights allow.
 */
function checkInherited(rightsBase: bigint, inherited: bigint, applicable: bigint): void {
  if (rightsBase & applicable & ~inherited) fail(Errno.NOTCAPABLE);
}

/** The `path_*` functions. */
export const pathCalls: SyscallTable<PathCallName> = {
  path_create_directory(context, memory, fd, path, length) {
    const target = resolveAt(context, memory, fd, Rights.PATH_CREATE_DIRECTORY, path, length, false);
    if (target.name === undefined || target.node !== undefined) fail(Errno.EXIST);
    target.parent.createDirectory(target.name);
    return Errno.SUCCESS;
  },

  path_filestat_get(context, memory, fd, flags, path, length, out) {
    const target = resolveAt(context, memory, fd, Rights.PATH_FILESTAT_GET, path, length, (flags & Lookupflags.SYMLINK_FOLLOW) !== 0);
    writeFilestat(memory, out, (target.node ?? fail(Errno.NOENT)).stat());
    return Errno.SUCCESS;
  },

  path_filestat_set_times(context, memory, fd, flags, path, length, atim, mtim, fstFlags) {
    const target = resolveAt(context, memory, fd, Rights.PATH_FILESTAT_SET_TIMES, path, length, (flags & Lookupflags.SYMLINK_FOLLOW) !== 0);
    const times = timesFromFlags(atim, mtim, fstFlags);
    (target.node ?? fail(Errno.NOENT)).setTimes(times);
    return Errno.SUCCESS;
  },

  path_link(context, memory, oldFd, oldFlags, oldPath, oldLength, newFd, newPath, newLength) {
    const source = resolveAt(context, memory, oldFd, Rights.PATH_LINK_SOURCE, oldPath, oldLength, (oldFlags & Lookupflags.SYMLINK_FOLLOW) !== 0);
    const target = resolveAt(context, memory, newFd, Rights.PATH_LINK_TARGET, newPath, newLength, false);
    const node = source.node ?? fail(Errno.NOENT);
    if (node.kind === 'directory') fail(Errno.PERM);
    // A symbolic link not followed (no SYMLINK_FOLLOW) is linked itself, as link(2) does on
    // Linux; it may dangle. Its new name is still resolved inside the sandbox whenever it is used.
    if (target.name === undefined || target.node !== undefined) fail(Errno.EXIST);
    if (target.mustBeDirectory) fail(Errno.NOENT);
    target.parent.link(target.name, node);
    return Errno.SUCCESS;
  },

  path_open(context, memory, fd, dirflags, path, length, oflags, rightsBase, rightsInheriting, fdflags, opened) {
    if (oflags & ~ALL_OFLAGS || fdflags & ~ALL_FDFLAGS) fail(Errno.INVAL);
    const create = (oflags & Oflags.CREAT) !== 0;
    const truncate = (oflags & Oflags.TRUNC) !== 0;
    const wantDirectory = (oflags & Oflags.DIRECTORY) !== 0;
    if (wantDirectory && (create || truncate)) fail(Errno.INVAL);
    const needed = Rights.PATH_OPEN | (create ? Rights.PATH_CREATE_FILE : 0n) | (truncate ? Rights.PATH_FILESTAT_SET_SIZE : 0n);
    memory.checkRange(opened, 4);
    const target = resolveAt(context, memory, fd, needed, path, length, (dirflags & Lookupflags.SYMLINK_FOLLOW) !== 0);
    // Before anything is created or opened on the host.
    context.fds.checkRoom();
    const inherited = target.from.rightsInheriting;
    let node = target.node;
    if (node === undefined) {
      if (!create) fail(Errno.NOENT);
      if (target.mustBeDirectory) fail(Errno.ISDIR);
      checkInherited(rightsBase, inherited, FILE_RIGHTS); // before the file exists
      node = target.parent.createFile(target.name!);
    } else if (create && oflags & Oflags.EXCL) {
      fail(Errno.EXIST);
    }
    // The final name is a link that was not to be followed (O_NOFOLLOW): POSIX says ELOOP.
    if (node.kind === 'symlink') fail(Errno.LOOP);
    checkInherited(rightsBase, inherited, node.kind === 'directory' ? DIRECTORY_RIGHTS : FILE_RIGHTS);
    if (node.kind === 'directory') {
      if (truncate || rightsBase & Rights.FD_WRITE) fail(Errno.ISDIR);
      const newFd = context.fds.add({
        type: 'directory',
        directory: node,
        depth: target.from.depth + target.depth + (target.name === undefined ? 0 : 1),
        rightsBase: rightsBase & inherited & DIRECTORY_RIGHTS,
        rightsInheriting: rightsInheriting & inherited,
        flags: fdflags,
      });
      memory.setU32(opened, newFd);
      return Errno.SUCCESS;
    }
    if (wantDirectory) fail(Errno.NOTDIR);
    const base = rightsBase & inherited & FILE_RIGHTS;
    const handle = node.open({ read: (base & Rights.FD_READ) !== 0n, write: (base & Rights.FD_WRITE) !== 0n || truncate });
    try {
      if (truncate) handle.setSize(0);
    } catch (error) {
      handle.close();
      throw error;
    }
    const newFd = context.fds.add({
      type: 'file',
      file: node,
      handle,
      position: 0,
      rightsBase: base,
      rightsInheriting: rightsInheriting & inherited,
      flags: fdflags,
    });
    memory.setU32(opened, newFd);
    return Errno.SUCCESS;
  },

  path_readlink(context, memory, fd, path, length, buf, bufLength, used) {
    const target = resolveAt(context, memory, fd, Rights.PATH_READLINK, path, length, false);
    const node = target.node ?? fail(Errno.NOENT);
    if (node.kind !== 'symlink') fail(Errno.INVAL);
    memory.checkRange(used, 4);
    const contents = encodeText(node.readTarget()).subarray(0, bufLength);
    memory.write(buf, contents);
    memory.setU32(used, contents.length);
    return Errno.SUCCESS;
  },

  path_remove_directory(context, memory, fd, path, length) {
    const target = resolveAt(context, memory, fd, Rights.PATH_REMOVE_DIRECTORY, path, length, false);
    if (target.name === undefined) fail(endsInDotDot(target.text) ? Errno.NOTEMPTY : Errno.INVAL);
    if (target.node === undefined) fail(Errno.NOENT);
    target.parent.removeDirectory(target.name);
    return Errno.SUCCESS;
  },

  path_rename(context, memory, fd, oldPath, oldLength, newFd, newPath, newLength) {
    const source = resolveAt(context, memory, fd, Rights.PATH_RENAME_SOURCE, oldPath, oldLength, false);
    const target = resolveAt(context, memory, newFd, Rights.PATH_RENAME_TARGET, newPath, newLength, false);
    if (source.name === undefined || target.name === undefined) fail(Errno.BUSY);
    const node = source.node ?? fail(Errno.NOENT);
    if (target.mustBeDirectory && node.kind !== 'directory') fail(Errno.NOTDIR);
    source.parent.rename(source.name, target.parent, target.name);
    return Errno.SUCCESS;
  },

  path_symlink(context, memory, oldPath, oldLength, fd, newPath, newLength) {
    const contents = memory.readString(oldPath, oldLength);
    const target = resolveAt(context, memory, fd, Rights.PATH_SYMLINK, newPath, newLength, false);
    // Why refuse targets that leave the preopen (absolute, or `..` above its root counted from
    // the link's directory): weft would never follow them, but in a host directory they would
    // stay behind as links to the host's own files, for whatever else reads that directory.
    // ENOTCAPABLE as for every other escape here (cap-std refuses absolute targets too).
    if (!linkTargetStaysInside(contents, target.from.depth + target.depth)) fail(Errno.NOTCAPABLE);
    if (target.name === undefined || target.node !== undefined) fail(Errno.EXIST);
    if (target.mustBeDirectory) fail(Errno.NOENT);
    target.parent.createSymlink(target.name, contents);
    return Errno.SUCCESS;
  },

  path_unlink_file(context, memory, fd, path, length) {
    const target = resolveAt(context, memory, fd, Rights.PATH_UNLINK_FILE, path, length, false);
    if (target.name === undefined) fail(Errno.ISDIR);
    const node = target.node ?? fail(Errno.NOENT);
    if (node.kind === 'directory') fail(Errno.ISDIR);
    target.parent.removeFile(target.name);
    return Errno.SUCCESS;
  },
};
