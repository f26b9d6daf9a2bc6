// Finds the browsers that the browser suites, the demo screenshots and the bench drive, so that a
// fresh machine with nothing installed by hand still runs the Chromium suite.
//
// Chromium, in order: $WEFT_CHROMIUM; Debian's `chromium` on PATH; the binary shipped inside the
// npm package @sparticuz/chromium (a devDependency), extracted once into
// node_modules/.cache/weft-chromium/<package version>/.
// Firefox: $WEFT_FIREFOX; Debian's `firefox-esr` on PATH. No npm package ships a Firefox binary,
// so without it the Firefox suite is skipped with the command that installs it.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SPARTICUZ = '@sparticuz/chromium';

/**
 * weft's own flags for a quiet, self-contained headless Chromium (no sandbox: tests may run as
 * root), used with every Chromium binary. Why never @sparticuz/chromium's `chromium.args`: they
 * switch off web security and site isolation, which would mask weft's cross-origin isolation
 * tests.
 */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The command that installs the system browsers, quoted in skip lines and errors. */
export const INSTALL_CHROMIUM = 'apt-get install -y --no-install-recommends chromium';
export const INSTALL_FIREFOX = 'apt-get install -y --no-install-recommends firefox-esr';

/**
 * @typedef {{ path: string, source: string }} FoundBrowser
 *   `source` says where it came from: "WEFT_CHROMIUM", "PATH" or "@sparticuz/chromium 147.0.0".
 */

/**
 * The Chromium to launch, extracting @sparticuz/chromium's binary on first use.
 * @returns {FoundBrowser | { missing: string }} `missing` says why none was found and what to run.
 */
export function findChromium() {
  const fromEnv = process.env.WEFT_CHROMIUM;
  if (fromEnv) return executable(fromEnv) ? { path: fromEnv, source: 'WEFT_CHROMIUM' } : { missing: `WEFT_CHROMIUM=${fromEnv} is not an executable file` };
  const onPath = whichFirst(['chromium', 'chromium-browser']);
  if (onPath) return { path: onPath, source: 'PATH' };
  try {
    return extractSparticuz();
  } catch (error) {
    return { missing: `no chromium on PATH and ${SPARTICUZ} could not be used (${error.message}): run \`npm ci\`, or \`${INSTALL_CHROMIUM}\`` };
  }
}

/** @returns {FoundBrowser | { missing: string }} */
export function findFirefox() {
  const fromEnv = process.env.WEFT_FIREFOX;
  if (fromEnv) return executable(fromEnv) ? { path: fromEnv, source: 'WEFT_FIREFOX' } : { missing: `WEFT_FIREFOX=${fromEnv} is not an executable file` };
  const onPath = whichFirst(['firefox-esr', 'firefox']);
  if (onPath) return { path: onPath, source: 'PATH' };
  return { missing: `no firefox-esr on PATH: run \`${INSTALL_FIREFOX}\`` };
}

/** Like findChromium, but throws the reason when there is none (for code that must have one). */
export function requireChromium() {
  const found = findChromium();
  if ('missing' in found) throw new Error(`Chromium: ${found.missing}`);
  return found;
}

/** Like findFirefox, but throws the reason when there is none. */
export function requireFirefox() {
  const found = findFirefox();
  if ('missing' in found) throw new Error(`Firefox: ${found.missing}`);
  return found;
}

function extractSparticuz() {
  // Why not require.resolve('<package>/package.json'): its exports map does not list it.
  const manifestPath = path.join(REPO_ROOT, 'node_modules', SPARTICUZ, 'package.json');
  const { version } = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const source = `${SPARTICUZ} ${version}`;
  // Why a folder of our own named by version: the package's executablePath() extracts into the
  // system temp dir and reuses any `chromium` already there without checking its version.
  const dir = path.join(REPO_ROOT, 'node_modules', '.cache', 'weft-chromium', version);
  const binary = path.join(dir, 'chromium');
  if (executable(binary)) return { path: binary, source };

  // Extract into a private folder, then rename: two processes extracting at once never see a
  // half-written binary.
  const staging = `${dir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const script = `const { default: c } = await import(${JSON.stringify(SPARTICUZ)}); process.stdout.write(await c.executablePath());`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: REPO_ROOT,
    env: { ...process.env, TMPDIR: staging, TMP: staging, TEMP: staging },
    encoding: 'utf8',
  });
  if (result.status !== 0 || !executable(path.join(staging, 'chromium'))) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error((result.stderr || result.error?.message || `exit status ${result.status}`).trim().split('\n').pop());
  }
  try {
    renameSync(staging, dir);
  } catch (error) {
    // Another process finished first: use its copy.
    rmSync(staging, { recursive: true, force: true });
    if (!executable(binary)) throw error;
  }
  return { path: binary, source };
}

function whichFirst(names) {
  for (const name of names) {
    for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
      const candidate = path.join(dir || '.', name);
      if (executable(candidate)) return candidate;
    }
  }
  return undefined;
}

function executable(file) {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
