// Every type check of the package, behind `npm run check:types`. Needs a built dist/ (npm run build).
//
//   1. The library compiles (tsconfig.json, without emitting).
//   2. The hand-written type tests in test/types compile (expected errors are @ts-expect-error).
//   3. Types as users import them: for each export condition (`node`; `browser`; neither, i.e.
//      `default`), the names every subpath of package.json's `exports` gives at run time are taken
//      by importing the built JS resolved under that condition. A generated file then imports each
//      of them, as a value, from the subpath in TypeScript resolving with the same condition, and
//      checks that the types declare no value the run time lacks; it also imports every type-only
//      name. Written to test-output/type-exports/<condition>/, compiled with tsc.
//   4. The declarations keep nothing marked @internal (tsconfig's stripInternal).
//   5. The package as packed (npm pack of the current dist/, without rebuilding it) passes
//      arethetypeswrong (esm-only profile: no CommonJS entry) and publint --strict.
//
// Exits 1 and names what failed; `--verbose` also prints the names found.
//
// (Run by itself with `--list-run-time-exports <condition>`, this file prints the run-time export
// names as JSON: each condition is imported in a process of its own, so that the entries' side
// effects, like the module hook of weft/wasm-bindgen-rayon/register, stay apart.)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BIN = path.join(ROOT, 'node_modules', '.bin');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const OUT = path.join(ROOT, 'test-output', 'type-exports');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

/**
 * The export conditions checked: what the run time matches (besides `import` and `default`) and
 * the compiler options that make TypeScript match the same.
 */
const CONDITIONS = {
  node: { runTime: ['node'], compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } },
  browser: { runTime: ['browser'], compilerOptions: { module: 'ESNext', moduleResolution: 'bundler', customConditions: ['browser'] } },
  default: { runTime: [], compilerOptions: { module: 'ESNext', moduleResolution: 'bundler', customConditions: [] } },
};

/** Subpaths with JavaScript behind them (not package.json or data files). */
const SUBPATHS = Object.keys(manifest.exports).filter((subpath) => subpath !== './package.json');

if (process.argv[2] === '--list-run-time-exports') {
  process.stdout.write(JSON.stringify(await listRunTimeExports(process.argv[3])));
  // Why exit: an entry may leave a handle open (a worker port, a module hook's thread).
  process.exit(0);
} else {
  process.exitCode = await main(process.argv.includes('--verbose'));
}

async function main(verbose) {
  if (!existsSync(path.join(ROOT, 'dist', 'index.d.ts'))) {
    console.error('check:types needs the built package: run `npm run build` first.');
    return 1;
  }
  const failures = [];
  const step = (name, ok) => {
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}`);
    if (!ok) failures.push(name);
  };

  step('the library compiles (tsc -p tsconfig.json --noEmit)', tsc(['-p', 'tsconfig.json', '--noEmit']));
  step('the type tests compile (tsc -p test/types/tsconfig.json)', tsc(['-p', path.join('test', 'types', 'tsconfig.json')]));

  await rm(OUT, { recursive: true, force: true });
  const ts = (await import('typescript')).default;
  for (const [condition, { compilerOptions }] of Object.entries(CONDITIONS)) {
    const dir = path.join(OUT, condition);
    await mkdir(dir, { recursive: true });
    const runTime = runTimeExportsInChild(condition);
    if (runTime === undefined) {
      step(`run-time exports under "${condition}" (see the error above)`, false);
      continue;
    }
    const testFile = path.join(dir, 'exports.test-d.ts');
    const typed = typeExports(ts, compilerOptions, testFile);
    if (verbose) {
      for (const subpath of SUBPATHS) console.log(`  ${condition} ${specifier(subpath)}: ${runTime[subpath].join(', ') || '(none)'} | types only: ${typeOnly(typed[subpath], runTime[subpath]).join(', ') || '(none)'}`);
    }
    await writeFile(testFile, exportsTest(condition, runTime, typed));
    await writeFile(path.join(dir, 'tsconfig.json'), `${JSON.stringify(tsconfigFor(compilerOptions), null, 2)}\n`);
    const names = Object.values(runTime).reduce((sum, list) => sum + list.length, 0);
    step(`under "${condition}", the ${names} run-time exports of ${SUBPATHS.length} subpaths are typed as values, the types claim no other values, and every type-only name imports (tsc -p ${path.relative(ROOT, dir)})`, tsc(['-p', dir]));
  }

  const leaks = await declarationsMentioning(path.join(ROOT, 'dist'), '@internal');
  for (const file of leaks) console.error(`${path.relative(ROOT, file)} still has an @internal member`);
  step('no @internal member in dist/**/*.d.ts', leaks.length === 0);

  const packs = await mkdtemp(path.join(os.tmpdir(), 'weft-check-types-'));
  try {
    const packed = run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', packs], { stdio: ['ignore', 'ignore', 'inherit'] });
    const [tarball] = packed ? (await readdir(packs)).filter((name) => name.endsWith('.tgz')).map((name) => path.join(packs, name)) : [];
    step('npm pack --ignore-scripts (of the current dist/)', tarball !== undefined);
    if (tarball) {
      step('arethetypeswrong: attw <tarball> --profile esm-only', run(path.join(BIN, 'attw'), [tarball, '--profile', 'esm-only'], { outputOnFailure: true }));
      step('publint run <tarball> --strict', run(path.join(BIN, 'publint'), ['run', tarball, '--strict'], { outputOnFailure: true }));
    }
  } finally {
    await rm(packs, { recursive: true, force: true });
  }

  if (failures.length > 0) {
    console.error(`\ncheck:types: ${failures.length} check(s) failed:\n${failures.map((name) => `  - ${name}`).join('\n')}`);
    return 1;
  }
  console.log('\ncheck:types: all passed');
  return 0;
}

/** Runs tsc in the repository root; its diagnostics go to this process's output. */
function tsc(args) {
  return run(process.execPath, [TSC, ...args]);
}

/**
 * Runs a command in the repository root to its end; true when it exits with 0. Its output is shown
 * as it comes, or (with `outputOnFailure`) only if it fails.
 */
function run(command, args, { stdio = 'inherit', outputOnFailure = false } = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: outputOnFailure ? 'pipe' : stdio, encoding: 'utf8', timeout: 300_000 });
  if (result.error) console.error(`${command}: ${result.error.message}`);
  if (outputOnFailure && result.status !== 0) process.stderr.write(`${result.stdout}${result.stderr}`);
  return result.status === 0;
}

/** The .d.ts files under `dir` whose text contains `text`. */
async function declarationsMentioning(dir, text) {
  const found = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.d.ts')) continue;
    const file = path.join(entry.parentPath ?? entry.path, entry.name);
    if ((await readFile(file, 'utf8')).includes(text)) found.push(file);
  }
  return found;
}

/** @returns {Record<string, string[]> | undefined} run-time export names by subpath, from a child process. */
function runTimeExportsInChild(condition) {
  const result = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--list-run-time-exports', condition], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) {
    console.error(`importing the entries under "${condition}" failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stderr}`);
    return undefined;
  }
  return JSON.parse(result.stdout);
}

/** In the child: imports every subpath's built JS as resolved under `condition`, and lists its export names. */
async function listRunTimeExports(condition) {
  const conditions = new Set(['import', 'default', ...CONDITIONS[condition].runTime]);
  const names = {};
  for (const subpath of SUBPATHS) {
    const target = resolveExport(manifest.exports[subpath], conditions);
    if (target === undefined) throw new Error(`${specifier(subpath)} has no entry under the conditions ${[...conditions].join(', ')}`);
    const namespace = await import(pathToFileURL(path.join(ROOT, target)).href);
    names[subpath] = Object.keys(namespace).sort();
  }
  return names;
}

/**
 * Resolves an `exports` entry the way Node does for the given set of conditions (the first key in
 * order that is in the set wins, nested objects recursively); `types` is never in the set.
 * Why not Node's own resolver: Node always matches `node`, so it cannot stand in for a browser.
 */
function resolveExport(entry, conditions) {
  if (typeof entry === 'string') return entry;
  if (entry === null || typeof entry !== 'object') return undefined;
  for (const [key, value] of Object.entries(entry)) {
    if (!conditions.has(key)) continue;
    const resolved = resolveExport(value, conditions);
    if (resolved !== undefined) return resolved;
  }
  return undefined;
}

/** Every name (types and values) that TypeScript sees exported from each subpath with these options. */
function typeExports(ts, compilerOptions, fromFile) {
  const { options } = ts.convertCompilerOptionsFromJson({ ...compilerOptions, noEmit: true, skipLibCheck: true, types: ['node'] }, ROOT);
  const resolved = {};
  for (const subpath of SUBPATHS) {
    resolved[subpath] = ts.resolveModuleName(specifier(subpath), fromFile, options, ts.sys).resolvedModule?.resolvedFileName;
  }
  const program = ts.createProgram(Object.values(resolved).filter(Boolean), options);
  const checker = program.getTypeChecker();
  const names = {};
  for (const subpath of SUBPATHS) {
    const file = resolved[subpath] && program.getSourceFile(resolved[subpath]);
    const moduleSymbol = file && checker.getSymbolAtLocation(file);
    // An unresolved subpath lists nothing here; the generated imports then fail to compile, which reports it.
    names[subpath] = moduleSymbol ? checker.getExportsOfModule(moduleSymbol).map((symbol) => symbol.getName()).sort() : [];
  }
  return names;
}

function typeOnly(typed, runTime) {
  const values = new Set(runTime);
  return typed.filter((name) => !values.has(name));
}

/** The generated type test of one condition. */
function exportsTest(condition, runTime, typed) {
  const lines = [
    `// Generated by scripts/check-types.mjs: do not edit. Under the "${condition}" condition, every name`,
    '// that each subpath exports at run time imports as a value, the types declare no value that',
    '// the run time lacks (an error on a `never` line names it), and every type-only name imports.',
    '',
  ];
  SUBPATHS.forEach((subpath, index) => {
    const ns = `sub${index}`;
    const values = runTime[subpath];
    const types = typeOnly(typed[subpath], values);
    const spec = specifier(subpath);
    lines.push(`// ${spec}`, `import * as ${ns} from '${spec}';`);
    const named = [...values.map((name) => `${name} as ${ns}_${name}`), ...types.map((name) => `type ${name} as ${ns}_${name}`)];
    // One name a line, so that an error's line number names the export.
    if (named.length > 0) lines.push('import {', ...named.map((name) => `  ${name},`), `} from '${spec}';`);
    lines.push(`export const ${ns}Values = [${values.map((name) => `${ns}_${name}`).join(', ')}] as const;`);
    lines.push(`type ${ns}RunTime = ${values.map((name) => `'${name}'`).join(' | ') || 'never'};`);
    lines.push(`export const ${ns}TypedValuesMissingAtRunTime: never = undefined as unknown as Exclude<keyof typeof ${ns}, ${ns}RunTime>;`, '');
  });
  return `${lines.join('\n')}`;
}

function tsconfigFor(compilerOptions) {
  return {
    extends: '../../../tsconfig.json',
    // Why noUnusedLocals off: the generated file imports each type-only name only to see it import.
    compilerOptions: { ...compilerOptions, noEmit: true, rootDir: '../../..', declaration: false, declarationMap: false, sourceMap: false, noUnusedLocals: false },
    include: ['*.ts'],
  };
}

function specifier(subpath) {
  return subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
}
