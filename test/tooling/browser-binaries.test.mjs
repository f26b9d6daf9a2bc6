// How the suites find their browsers on a machine with nothing installed by hand: Chromium from
// the npm package @sparticuz/chromium, extracted into a versioned folder of the project's own.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const finder = new URL('../shared/browser-binaries.mjs', import.meta.url).href;

/** Calls the finder in a child process whose PATH has no browser and no WEFT_* variables. */
function findWithout(env, call) {
  const { WEFT_CHROMIUM, WEFT_FIREFOX, ...rest } = process.env;
  const script = `const m = await import(${JSON.stringify(finder)}); process.stdout.write(JSON.stringify(m.${call}()));`;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    env: { ...rest, PATH: '/nonexistent', ...env },
    encoding: 'utf8',
  });
  return JSON.parse(output);
}

test('with no chromium on PATH, Chromium is the binary inside @sparticuz/chromium, in a folder named by its version', () => {
  const { version } = JSON.parse(readFileSync(`${root}node_modules/@sparticuz/chromium/package.json`, 'utf8'));
  const found = findWithout({}, 'findChromium');
  assert.equal(found.source, `@sparticuz/chromium ${version}`);
  assert.equal(found.path, `${root}node_modules/.cache/weft-chromium/${version}/chromium`);
  assert.match(execFileSync(found.path, ['--version'], { encoding: 'utf8' }), /^Chromium \d+\./);
});

test('a WEFT_CHROMIUM that is not an executable is reported, not silently replaced', () => {
  const found = findWithout({ WEFT_CHROMIUM: '/nonexistent/chrome' }, 'findChromium');
  assert.match(found.missing, /WEFT_CHROMIUM=\/nonexistent\/chrome is not an executable file/);
});

test('with no firefox-esr on PATH, the reason names the command that installs it', () => {
  const found = findWithout({}, 'findFirefox');
  assert.match(found.missing, /apt-get install -y --no-install-recommends firefox-esr/);
});
