// A shape of test file that fails only sometimes, refused for every test file: a top-level await
// after the first top-level test() in a file with a top-level after(). On Node 20 the root's
// after() runs as soon as the tests registered so far have finished, so if the await outlasts
// them, the later tests find their fixtures removed (CI failed so on test/node/wasi-large-module).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('../..', import.meta.url));

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : testFiles(path);
    return entry.name.endsWith('.test.mjs') ? [path] : [];
  });
}

const REGISTERS = new Set(['test', 'describe', 'it', 'suite']);

function calleeName(statement) {
  if (!ts.isExpressionStatement(statement)) return undefined;
  let expression = statement.expression;
  if (ts.isAwaitExpression(expression)) expression = expression.expression;
  if (!ts.isCallExpression(expression)) return undefined;
  let callee = expression.expression;
  if (ts.isPropertyAccessExpression(callee)) callee = callee.expression; // test.skip(…), test.only(…)
  return ts.isIdentifier(callee) ? callee.text : undefined;
}

/** Whether `node` holds an await that runs while the module is evaluated (not inside a function). */
function awaitsAtTopLevel(node) {
  if (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier)) return true;
  if (ts.isFunctionLike(node) || ts.isClassLike(node)) return false;
  return ts.forEachChild(node, awaitsAtTopLevel) ?? false;
}

/** The top-level awaits after the first registered test, as "file:line" strings. */
export function lateTopLevelAwaits(path, text) {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const hasAfter = source.statements.some((statement) => calleeName(statement) === 'after');
  if (!hasAfter) return [];
  const late = [];
  let registered = false;
  for (const statement of source.statements) {
    if (REGISTERS.has(calleeName(statement) ?? '')) {
      registered = true;
      continue;
    }
    if (registered && awaitsAtTopLevel(statement)) {
      late.push(`${relative(root, path)}:${source.getLineAndCharacterOfPosition(statement.getStart()).line + 1}`);
    }
  }
  return late;
}

test('the check finds a top-level await between tests, and not one inside a test or a template', () => {
  const bad = `import { after, test } from 'node:test';\nafter(() => {});\ntest('a', () => {});\nconst x = await f();\ntest('b', () => {});\n`;
  assert.deepEqual(lateTopLevelAwaits(join(root, 'x.test.mjs'), bad), ['x.test.mjs:4']);
  const good = `import { after, test } from 'node:test';\nconst x = await f();\nafter(() => {});\ntest('a', async () => { await f(); });\nconst s = \`await f()\`;\n`;
  assert.deepEqual(lateTopLevelAwaits(join(root, 'y.test.mjs'), good), []);
});

test('no test file awaits at top level after its first test when it has a top-level after()', () => {
  const files = testFiles(join(root, 'test'));
  assert.ok(files.length > 50, `found ${files.length} test files`);
  const late = files.flatMap((path) => lateTopLevelAwaits(path, readFileSync(path, 'utf8')));
  assert.deepEqual(late, [], 'move these awaits above the first test(), or into a before() hook');
});
