/**
 * The options of the static server ({@link StaticServerOptions}) and their checks, all made before
 * the server listens, so that a bad option never leaves a socket behind.
 *
 * @module
 */
import { realpath, stat } from 'node:fs/promises';
import { describeValue } from '../core/option-checks.js';
import { InvalidOptionError } from '../errors/catalogue.js';
import { checkIsolationHeaderOptions } from '../isolation/isolation-headers.js';
import type { IsolationHeaderOptions } from '../isolation/isolation-headers.js';

/**
 * Options for `startStaticServer`; `coep`, `policy` and `corp` choose the isolation headers (see
 * {@link IsolationHeaderOptions}).
 */
export interface StaticServerOptions extends IsolationHeaderOptions {
  /** The folder to serve. Requests are never answered with files outside it. */
  root: string;
  /** TCP port, an integer from 0 to 65535; default 0, which picks a free port. */
  port?: number;
  /** Interface to listen on; default `127.0.0.1` (only this machine can connect). */
  host?: string;
  /** Send the isolation headers (COOP, COEP and CORP by default) with every response; default true. */
  isolation?: boolean;
  /**
   * Answer `/isolation-sw.js` with weft's isolation service worker (`weft/isolation-sw.js`) when
   * the folder has no file of that name, so that a page served without the headers can isolate
   * itself with `registerIsolationServiceWorker({ url: '/isolation-sw.js' })` as it would on a
   * static host where the file was copied to the root; default true.
   */
  isolationServiceWorker?: boolean;
}

/** {@link StaticServerOptions} checked, with their defaults, and `root` as its real path. */
export interface CheckedStaticServerOptions {
  readonly root: string;
  readonly port: number;
  readonly host: string;
  readonly isolation: boolean;
  readonly isolationServiceWorker: boolean;
  readonly headerOptions: Required<IsolationHeaderOptions>;
}

/** The highest TCP port number. */
const MAX_PORT = 65_535;

/**
 * Checks every option of `startStaticServer`, and that `root` is an existing folder.
 *
 * Why every one before listening: `server.listen()` takes a string port as the path of a UNIX
 * socket and an empty host as "every interface", so a mistyped option would otherwise quietly
 * listen somewhere else.
 *
 * @throws InvalidOptionError (`options`) when `options` is not an object; InvalidOptionError naming the
 *   first option that is wrong.
 */
export async function checkStaticServerOptions(options: unknown): Promise<CheckedStaticServerOptions> {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', `startStaticServer takes an options object such as { root: 'public' }; got ${describeValue(options)}.`);
  }
  const given = options as Partial<Record<keyof StaticServerOptions, unknown>>;
  const { root, port = 0, host = '127.0.0.1', isolation = true, isolationServiceWorker = true } = given;
  if (typeof root !== 'string' || root === '') {
    throw new InvalidOptionError('root', `"root" must be the path of the folder to serve; got ${describeValue(root)}.`);
  }
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > MAX_PORT) {
    throw new InvalidOptionError('port', `"port" must be an integer from 0 to ${MAX_PORT} (0 picks a free port); got ${describeValue(port)}.`);
  }
  if (typeof host !== 'string' || host === '') {
    throw new InvalidOptionError('host', `"host" must be a host name or IP address to listen on, such as "127.0.0.1" or "::"; got ${describeValue(host)}.`);
  }
  if (typeof isolation !== 'boolean') {
    throw new InvalidOptionError('isolation', `"isolation" must be a boolean; got ${describeValue(isolation)}.`);
  }
  if (typeof isolationServiceWorker !== 'boolean') {
    throw new InvalidOptionError('isolationServiceWorker', `"isolationServiceWorker" must be a boolean; got ${describeValue(isolationServiceWorker)}.`);
  }
  const headerOptions = checkIsolationHeaderOptions(options as IsolationHeaderOptions);
  return { root: await realFolder(root), port, host, isolation, isolationServiceWorker, headerOptions };
}

/** The real path of `root`, which must be an existing folder. */
async function realFolder(root: string): Promise<string> {
  let real: string;
  try {
    real = await realpath(root);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : (error as Error).message;
    throw new InvalidOptionError('root', `cannot serve ${root}: ${reason}. Give the path of an existing folder to serve as "root".`);
  }
  if (!(await stat(real)).isDirectory()) {
    throw new InvalidOptionError('root', `cannot serve ${root}: not a folder. Give the path of an existing folder to serve as "root".`);
  }
  return real;
}
