// Runs a program of test/shared/real-wasi-programs.mjs in Node, three ways, each in fresh temp
// folders filled from the program's description, and describes what it left (describeRun):
// - runNodeWasi: Node's own node:wasi (the reference), in a child process (node-wasi-child.mjs);
// - runWeftCli: `weft run` (dist/tooling/cli.js) in a child process;
// - runWeftInProcess: runWasi from dist/node.js, with host folders (NodeDirectory) as preopens.
// Used by real-wasi-programs.test.mjs and by the browser test (for the reference).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeRun, runCapturingOutput } from '../shared/real-wasi-programs.mjs';

const CHILD = fileURLToPath(new URL('./node-wasi-child.mjs', import.meta.url));
const CLI = fileURLToPath(new URL('../../dist/tooling/cli.js', import.meta.url));

/** How long one run may take before the child is killed. */
const RUN_TIMEOUT_MS = 60_000;

/** Reads a file URL (the `load` the programs' folder trees get). */
export const loadFile = async (url) => new Uint8Array(await readFile(url));

const trees = new Map();

/** A folder's contents, built once per program and folder (yosys's share/ is 317 files). */
function folderTree(name, guest, folder) {
  const key = `${name} ${guest}`;
  if (!trees.has(key)) trees.set(key, Promise.resolve(folder.tree(loadFile)));
  return trees.get(key);
}

async function writeTree(dir, tree) {
  await mkdir(dir, { recursive: true });
  for (const [name, value] of Object.entries(tree)) {
    if (typeof value === 'string' || value instanceof Uint8Array) await writeFile(join(dir, name), value);
    else await writeTree(join(dir, name), value);
  }
}

async function readTree(dir) {
  const tree = {};
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) tree[entry.name] = await readTree(path);
    else tree[entry.name] = new Uint8Array(await readFile(path));
  }
  return tree;
}

/**
 * Calls `run(hostPreopens)` with each preopen written to a fresh folder, then describes the run
 * with the compared folders as they are afterwards, and removes the folders.
 */
async function inFolders(name, program, run) {
  const root = await mkdtemp(join(tmpdir(), `weft-real-${name}-`));
  try {
    const hostPreopens = {};
    for (const [guest, folder] of Object.entries(program.preopens)) {
      const host = join(root, guest.replaceAll('/', '_'));
      await writeTree(host, await folderTree(name, guest, folder));
      hostPreopens[guest] = host;
    }
    const { exitCode, stdout, stderr } = await run(hostPreopens);
    const folders = {};
    for (const [guest, folder] of Object.entries(program.preopens)) if (folder.compare) folders[guest] = await readTree(hostPreopens[guest]);
    return describeRun({ exitCode, stdout, stderr, folders });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** Runs `node args...` with `stdin`; resolves to { exitCode, stdout, stderr } (bytes). */
function runNode(nodePath, args, stdin) {
  return new Promise((resolve, reject) => {
    const child = spawn(nodePath, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: RUN_TIMEOUT_MS });
    const stdout = [];
    const stderr = [];
    child.stdout.on('data', (chunk) => stdout.push(chunk));
    child.stderr.on('data', (chunk) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== null) reject(new Error(`${args.join(' ')} ended by ${signal}: ${Buffer.concat(stderr)}`));
      else resolve({ exitCode: code, stdout: new Uint8Array(Buffer.concat(stdout)), stderr: new Uint8Array(Buffer.concat(stderr)) });
    });
    child.stdin.on('error', () => {}); // a program that never reads stdin may end before it is written
    child.stdin.end(stdin ?? '');
  });
}

/** The program under Node's own node:wasi (`version: 'preview1'`), in `nodePath` (default: this Node). */
export function runNodeWasi(name, program, nodePath = process.execPath) {
  return inFolders(name, program, (preopens) => {
    const spec = { wasm: fileURLToPath(program.wasm), programName: program.programName, args: program.args, env: program.env, preopens };
    return runNode(nodePath, ['--no-warnings', CHILD, JSON.stringify(spec)], program.stdin);
  });
}

/** The program under `weft run`, as a user would type it. */
export function runWeftCli(name, program) {
  return inFolders(name, program, (preopens) => {
    const options = [];
    for (const [guest, host] of Object.entries(preopens)) options.push('--dir', `${host}::${guest}`);
    for (const [key, value] of Object.entries(program.env)) options.push('--env', `${key}=${value}`);
    return runNode(process.execPath, [CLI, 'run', ...options, fileURLToPath(program.wasm), '--', ...program.args], program.stdin);
  });
}

/** The program under runWasi (dist/node.js) in this process, with host folders as preopens. */
export function runWeftInProcess(name, program) {
  return inFolders(name, program, async (preopens) => {
    const { runWasi } = await import('../../dist/node.js');
    return runCapturingOutput(runWasi, program, preopens);
  });
}

const text = (base64) => Buffer.from(base64, 'base64').toString('utf8');

/**
 * Asserts that two described runs (describeRun) match: exit code, stdout, stderr (shown as text
 * when they differ) and the same files with the same bytes.
 */
export function assertSameRun(actual, expected, what) {
  assert.equal(actual.exitCode, expected.exitCode, `${what}: exit code (stderr: ${text(actual.stderr)})`);
  assert.equal(text(actual.stdout), text(expected.stdout), `${what}: stdout`);
  assert.equal(actual.stdout, expected.stdout, `${what}: stdout bytes`);
  assert.equal(text(actual.stderr), text(expected.stderr), `${what}: stderr`);
  assert.equal(actual.stderr, expected.stderr, `${what}: stderr bytes`);
  assert.deepEqual(Object.keys(actual.files), Object.keys(expected.files), `${what}: the files in the compared folders`);
  for (const [path, content] of Object.entries(expected.files)) {
    if (actual.files[path] === content) continue;
    const [a, e] = [Buffer.from(actual.files[path], 'base64'), Buffer.from(content, 'base64')];
    let at = 0;
    while (at < Math.min(a.length, e.length) && a[at] === e[at]) at += 1;
    assert.fail(`${what}: ${path} differs from byte ${at} (${a.length} bytes, expected ${e.length}): ` +
      `${JSON.stringify(a.subarray(at, at + 80).toString('latin1'))} instead of ${JSON.stringify(e.subarray(at, at + 80).toString('latin1'))}`);
  }
}

/** Asserts that the reference run did the work (so that matching it means something). */
export function assertReferenceDidTheWork(reference, program, what) {
  assert.equal(reference.exitCode, 0, `${what} under node:wasi: exit code (stderr: ${text(reference.stderr)})`);
  for (const path of program.writes) assert.ok(reference.files[path]?.length > 0, `${what} under node:wasi wrote ${path}`);
}
