import { Errno } from '../constants.js';
import { fail } from '../errno-error.js';
import type { WasiDirectory, WasiNode } from './directory.js';

/** What a guest path names, relative to the directory it starts from. */
export interface ResolvedPath {
  /** The directory holding the final name (the directory itself when there is none). */
  readonly parent: WasiDirectory;
  /** The final name; undefined when the path ends at a directory (`.`, `..`, `a/..`, `a/.`). */
  readonly name: string | undefined;
  /** What the path names; undefined when the final name does not exist. */
  readonly node: WasiNode | undefined;
  /** The path ends in `/`, `.` or `..`: it must name a directory. */
  readonly mustBeDirectory: boolean;
  /** How many directories `parent` is below `start` (0: `parent` is `start`). */
  readonly depth: number;
}

/** Symbolic links followed in one resolution before ELOOP (Linux's limit). */
const MAX_SYMLINKS = 40;

/**
 * Resolves `path` from `start` one name at a time — the only place guest paths are interpreted,
 * so the sandbox holds for every backend:
 * - an absolute path, an absolute link target, or a `..` above `start` fails with ENOTCAPABLE
 *   (as wasmtime and cap-std do: a directory fd is a capability for what is under it);
 * - symbolic links are followed inside `start` only: always in the middle of a path, at the end
 *   when `followFinal` is set or the path ends in `/`; more than 40 fail with ELOOP;
 * - a name in the middle that is missing is ENOENT; one that is not a directory is ENOTDIR.
 *   A name before a final `.` is in the middle: `a/.` is `a` itself, which must exist, as on
 *   Linux, so no call creates, removes or renames an entry `a` through it (rmdir gives EINVAL).
 */
export function resolvePath(start: WasiDirectory, path: string, followFinal: boolean): ResolvedPath {
  if (path === '') fail(Errno.NOENT);
  if (path.includes('\0')) fail(Errno.INVAL);
  if (path.startsWith('/')) fail(Errno.NOTCAPABLE);
  const stack: WasiDirectory[] = [start];
  let parts = path.split('/');
  let index = 0;
  let links = 0;
  while (index < parts.length) {
    const part = parts[index]!;
    index += 1;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (stack.length === 1) fail(Errno.NOTCAPABLE);
      stack.pop();
      continue;
    }
    const directory = stack[stack.length - 1]!;
    const node = directory.lookup(part);
    const trailing = parts.slice(index);
    const isFinal = trailing.every((rest) => rest === '');
    const mustBeDirectory = isFinal && trailing.length > 0;
    if (node?.kind === 'symlink' && (!isFinal || followFinal || mustBeDirectory)) {
      links += 1;
      if (links > MAX_SYMLINKS) fail(Errno.LOOP);
      const target = node.readTarget();
      if (target === '') fail(Errno.NOENT);
      if (target.startsWith('/')) fail(Errno.NOTCAPABLE);
      parts = [...target.split('/'), ...trailing];
      index = 0;
      continue;
    }
    if (isFinal) {
      if (mustBeDirectory && node !== undefined && node.kind !== 'directory') fail(Errno.NOTDIR);
      return { parent: directory, name: part, node, mustBeDirectory, depth: stack.length - 1 };
    }
    if (node === undefined) fail(Errno.NOENT);
    if (node.kind !== 'directory') fail(Errno.NOTDIR);
    stack.push(node);
  }
  const directory = stack[stack.length - 1]!;
  return { parent: directory, name: undefined, node: directory, mustBeDirectory: true, depth: stack.length - 1 };
}

/**
 * Whether a symbolic link's contents stay inside the sandbox when read as a path from the link's
 * own directory, `depth` directories below the root: not absolute, and no `..` above the root.
 * Lexical, as the link may dangle: its names need not exist.
 */
export function linkTargetStaysInside(target: string, depth: number): boolean {
  if (target.startsWith('/')) return false;
  let level = depth;
  for (const part of target.split('/')) {
    if (part === '' || part === '.') continue;
    level += part === '..' ? -1 : 1;
    if (level < 0) return false;
  }
  return true;
}
