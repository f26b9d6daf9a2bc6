// scripts/check-layers.mjs on tiny src/ trees of its own: upward imports and import cycles are
// named with their file and line, and a tree that keeps the rule passes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const checker = fileURLToPath(new URL('../../scripts/check-layers.mjs', import.meta.url));
const made = [];

after(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
});

const ARCHITECTURE = `# tiny

## Layers

| folder | what it holds |
| --- | --- |
| \`low/\` | the bottom |
| \`mid/one\`, \`mid/two\` | one layer of two folders |
| \`high/\` | the top |

## Next section

| \`ignored/\` | a table outside the section |
`;

/** A temporary root with docs/architecture.md and the given files (paths under it). */
async function makeTree(files) {
  const root = await mkdtemp(path.join(os.tmpdir(), 'weft-layers-'));
  made.push(root);
  for (const [name, text] of Object.entries({ 'docs/architecture.md': ARCHITECTURE, ...files })) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), text);
  }
  return root;
}

function check(root) {
  const { status, stdout, stderr } = spawnSync(process.execPath, [checker, root], { encoding: 'utf8', timeout: 60_000 });
  return { status, lines: stdout.trim().split('\n'), stderr };
}

/** Files that keep the rule, with import-like text that is not an import (comments, strings). */
const GOOD = {
  'src/low/base.ts': "export const base = 1;\n// import { top } from '../high/top.js';\n",
  'src/low/types.ts': "export interface Shape { readonly size: number }\n",
  'src/mid/one/a.ts': "import { base } from '../../low/base.js';\nimport type { Shape } from '../../low/types.js';\nexport const a: Shape = { size: base };\n",
  'src/mid/two/b.ts': "export { a } from '../one/a.js';\nexport const text = \"import('../../high/top.js')\";\n",
  'src/high/top.ts': "import { a } from '../mid/one/a.js';\nexport async function top() { return (await import('../mid/two/b.js')).text + a.size; }\n",
  'src/index.ts': "export * from './high/top.js';\nexport { base } from './low/base.js';\n",
};

test('a tree that keeps the rule passes', async () => {
  const { status, lines, stderr } = check(await makeTree(GOOD));
  assert.equal(status, 0, `${lines.join('\n')}\n${stderr}`);
  assert.match(lines.at(-1), /^check-layers: ok \(6 files, 3 layers: 0 upward import\(s\), 0 import cycle\(s\)\)$/);
});

test('upward imports of every form are named with file:line and both layers', async () => {
  const root = await makeTree({
    ...GOOD,
    'src/low/base.ts': "export const base = 1;\n\nimport type { Shape } from '../mid/one/a.js';\n",
    'src/mid/one/a.ts': "import { base } from '../../low/base.js';\nexport { top } from '../../high/top.js';\nexport const a = { size: base };\n",
    'src/mid/two/b.ts': "export const text = 'b';\nexport const later = () => import('../../high/top.js');\nimport { base } from '../../index.js';\n",
  });
  const { status, lines } = check(root);
  assert.equal(status, 1, lines.join('\n'));
  const upward = lines.filter((line) => line.startsWith('upward import'));
  assert.deepEqual(upward, [
    'upward import: src/low/base.ts:3 → src/mid/one/a.ts (low may not import from mid/one, mid/two, which comes after it)',
    'upward import: src/mid/one/a.ts:2 → src/high/top.ts (mid/one, mid/two may not import from high, which comes after it)',
    'upward import: src/mid/two/b.ts:2 → src/high/top.ts (mid/one, mid/two may not import from high, which comes after it)',
    'upward import: src/mid/two/b.ts:3 → src/index.ts (mid/one, mid/two may not import from src/*.ts entries, which comes after it)',
  ]);
  assert.match(lines.at(-1), /^check-layers: FAILED \(6 files, 3 layers: 4 upward import\(s\), \d+ import cycle\(s\)\)/);
});

test('import cycles are listed, type-only ones and ones inside a folder too', async () => {
  const root = await makeTree({
    ...GOOD,
    'src/low/types.ts': "import type { base } from './base.js';\nexport interface Shape { readonly size: typeof base }\n",
    'src/low/base.ts': "import type { Shape } from './types.js';\nexport const base = 1;\nexport const shape: Shape | undefined = undefined;\n",
    'src/high/top.ts': "import { a } from '../mid/one/a.js';\nimport { more } from './more.js';\nexport const top = () => a.size + more;\n",
    'src/high/more.ts': "export const more = 1;\nexport const again = async () => (await import('./end.js')).end;\n",
    'src/high/end.ts': "import { top } from './top.js';\nexport const end = top;\n",
  });
  const { status, lines } = check(root);
  assert.equal(status, 1, lines.join('\n'));
  assert.deepEqual(lines.filter((line) => line.startsWith('import cycle')), [
    'import cycle: src/high/end.ts → src/high/top.ts → src/high/more.ts → src/high/end.ts',
    'import cycle: src/low/base.ts → src/low/types.ts → src/low/base.ts',
  ]);
  assert.match(lines.at(-1), /0 upward import\(s\), 2 import cycle\(s\)/);
});

test('a file in a folder the table does not name fails, and so does a missing table', async () => {
  const stray = check(await makeTree({ ...GOOD, 'src/other/x.ts': 'export const x = 1;\n' }));
  assert.equal(stray.status, 1);
  assert.ok(stray.lines.includes('src/other/x.ts: its folder is not in the table of docs/architecture.md; add it there'), stray.lines.join('\n'));
  const root = await makeTree(GOOD);
  await rm(path.join(root, 'docs'), { recursive: true });
  const missing = check(root);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /architecture\.md does not exist/);
});
