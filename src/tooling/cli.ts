#!/usr/bin/env node
/**
 * The `weft` command line. Each command is one entry in {@link commands}; add a command by
 * adding an entry.
 *
 * Exit codes: 0 success, 1 failure while running, 2 usage mistake.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { COEP_VALUES, DEFAULT_COEP, isCoepValue } from './isolation-headers.js';
import { startStaticServer } from './static-server.js';

/** Exit code for a usage mistake (unknown command, bad flag), as in most Unix tools. */
const EXIT_USAGE = 2;
/** Exit code for a failure while running a command. */
const EXIT_FAILURE = 1;

/** A mistake in how the command line was written; reported with exit code 2. */
class UsageError extends Error {
  override name = 'UsageError';
  /** The command whose usage was wrong, to point at its help. */
  command: string | undefined;
}

/** One `weft <name>` command. */
interface Command {
  /** One line for the overview in `weft --help`. */
  summary: string;
  /** The full help text of `weft <name> --help`. */
  help: string;
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(args: string[]): Promise<number>;
}

const serveCommand: Command = {
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

/** Every command, by the name typed after `weft`. */
const commands: Readonly<Record<string, Command>> = {
  serve: serveCommand,
};

/** Runs the command line `argv` (without `node` and the script); resolves to the exit code. */
async function main(argv: readonly string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    process.stderr.write(`${overview()}\n`);
    return EXIT_USAGE;
  }
  if (first === '--help' || first === '-h') {
    process.stdout.write(`${overview()}\n`);
    return 0;
  }
  if (first === '--version' || first === '-v') {
    process.stdout.write(`${readVersion()}\n`);
    return 0;
  }
  if (first === 'help') {
    const topic = rest[0];
    const command = topic === undefined ? undefined : findCommand(topic);
    process.stdout.write(`${command?.help ?? overview()}\n`);
    return 0;
  }
  const command = findCommand(first);
  if (command === undefined) {
    throw new UsageError(first.startsWith('-') ? `unknown option "${first}"` : `unknown command "${first}"`);
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) error.command ??= first;
    throw error;
  }
}

function findCommand(name: string): Command | undefined {
  return Object.hasOwn(commands, name) ? commands[name] : undefined;
}

function overview(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const lines = Object.entries(commands)
    .map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`);
  return `Usage: weft <command> [options]

Commands:
${lines.join('\n')}

Options:
  -h, --help     show this help (weft <command> --help for a command's options)
  -v, --version  print weft's version`;
}

function readVersion(): string {
  // dist/tooling/cli.js and src/tooling/cli.ts both sit two folders below package.json.
  const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return packageJson.version;
}

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** `util.parseArgs` in strict mode, with its errors turned into {@link UsageError}. */
function parseCommandArgs<T extends OptionsConfig>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
      throw new UsageError((error as Error).message);
    }
    throw error;
  }
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return 0;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) {
    throw new UsageError(`--port must be an integer from 0 to 65535, got "${text}"`);
  }
  return port;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      const helpCommand = error.command === undefined ? 'weft --help' : `weft ${error.command} --help`;
      process.stderr.write(`weft: ${error.message}\nRun "${helpCommand}" for usage.\n`);
      process.exitCode = EXIT_USAGE;
    } else {
      process.stderr.write(`weft: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = EXIT_FAILURE;
    }
  },
);
