import path from 'node:path';
import process from 'node:process';
import { type Command, parseCommandArgs, parsePort, UsageError } from './cli-command.js';
import { COEP_VALUES, DEFAULT_COEP, isCoepValue } from './isolation-headers.js';
import { startStaticServer } from './static-server.js';

/** `weft serve`: the development server with cross-origin isolation headers. */
export const serveCommand: Command = {
  summary: 'serve a folder over HTTP with cross-origin isolation headers',
  help: `Usage: weft serve [dir] [options]

Serves dir (default: the current folder) on http://127.0.0.1 with the
Cross-Origin-Opener-Policy, Cross-Origin-Embedder-Policy and
Cross-Origin-Resource-Policy headers that SharedArrayBuffer needs.

Options:
  --port N          port to listen on (default: 0, a free port)
  --host H          interface to listen on (default: 127.0.0.1)
  --no-isolation    do not send the isolation headers
  --coep VALUE      ${COEP_VALUES.join(' | ')} (default: ${DEFAULT_COEP})
  --open-path P     path to print after the address, e.g. /examples/ (default: /)
  -h, --help        show this help`,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      port: { type: 'string' },
      host: { type: 'string' },
      'no-isolation': { type: 'boolean' },
      coep: { type: 'string' },
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
    const coep = values.coep ?? DEFAULT_COEP;
    if (!isCoepValue(coep)) {
      throw new UsageError(`--coep must be one of ${COEP_VALUES.join(', ')}, got "${coep}"`);
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

