#!/usr/bin/env node
/**
 * The `weft` command line. Each command is one entry in {@link commands}; add a command by
 * adding an entry. A command's module is loaded only when it runs (or for help), so `weft run`
 * does not pay for the server's modules.
 *
 * Exit codes: 0 success, 1 failure while running, 2 usage mistake.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { type Command, UsageError } from './cli-command.js';

/** Exit code for a usage mistake (unknown command, bad flag), as in most Unix tools. */
const EXIT_USAGE = 2;
/** Exit code for a failure while running a command. */
const EXIT_FAILURE = 1;


/** Every command, by the name typed after `weft`: a function that loads it. */
const commands: Readonly<Record<string, () => Promise<Command>>> = {
  run: async () => (await import('./run-command.js')).runCommand,
  serve: async () => (await import('./serve-command.js')).serveCommand,
};

/** Runs the command line `argv` (without `node` and the script); resolves to the exit code. */
async function main(argv: readonly string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    process.stderr.write(`${await overview()}\n`);
    return EXIT_USAGE;
  }
  if (first === '--help' || first === '-h') {
    process.stdout.write(`${await overview()}\n`);
    return 0;
  }
  if (first === '--version' || first === '-v') {
    process.stdout.write(`${readVersion()}\n`);
    return 0;
  }
  if (first === 'help') {
    const topic = rest[0];
    const command = topic === undefined ? undefined : await findCommand(topic);
    process.stdout.write(`${command?.help ?? (await overview())}\n`);
    return 0;
  }
  const command = await findCommand(first);
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

async function findCommand(name: string): Promise<Command | undefined> {
  return Object.hasOwn(commands, name) ? commands[name]!() : undefined;
}

async function overview(): Promise<string> {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const loaded = await Promise.all(Object.entries(commands).map(async ([name, load]) => [name, await load()] as const));
  const lines = loaded.map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`);
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

// Why: `weft run prog.wasm | head` closes the pipe early; like other Unix tools, stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    // Why: `weft run` may leave output in the stdout pipe and stdin open; exit once it drained.
    process.stdout.write('', () => process.exit(code));
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
