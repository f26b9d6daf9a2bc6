import path from 'node:path';
import process from 'node:process';
import { InvalidOptionError } from '../errors/catalogue.js';
import { type Command, parseCommandArgs, parsePort, UsageError } from './cli-command.js';
import {
  COEP_VALUES, CORP_VALUES, DEFAULT_COEP, DEFAULT_CORP, DEFAULT_ISOLATION_POLICY, isCoepValue, isCorpValue,
  isIsolationPolicy, ISOLATION_POLICIES,
} from '../isolation/isolation-headers.js';
import { startStaticServer } from './static-server.js';

/** `weft serve`: the development server with cross-origin isolation headers. */
export const serveCommand: Command = {
  summary: 'serve a folder over HTTP with cross-origin isolation headers',
  help: `Usage: weft serve [dir] [options]

Serves dir (default: the current folder) on http://127.0.0.1 with the
Cross-Origin-Opener-Policy, Cross-Origin-Embedder-Policy and
Cross-Origin-Resource-Policy headers that SharedArrayBuffer needs. A missing
file gets a 404 page that lists the nearest folder; a folder without
index.html gets a listing. /isolation-sw.js, unless dir has that file, is
weft's isolation service worker (for pages served with --no-isolation).

Options:
  --port N          port to listen on (default: 0, a free port)
  --host H          interface to listen on (default: 127.0.0.1)
  --no-isolation    do not send the isolation headers
  --coep VALUE      ${COEP_VALUES.join(' | ')} (default: ${DEFAULT_COEP})
  --policy VALUE    ${ISOLATION_POLICIES.join(' | ')} (default: ${DEFAULT_ISOLATION_POLICY});
                    document-isolation-policy isolates in Chromium 137+ only
  --corp VALUE      ${CORP_VALUES.join(' | ')} (default: ${DEFAULT_CORP})
  --open-path P     path to print after the address, e.g. /examples/ (default: /)
  -h, --help        show this help`,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      port: { type: 'string' },
      host: { type: 'string' },
      'no-isolation': { type: 'boolean' },
      coep: { type: 'string' },
      policy: { type: 'string' },
      corp: { type: 'string' },
      'open-path': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help === true) {
      process.stdout.write(`${serveCommand.help}\n`);
      return 0;
    }
    if (positionals.length > 1) {
      throw new UsageError(`serve takes one folder, got ${positionals.length}: ${positionals.join(' ')}`);
    }
    const dir = positionals[0] ?? '.';
    const port = parsePort(values.port);
    if (values.host === '') {
      throw new UsageError('--host must be a host name or IP address to listen on, such as 127.0.0.1 or ::, got ""');
    }
    const coep = values.coep ?? DEFAULT_COEP;
    if (!isCoepValue(coep)) {
      throw new UsageError(`--coep must be one of ${COEP_VALUES.join(', ')}, got "${coep}"`);
    }
    const policy = values.policy ?? DEFAULT_ISOLATION_POLICY;
    if (!isIsolationPolicy(policy)) {
      throw new UsageError(`--policy must be one of ${ISOLATION_POLICIES.join(', ')}, got "${policy}"`);
    }
    const corp = values.corp ?? DEFAULT_CORP;
    if (!isCorpValue(corp)) {
      throw new UsageError(`--corp must be one of ${CORP_VALUES.join(', ')}, got "${corp}"`);
    }
    const openPath = values['open-path'] ?? '/';
    if (!openPath.startsWith('/')) {
      throw new UsageError(`--open-path must start with "/", got "${openPath}"`);
    }

    const server = await startStaticServer({
      root: dir,
      port,
      ...(values.host === undefined ? {} : { host: values.host }),
      isolation: values['no-isolation'] !== true,
      coep,
      policy,
      corp,
    }).catch((error: unknown) => {
      // The flags were checked above; what is left is the folder (missing, or a file).
      throw error instanceof InvalidOptionError ? new UsageError(error.message) : error;
    });
    process.stdout.write(`weft serving ${path.resolve(dir)} at ${server.url}${openPath}\n`);

    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        server.close().then(resolve, resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    return 0;
  },
};

