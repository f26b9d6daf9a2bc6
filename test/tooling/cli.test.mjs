// The `weft` command line, as `npm start` uses it.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../dist/tooling/cli.js', import.meta.url));
const root = fileURLToPath(new URL('../../', import.meta.url));

test('weft serve prints its URL and serves the examples with the isolation headers', async () => {
  const child = spawn(process.execPath, [cli, 'serve', root, '--open-path', '/examples/'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${output}`)), 10_000);
      child.stdout.on('data', (chunk) => {
        output += chunk;
        const match = output.match(/at (http:\/\/\S+)/);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.on('exit', (code) => reject(new Error(`weft serve exited with ${code}: ${output}`)));
    });
    assert.match(url, /\/examples\/$/);
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('cross-origin-opener-policy'), 'same-origin');
    assert.equal(page.headers.get('cross-origin-embedder-policy'), 'require-corp');
    assert.match(await page.text(), /weft: WebAssembly threads made easy/);
    const wasm = await fetch(new URL('../wasm/hello.wasm', url));
    assert.equal(wasm.headers.get('content-type'), 'application/wasm');
    const worker = await fetch(new URL('../dist/worker/browser-entry.js', url));
    assert.match(worker.headers.get('content-type'), /^text\/javascript/);
  } finally {
    child.kill('SIGTERM');
  }
});

test('an unknown command exits with code 2 and says what to do', async () => {
  const outcome = await new Promise((resolve) => {
    execFile(process.execPath, [cli, 'bogus'], (error, stdout, stderr) => resolve({ code: error?.code ?? 0, stderr }));
  });
  assert.equal(outcome.code, 2);
  assert.match(outcome.stderr, /unknown command "bogus"/);
  assert.match(outcome.stderr, /weft --help/);
});

test('weft serve --policy both --corp cross-origin sends Document-Isolation-Policy too; a bad --policy exits with 2', async () => {
  const child = spawn(process.execPath, [cli, 'serve', root, '--policy', 'both', '--corp', 'cross-origin'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise((resolve, reject) => {
      let output = '';
      child.stdout.on('data', (chunk) => {
        output += chunk;
        const match = output.match(/at (http:\/\/\S+)/);
        if (match) resolve(match[1]);
      });
      child.on('exit', (code) => reject(new Error(`weft serve exited with ${code}: ${output}`)));
    });
    const page = await fetch(new URL('examples/', url));
    await page.arrayBuffer();
    assert.equal(page.headers.get('document-isolation-policy'), 'isolate-and-require-corp');
    assert.equal(page.headers.get('cross-origin-opener-policy'), 'same-origin');
    assert.equal(page.headers.get('cross-origin-resource-policy'), 'cross-origin');
  } finally {
    child.kill('SIGTERM');
  }
  const outcome = await new Promise((resolve) => {
    execFile(process.execPath, [cli, 'serve', root, '--policy', 'coop'], (error, stdout, stderr) => resolve({ code: error?.code ?? 0, stderr }));
  });
  assert.equal(outcome.code, 2);
  assert.match(outcome.stderr, /--policy must be one of coop-coep, document-isolation-policy, both/);
});

test('weft serve refuses bad arguments before listening: one line naming the mistake, exit code 2', async () => {
  const missing = fileURLToPath(new URL('../../no-such-folder/', import.meta.url));
  for (const [args, message] of [
    [['--port', 'x'], /^weft: --port must be an integer from 0 to 65535, got "x"$/],
    [['--port', '65536'], /^weft: --port must be an integer from 0 to 65535, got "65536"$/],
    [['--port', '8.5'], /^weft: --port must be an integer from 0 to 65535, got "8.5"$/],
    [['--host', ''], /^weft: --host must be a host name or IP address/],
    [[missing], /^weft: cannot serve .*no-such-folder.*: no such folder/],
    [[cli], /^weft: cannot serve .*cli\.js: not a folder/],
  ]) {
    // Why a timeout: before these checks, `--host ''` listened on every interface and never ended.
    const outcome = await new Promise((resolve) => {
      execFile(process.execPath, [cli, 'serve', ...args], { timeout: 10_000 }, (error, stdout, stderr) => resolve({ code: error?.code ?? 0, stdout, stderr }));
    });
    assert.equal(outcome.code, 2, `${args.join(' ')}: ${outcome.stderr}`);
    assert.equal(outcome.stdout, '', args.join(' '));
    const [first, ...others] = outcome.stderr.trimEnd().split('\n');
    assert.match(first, message, args.join(' '));
    assert.deepEqual(others, ['Run "weft serve --help" for usage.'], args.join(' '));
  }
});
