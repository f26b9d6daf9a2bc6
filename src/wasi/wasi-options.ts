import { describeValue } from '../core/option-checks.js';
import { InvalidOptionError } from '../errors/catalogue.js';
import type { WasiDirectory } from './fs/directory.js';
import type { WasiInput, WasiOutput } from './stdio.js';

/** Options of a {@link WasiHost}: what one WASI program sees. */
export interface WasiOptions {
  /** argv, including argv[0] (the program's name). Default: none. */
  args?: readonly string[];
  /** Environment variables. Default: none. */
  env?: Readonly<Record<string, string>>;
  /** Directories the program may use: guest path → backend. They are fds 3, 4, ... in this order. */
  preopens?: Readonly<Record<string, WasiDirectory>>;
  /** What the program reads on stdin. Default: nothing (end of file at once). */
  stdin?: WasiInput;
  /** Receives what the program writes to stdout, in whole lines where it can. Default: discarded. */
  stdout?: WasiOutput;
  /** Receives what the program writes to stderr. Default: discarded. */
  stderr?: WasiOutput;
  /**
   * Which stdio streams are terminals. A terminal reports `character_device` (wasi-libc's
   * `isatty()` is then true, and stdout line-buffered); any other stream reports `unknown`, as a
   * pipe or a callback is no character device, and the program's C library buffers it fully, as
   * on a pipe. Default: none.
   */
  terminal?: StdioTerminals;
}

/** Which of stdin, stdout and stderr are terminals (see {@link WasiOptions.terminal}). */
export interface StdioTerminals {
  readonly stdin?: boolean;
  readonly stdout?: boolean;
  readonly stderr?: boolean;
}

type UncheckedOptions = Partial<Record<keyof WasiOptions, unknown>>;

/** What a value must have to be used as a {@link WasiDirectory}: its kind and every method the host may call. */
const DIRECTORY_METHODS = [
  'stat', 'setTimes', 'lookup', 'list', 'createFile', 'createDirectory', 'createSymlink', 'link', 'removeFile', 'removeDirectory', 'rename',
] as const;

const STDIO_NAMES: readonly string[] = ['stdin', 'stdout', 'stderr'];

/** A string a C program can take whole: a NUL byte would end it early. */
function isCString(value: unknown): value is string {
  return typeof value === 'string' && !value.includes('\0');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What StdinBuffer reads: text, bytes, an async iterable or a ReadableStream. */
function isWasiInput(value: unknown): boolean {
  if (typeof value === 'string' || value instanceof Uint8Array) return true;
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { [Symbol.asyncIterator]?: unknown; getReader?: unknown };
  return typeof candidate[Symbol.asyncIterator] === 'function' || typeof candidate.getReader === 'function';
}

/** The methods of a {@link WasiDirectory} that `value` lacks (all of them for what is no directory). */
function missingDirectoryMethods(value: unknown): readonly string[] {
  if (!isObject(value) || value['kind'] !== 'directory') return DIRECTORY_METHODS;
  return DIRECTORY_METHODS.filter((method) => typeof value[method] !== 'function');
}

/**
 * `options` as a `WasiHost` takes them, or an InvalidOptionError naming the first that is
 * wrong. Why check here, once: a wrong value would otherwise fail deep inside a later call (or
 * never, silently: `{ A: 1 }` as env would become `A=1`), far from the mistake.
 */
export function checkWasiOptions(options: unknown): WasiOptions {
  if (options === undefined) return {};
  if (!isObject(options)) {
    throw new InvalidOptionError('options', `new WasiHost(options) takes an options object like { args: ['prog'], stdout: (bytes) => {} }, or nothing, got ${describeValue(options)}.`);
  }
  const o = options as UncheckedOptions;
  checkProgramOptions(o);
  checkPreopens(o.preopens);
  return options as WasiOptions;
}

/**
 * The options a program's host takes in every form (`WasiHost`, `runWasi`): args, env, stdin,
 * stdout, stderr and terminal; an InvalidOptionError naming the first that is wrong.
 */
export function checkProgramOptions(o: Partial<Record<'args' | 'env' | 'stdin' | 'stdout' | 'stderr' | 'terminal', unknown>>): void {
  checkArgs(o.args);
  checkEnv(o.env);
  if (o.stdin !== undefined && !isWasiInput(o.stdin)) {
    throw new InvalidOptionError('stdin', `"stdin" must be a string, a Uint8Array, an async iterable of them or a ReadableStream of bytes, got ${describeValue(o.stdin)}.`);
  }
  for (const name of ['stdout', 'stderr'] as const) {
    if (o[name] !== undefined && typeof o[name] !== 'function') {
      throw new InvalidOptionError(name, `"${name}" must be a function that receives each chunk of bytes, like (bytes) => process.${name}.write(bytes), got ${describeValue(o[name])}.`);
    }
  }
  checkTerminal(o.terminal);
}

function checkArgs(args: unknown): void {
  if (args === undefined) return;
  if (!Array.isArray(args)) throw new InvalidOptionError('args', `"args" must be an array of strings (argv, the program's name first), got ${describeValue(args)}.`);
  const index = args.findIndex((arg) => !isCString(arg));
  if (index >= 0) throw new InvalidOptionError('args', `"args" must hold strings without NUL characters, got ${describeValue(args[index])} at index ${index}.`);
}

function checkEnv(env: unknown): void {
  if (env === undefined) return;
  if (!isObject(env)) throw new InvalidOptionError('env', `"env" must be an object of names to string values, like { HOME: '/home' }, got ${describeValue(env)}.`);
  for (const [name, value] of Object.entries(env)) {
    // Why: the program sees "NAME=value" strings; a name with "=" or nothing would be read back wrong.
    if (name === '' || name.includes('=') || !isCString(name)) throw new InvalidOptionError('env', `"env" names must be non-empty, without "=" or NUL characters, got ${describeValue(name)}.`);
    if (!isCString(value)) throw new InvalidOptionError('env', `"env.${name}" must be a string without NUL characters (write numbers as text: "1"), got ${describeValue(value)}.`);
  }
}

function checkPreopens(preopens: unknown): void {
  if (preopens === undefined) return;
  if (!isObject(preopens)) {
    throw new InvalidOptionError('preopens', `"preopens" must be an object of guest paths to directories, like { '/data': MemoryDirectory.from({}) }, got ${describeValue(preopens)}.`);
  }
  for (const [guestPath, directory] of Object.entries(preopens)) {
    if (guestPath === '' || !isCString(guestPath)) throw new InvalidOptionError('preopens', `"preopens" guest paths must be non-empty, without NUL characters, got ${describeValue(guestPath)}.`);
    const missing = missingDirectoryMethods(directory);
    if (missing.length === DIRECTORY_METHODS.length) {
      const hint = typeof directory === 'string' ? ': open a host folder with new NodeDirectory(path) from "weft/wasi" in Node' : '';
      throw new InvalidOptionError('preopens', `"preopens" entry "${guestPath}" must be a directory (MemoryDirectory, NodeDirectory or another WasiDirectory), got ${describeValue(directory)}${hint}.`);
    }
    if (missing.length > 0) throw new InvalidOptionError('preopens', `"preopens" entry "${guestPath}" is no WasiDirectory: it lacks ${missing.join(', ')}.`);
  }
}

function checkTerminal(terminal: unknown): void {
  if (terminal === undefined) return;
  const wrong = !isObject(terminal) || Object.entries(terminal).some(([name, value]) => !STDIO_NAMES.includes(name) || (value !== undefined && typeof value !== 'boolean'));
  if (wrong) throw new InvalidOptionError('terminal', `"terminal" must be an object like { stdout: true }: booleans for stdin, stdout and stderr, got ${describeValue(terminal)}.`);
}
