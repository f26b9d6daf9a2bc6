// The mutation operators of scripts/mutate.mjs, over the TypeScript AST: each mutant is one
// text replacement in a source, so applying and reverting it are exact string operations.
import ts from 'typescript';

const RELATIONAL = new Map([
  [ts.SyntaxKind.LessThanToken, '<='],
  [ts.SyntaxKind.LessThanEqualsToken, '<'],
  [ts.SyntaxKind.GreaterThanToken, '>='],
  [ts.SyntaxKind.GreaterThanEqualsToken, '>'],
]);
const EQUALITY = new Map([
  [ts.SyntaxKind.EqualsEqualsEqualsToken, '!=='],
  [ts.SyntaxKind.ExclamationEqualsEqualsToken, '==='],
]);
const LOGICAL = new Map([
  [ts.SyntaxKind.AmpersandAmpersandToken, '||'],
  [ts.SyntaxKind.BarBarToken, '&&'],
]);
const OFF_BY_ONE = new Map([
  [ts.SyntaxKind.PlusToken, '-'],
  [ts.SyntaxKind.MinusToken, '+'],
]);

/**
 * @typedef {object} Mutant
 * @property {string} operator  relational | equality | logical | off-by-one | literal | negate-if | remove-call | boolean
 * @property {number} start     offset of the replaced text in the source
 * @property {number} end       offset just after it
 * @property {string} original  the replaced text
 * @property {string} replacement
 * @property {number} line      1-based line of `start`
 */

/**
 * Every mutant of one TypeScript source text, in source order. Code in type positions is left
 * alone (it is erased, so its mutants would all survive).
 * @param {string} sourceText
 * @param {string} [fileName]
 * @returns {Mutant[]}
 */
export function listMutants(sourceText, fileName = 'source.ts') {
  const source = ts.createSourceFile(fileName, sourceText, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  /** @type {Mutant[]} */
  const mutants = [];
  const add = (operator, start, end, replacement) => {
    const { line } = source.getLineAndCharacterOfPosition(start);
    mutants.push({ operator, start, end, original: sourceText.slice(start, end), replacement, line: line + 1 });
  };

  const visit = (node) => {
    if (ts.isTypeNode(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return;
    if (ts.isBinaryExpression(node)) {
      const kind = node.operatorToken.kind;
      const token = node.operatorToken;
      const replace = (operator, replacement) => add(operator, token.getStart(source), token.getEnd(), replacement);
      if (RELATIONAL.has(kind)) replace('relational', RELATIONAL.get(kind));
      else if (EQUALITY.has(kind)) replace('equality', EQUALITY.get(kind));
      else if (LOGICAL.has(kind)) replace('logical', LOGICAL.get(kind));
      else if (OFF_BY_ONE.has(kind) && ts.isNumericLiteral(node.right) && node.right.text === '1') replace('off-by-one', OFF_BY_ONE.get(kind));
    } else if (ts.isNumericLiteral(node)) {
      const value = Number(node.text);
      if (Number.isSafeInteger(value)) {
        add('literal', node.getStart(source), node.getEnd(), String(value + 1));
        if (value > 0) add('literal', node.getStart(source), node.getEnd(), String(value - 1));
      }
    } else if (node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword) {
      add('boolean', node.getStart(source), node.getEnd(), node.kind === ts.SyntaxKind.TrueKeyword ? 'false' : 'true');
    } else if (ts.isIfStatement(node)) {
      const condition = node.expression;
      add('negate-if', condition.getStart(source), condition.getEnd(), `!(${condition.getText(source)})`);
    } else if (ts.isExpressionStatement(node) && isCall(node.expression)) {
      add('remove-call', node.getStart(source), node.getEnd(), ';');
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return mutants.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** A call worth removing as a statement: `f(...)`, `await f(...)`, `void f(...)`; not `super(...)`. */
function isCall(expression) {
  const inner = ts.isAwaitExpression(expression) || ts.isVoidExpression(expression) ? expression.expression : expression;
  return ts.isCallExpression(inner) && inner.expression.kind !== ts.SyntaxKind.SuperKeyword;
}

/**
 * The source with one mutant applied.
 * @param {string} sourceText
 * @param {Mutant} mutant
 */
export function applyMutant(sourceText, mutant) {
  if (sourceText.slice(mutant.start, mutant.end) !== mutant.original) {
    throw new Error(`mutant at offset ${mutant.start} expects "${mutant.original}" there`);
  }
  return sourceText.slice(0, mutant.start) + mutant.replacement + sourceText.slice(mutant.end);
}

/**
 * The original source back from a mutated one.
 * @param {string} mutatedText
 * @param {Mutant} mutant
 */
export function revertMutant(mutatedText, mutant) {
  const end = mutant.start + mutant.replacement.length;
  if (mutatedText.slice(mutant.start, end) !== mutant.replacement) {
    throw new Error(`mutant at offset ${mutant.start} was not applied`);
  }
  return mutatedText.slice(0, mutant.start) + mutant.original + mutatedText.slice(end);
}

/** The trimmed source line that holds `mutant`. */
export function contextLine(sourceText, mutant) {
  const start = sourceText.lastIndexOf('\n', mutant.start - 1) + 1;
  const end = sourceText.indexOf('\n', mutant.start);
  return sourceText.slice(start, end === -1 ? undefined : end).trim();
}

/** `original → mutant` as the report prints it (the negated condition is shortened). */
export function describeMutant(mutant) {
  const shorten = (text) => (text.length > 60 ? `${text.slice(0, 57)}…` : text).replace(/\s+/g, ' ');
  return `${shorten(mutant.original)} → ${shorten(mutant.replacement)}`;
}

/** A glob with `*`, `**` and `?` as a RegExp over '/'-separated paths. */
export function globToRegExp(glob) {
  let pattern = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      pattern += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') pattern += '[^/]*';
    else if (c === '?') pattern += '[^/]';
    else pattern += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${pattern}$`);
}

/** A deterministic generator of numbers in [0, 1) (mulberry32). */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` items of `items` chosen at random by `seed`, in their original order. */
export function sample(items, count, seed) {
  if (count >= items.length) return items.slice();
  const random = seededRandom(seed);
  const indices = items.map((_, index) => index);
  for (let i = indices.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [indices[i], indices[j]] = [indices[j], indices[i]];
  }
  return indices.slice(0, count).sort((a, b) => a - b).map((index) => items[index]);
}
