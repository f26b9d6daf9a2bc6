#!/usr/bin/env node
// The API reference in docs/api/: one Markdown page per public entry point of the package (the
// `exports` map of package.json), made by TypeDoc from the TSDoc in src/.
//
//   node scripts/build-docs.mjs           check: docs/api/ is what the sources give, and TypeDoc
//                                         has no warning (what `npm test` runs); writes nothing
//   node scripts/build-docs.mjs --write   rewrite docs/api/ (`npm run docs`)
//
// Both print every TypeDoc warning and exit 1 if there is one: a broken {@link}, a public type
// that refers to one the package does not export, or an export without a doc comment (every
// function, class, interface, type alias, variable and method; see REQUIRED_DOCS).
//
// Why Markdown written here and not TypeDoc's HTML: the reference is committed so that it reads
// on GitHub next to the README, and its diff shows in review what an API change did. TypeDoc
// reads the sources and resolves types and links; this file only lays the pages out. Why no
// line numbers in source links: any edit above an export would make the committed pages stale.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as td from 'typedoc';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, 'docs', 'api');
const { ReflectionKind } = td;

/** What each documented subpath is for: the first line of its page and of the index. */
const SUBPATHS = {
  '.': 'Pools of threads over one shared memory (`createPool`), WASI programs (`runWasi`), in-memory directories, and every error class.',
  './wasi': 'The WASI preview1 host on its own (`WasiHost`), its constants, and the directories a program can be given.',
  './errors': 'The error classes (`WeftError` and its subclasses, each with a stable `code`) and their serialization across threads.',
  './wasm-bindgen': 'Pools of threads for a Rust crate built with wasm-bindgen (`createBindgenPool`), with or without its wasm-bindgen-rayon pool.',
  './wasm-bindgen/thread': 'The body of a worker file of your own for `createBindgenPool({ createWorker })` (for bundlers).',
  './wasm-bindgen-rayon': 'A drop-in for wasm-bindgen-rayon\'s `workerHelpers.js`, and `startRayonPool` for plain ES modules.',
  './rollup': 'A Rollup plugin that builds workers and copies the files modules load with `new URL(…, import.meta.url)`.',
  './esbuild': 'An esbuild plugin that builds workers and copies the files modules load with `new URL(…, import.meta.url)`.',
  './middleware': 'Cross-origin isolation headers for Node.js `http`, Connect and Express.',
  './vite': 'A Vite plugin: isolation headers for `vite` and `vite preview`, module workers, no pre-bundling of weft.',
  './isolation': 'Cross-origin isolation in the browser: why a page is not isolated, and a service worker for hosts that send no headers.',
  './examples': 'The small threaded module the quick start runs (`helloWasm`), shipped for trying weft out.',
};

/** Subpaths of the exports map that have no API to document, and why. */
const NOT_DOCUMENTED = {
  './wasm-bindgen-rayon/register': 'a module hook for `node --import`; it exports nothing',
  './isolation-sw.js': 'the service worker script itself; pages load it, nothing imports it',
  './package.json': 'the manifest',
};

/** Kinds that must have a doc comment (TypeDoc's notDocumented check). */
const REQUIRED_DOCS = ['Function', 'Class', 'Interface', 'TypeAlias', 'Variable', 'Enum', 'Method', 'Accessor'];

/**
 * Types that public types mention but the package does not export, on purpose: the parts of
 * Rollup's and esbuild's plugin APIs the plugins use (so weft needs neither's types).
 */
const INTENTIONALLY_NOT_EXPORTED = ['RollupContext', 'EsbuildBuild'];

/** The order of the sections of a page. */
const KIND_ORDER = [ReflectionKind.Function, ReflectionKind.Class, ReflectionKind.Interface, ReflectionKind.TypeAlias, ReflectionKind.Variable, ReflectionKind.Enum];
const KIND_TITLES = new Map([
  [ReflectionKind.Function, 'Functions'],
  [ReflectionKind.Class, 'Classes'],
  [ReflectionKind.Interface, 'Interfaces'],
  [ReflectionKind.TypeAlias, 'Types'],
  [ReflectionKind.Variable, 'Constants'],
  [ReflectionKind.Enum, 'Enums'],
]);

const PLATFORM_LABELS = { default: 'browsers and other runtimes', node: 'Node.js, Deno and Bun' };

const write = process.argv.includes('--write');
const unknownArgs = process.argv.slice(2).filter((arg) => arg !== '--write');
if (unknownArgs.length > 0) {
  console.error(`unknown argument ${unknownArgs[0]} (usage: build-docs.mjs [--write])`);
  process.exit(2);
}

// Why: TypeDoc prints a type from TypeScript's lib by its last name (`Memory`); in weft's API
// `WebAssembly.Memory` and `WebAssembly.Module` are clearer.
const typeString = td.ReferenceType.prototype.getTypeString;
td.ReferenceType.prototype.getTypeString = function getTypeString() {
  const text = typeString.call(this);
  return !this.reflection && this.qualifiedName?.startsWith('WebAssembly.') ? text.replace(this.name, this.qualifiedName) : text;
};

const pages = describePages(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).exports);
const entryPoints = [...new Set(pages.flatMap((page) => page.conditions.map((c) => c.source)))];

const app = await td.Application.bootstrap({
  entryPoints,
  tsconfig: join(root, 'tsconfig.json'),
  readme: 'none',
  excludeInternal: true,
  excludePrivate: true,
  excludeProtected: true,
  // Members in the order their source declares them (options, methods); pages sort exports.
  sort: ['source-order'],
  disableGit: true,
  sourceLinkTemplate: '{path}',
  validation: { notExported: true, invalidLink: true, rewrittenLink: true, notDocumented: true, unusedMergeModuleWith: true },
  requiredToBeDocumented: REQUIRED_DOCS,
  intentionallyNotExported: INTENTIONALLY_NOT_EXPORTED,
  logLevel: 'Warn',
});
const project = await app.convert();
if (!project) fail('TypeDoc could not convert the sources (see the errors above).');
app.validate(project);

const modulesBySource = new Map(project.children?.map((module) => [module.sources?.[0]?.fileName, module]) ?? []);
for (const page of pages) {
  for (const condition of page.conditions) {
    condition.module = modulesBySource.get(condition.source);
    if (!condition.module) fail(`TypeDoc made no module of ${condition.source} (${page.name})`);
  }
}
const homes = assignHomes(pages);
/** Problems this file finds while laying out (counted with TypeDoc's warnings). */
const layoutWarnings = [];

const files = new Map([['README.md', renderIndex(pages)]]);
for (const page of pages) files.set(page.file, renderPage(page));
for (const warning of layoutWarnings) console.warn(`[warning] ${warning}`);
const warnings = app.logger.warningCount + app.logger.errorCount + layoutWarnings.length;

const existing = existsSync(outDir) ? readdirSync(outDir).filter((name) => name.endsWith('.md')) : [];
const stale = [
  ...[...files].filter(([name, text]) => !existing.includes(name) || readFileSync(join(outDir, name), 'utf8') !== text).map(([name]) => name),
  ...existing.filter((name) => !files.has(name)),
];
if (write) {
  mkdirSync(outDir, { recursive: true });
  for (const name of existing) if (!files.has(name)) rmSync(join(outDir, name));
  for (const [name, text] of files) writeFileSync(join(outDir, name), text);
  console.log(stale.length > 0 ? `docs/api: rewrote ${stale.join(', ')}` : 'docs/api: already current');
} else if (stale.length > 0) {
  console.error(`docs/api is not what the sources give (${stale.join(', ')}): run \`npm run docs\` and commit docs/api/`);
}
if (warnings > 0) console.error(`${warnings} documentation warning(s), listed above`);
if (warnings > 0 || (!write && stale.length > 0)) process.exit(1);
if (!write) console.log(`docs/api is current: ${pages.length} entry points, no warnings`);

function fail(message) {
  console.error(message);
  process.exit(1);
}

/**
 * One page per documented subpath, with the source file of each export condition: `default`
 * (browsers, bundlers) first, then `node` where it differs. dist/x.js comes from src/x.ts.
 */
function describePages(exportsMap) {
  const undocumented = Object.keys(exportsMap).filter((subpath) => !(subpath in SUBPATHS) && !(subpath in NOT_DOCUMENTED) && !/\.(wasm|json)$/.test(subpath));
  if (undocumented.length > 0) fail(`package.json exports ${undocumented.join(', ')}: add it to SUBPATHS (or NOT_DOCUMENTED) in scripts/build-docs.mjs`);
  return Object.entries(SUBPATHS).map(([subpath, summary]) => {
    const target = exportsMap[subpath];
    if (target === undefined) fail(`scripts/build-docs.mjs documents ${subpath}, which package.json does not export`);
    const name = subpath === '.' ? 'weft' : `weft/${subpath.slice(2)}`;
    const conditions = [];
    for (const condition of ['default', 'node']) {
      const dist = typeof target === 'string' ? (condition === 'default' ? target : undefined) : jsOf(target[condition]);
      if (dist === undefined) continue;
      const source = dist.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts');
      if (!existsSync(join(root, source))) fail(`${name}: no source ${source} for ${dist}`);
      if (!conditions.some((c) => c.source === source)) conditions.push({ condition, source });
    }
    return { subpath, name, summary, file: `${name.replaceAll('/', '-')}.md`, conditions };
  });
}

function jsOf(target) {
  if (target === undefined || typeof target === 'string') return target;
  return jsOf(target.default ?? target.import);
}

/** The real declaration behind an export that re-exports one documented elsewhere. */
function deep(reflection) {
  return reflection instanceof td.ReferenceReflection ? reflection.getTargetReflectionDeep() : reflection;
}

/**
 * Each declaration is laid out once, on the page of the entry point nearest its source file
 * (`isolationHeaders`, from src/isolation/, on `weft/isolation` rather than `weft/middleware`;
 * the error classes on `weft/errors`), else on the first page (in SUBPATHS order) that exports
 * it; other pages link there. A condition's own version of a name (the `node` build's
 * `createPool`) is shown under the `default` one.
 */
function assignHomes(pageList) {
  const result = new Map();
  for (const page of pageList) {
    const folder = page.conditions[0].source.replace(/[^/]+$/, '');
    for (const { module } of page.conditions) {
      for (const child of module.children ?? []) {
        const target = deep(child);
        const file = target.sources?.[0]?.fileName ?? '';
        const nearness = file.startsWith(folder) ? folder.length : 0;
        const home = result.get(target.id);
        if (!home || nearness > home.nearness) result.set(target.id, { page, anchor: slug(target.name), nearness });
      }
    }
  }
  return result;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens. */
function slug(text) {
  return text.toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
}

function linkTo(reflection, fromPage, text) {
  let target = deep(reflection);
  let member = '';
  // A member of a class gets its own heading; other members link to their parent.
  while (!homes.has(target.id) && target.parent) {
    if (!member && target.parent.kind === ReflectionKind.Class && target.kindOf(ReflectionKind.Method | ReflectionKind.Accessor | ReflectionKind.Property)) {
      member = slug(`${target.parent.name}.${displayName(target)}`);
    }
    target = target.parent;
  }
  const home = homes.get(target.id);
  if (!home) {
    layoutWarnings.push(`${fromPage.name}: {@link ${text}} points at ${reflection.getFullName()}, which no page documents`);
    return `\`${text}\``;
  }
  const file = home.page === fromPage ? '' : home.page.file;
  return `[\`${text}\`](${file}#${member || home.anchor})`;
}

function displayName(reflection) {
  return reflection.name.replace(/^\[(\w+)\]$/, '[Symbol.$1]');
}

// ---- comments -------------------------------------------------------------------------------

function parts(displayParts, page) {
  return displayParts
    .map((part) => {
      if (part.kind === 'inline-tag' && (part.tag === '@link' || part.tag === '@linkcode' || part.tag === '@linkplain')) {
        if (part.target instanceof td.Reflection) return linkTo(part.target, page, part.text);
        if (typeof part.target === 'string') return `[${part.text}](${part.target})`;
        return `\`${part.text}\``;
      }
      return part.text;
    })
    .join('');
}

/** The comment of a declaration or signature as Markdown paragraphs. */
function commentText(comment, page, { skipTags = [] } = {}) {
  if (!comment) return [];
  const out = [];
  const summary = parts(comment.summary, page).trim();
  if (summary) out.push(summary);
  for (const tag of comment.blockTags) {
    if (skipTags.includes(tag.tag)) continue;
    const text = parts(tag.content, page).trim();
    if (tag.tag === '@example') out.push(`Example:\n\n${text}`);
    else if (tag.tag === '@remarks') out.push(text);
    else if (tag.tag === '@deprecated') out.push(`**Deprecated.** ${text}`);
    else if (tag.tag === '@throws') out.push(`**Throws** ${text}`);
    else if (tag.tag === '@returns') out.push(`**Returns** ${text}`);
    else if (tag.tag === '@defaultValue' || tag.tag === '@default') out.push(`**Default:** ${text}`);
    else if (tag.tag === '@see') out.push(`**See** ${text}`);
    else if (tag.tag !== '@param' && tag.tag !== '@typeParam') out.push(`**${tag.tag.slice(1)}:** ${text}`);
  }
  return out;
}

// ---- types and signatures -------------------------------------------------------------------

function typeText(type) {
  if (!type) return 'unknown';
  if (type.type === 'reflection') {
    const declaration = type.declaration;
    if (declaration.signatures?.length === 1 && !declaration.children?.length) return signatureText(declaration.signatures[0], '', ' => ');
    const members = [
      ...(declaration.indexSignatures ?? []).map((s) => `[${s.parameters?.map((p) => `${p.name}: ${typeText(p.type)}`).join(', ')}]: ${typeText(s.type)}`),
      ...(declaration.children ?? []).map((child) => memberText(child)),
      ...(declaration.signatures ?? []).map((s) => signatureText(s, '', ': ')),
    ];
    return `{ ${members.join('; ')} }`;
  }
  return type.toString();
}

function memberText(member) {
  const readonly = member.flags.isReadonly ? 'readonly ' : '';
  const optional = member.flags.isOptional ? '?' : '';
  if (member.signatures) return member.signatures.map((s) => signatureText(s, `${readonly}${displayName(member)}${optional}`, ': ')).join('; ');
  if (member.getSignature) return `get ${displayName(member)}(): ${typeText(member.getSignature.type)}`;
  return `${readonly}${quoteKey(member.name)}${optional}: ${typeText(member.type)}`;
}

function quoteKey(name) {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
}

function signatureText(signature, name, arrow) {
  const typeParameters = signature.typeParameters?.length ? `<${signature.typeParameters.map(typeParameterText).join(', ')}>` : '';
  const parameters = (signature.parameters ?? []).map((p) => {
    const rest = p.flags.isRest ? '...' : '';
    const optional = p.flags.isOptional || p.defaultValue !== undefined ? '?' : '';
    return `${rest}${p.name}${optional}: ${typeText(p.type)}`;
  });
  return `${name}${typeParameters}(${parameters.join(', ')})${arrow}${typeText(signature.type)}`;
}

function typeParameterText(parameter) {
  return `${parameter.name}${parameter.type ? ` extends ${typeText(parameter.type)}` : ''}${parameter.default ? ` = ${typeText(parameter.default)}` : ''}`;
}

function code(text) {
  return `\`\`\`ts\n${text}\n\`\`\``;
}

/** A signature's parameters that have comments, as a list. */
function parameterList(signature, page) {
  const documented = (signature.parameters ?? []).filter((p) => p.comment?.summary.length);
  return documented.length === 0 ? [] : [documented.map((p) => `- \`${p.name}\`: ${indent(parts(p.comment.summary, page).trim())}`).join('\n')];
}

function indent(text) {
  return text.replace(/\n/g, '\n  ');
}

// ---- pages ----------------------------------------------------------------------------------


function renderIndex(pageList) {
  const rows = pageList.map((page) => `| [\`${page.name}\`](${page.file}) | ${page.summary} |`);
  const skipped = Object.entries(NOT_DOCUMENTED).map(([subpath, why]) => `\`weft/${subpath.slice(2)}\` (${why})`);
  return [
    '# weft API reference',
    '',
    '<!-- Made by scripts/build-docs.mjs from the TSDoc in src/: run `npm run docs`, do not edit. -->',
    '',
    'One page per entry point of the package. The guide, with examples, is the [README](../../README.md).',
    '',
    '| import from | what it holds |',
    '| --- | --- |',
    ...rows,
    '',
    'Where an entry point has a `node` export condition (Node.js, Deno and Bun load it) its page',
    'shows the `default` build (browsers, bundlers) and says what the `node` build adds or does',
    `differently. Not documented here: ${skipped.join('; ')}.`,
    '',
  ].join('\n');
}

function renderPage(page) {
  const [primary, alternative] = page.conditions;
  const byName = new Map();
  for (const { condition, module } of page.conditions) {
    for (const child of module.children ?? []) {
      const entry = byName.get(child.name) ?? {};
      entry[condition] = child;
      byName.set(child.name, entry);
    }
  }
  const own = [];
  const elsewhere = [];
  for (const [name, versions] of byName) {
    const main = versions[primary.condition] ?? versions[alternative?.condition];
    const home = homes.get(deep(main).id);
    if (home.page === page) own.push({ name, versions, main: deep(main) });
    else elsewhere.push({ name, reflection: main, onlyIn: versions[primary.condition] ? undefined : alternative.condition });
  }
  own.sort((a, b) => KIND_ORDER.indexOf(kindOf(a.main)) - KIND_ORDER.indexOf(kindOf(b.main)) || compare(a.name, b.name));
  elsewhere.sort((a, b) => compare(a.name, b.name));

  const out = [`# ${page.name}`, '', '<!-- Made by scripts/build-docs.mjs from the TSDoc in src/: run `npm run docs`, do not edit. -->', ''];
  // The entry file's own module comment where it has one; else the line of SUBPATHS.
  const moduleComment = commentText(primary.module.comment, page);
  out.push(...(moduleComment.length ? moduleComment.flatMap((p) => [p, '']).slice(0, -1) : [page.summary]));
  out.push('', code(`import { … } from '${page.name}';`).replace('```ts', '```js'));
  const sources = page.conditions.map(({ condition, source }) => {
    const link = `[\`${source}\`](../../${source})`;
    return page.conditions.length === 1 ? link : `${link} (\`${condition}\` condition: ${PLATFORM_LABELS[condition]})`;
  });
  out.push('', `Source: ${sources.join('; ')}.`);

  let kind;
  const contents = [];
  for (const item of own) {
    if (kindOf(item.main) !== kind) {
      kind = kindOf(item.main);
      contents.push(`${contents.length ? '\n' : ''}**${KIND_TITLES.get(kind)}:** `);
    } else {
      contents[contents.length - 1] += ', ';
    }
    contents[contents.length - 1] += `[\`${item.name}\`](#${slug(item.name)})`;
  }
  if (elsewhere.length) {
    const links = elsewhere.map(({ name, reflection, onlyIn }) => `${linkTo(reflection, page, name)}${onlyIn ? ` (\`${onlyIn}\` condition only)` : ''}`);
    contents.push(`\n**Also exported here** (documented where shown): ${links.join(', ')}`);
  }
  if (contents.length) out.push('', contents.join('\n'));

  kind = undefined;
  for (const item of own) {
    if (kindOf(item.main) !== kind) {
      kind = kindOf(item.main);
      out.push('', `## ${KIND_TITLES.get(kind)}`);
    }
    out.push('', `### ${item.name}`, '');
    const primaryVersion = item.versions[primary.condition];
    const alternativeVersion = alternative && item.versions[alternative.condition];
    if (!primaryVersion) out.push(`*Only in the \`${alternative.condition}\` build (${PLATFORM_LABELS[alternative.condition]}).*`, '');
    out.push(...declaration(item.main, page));
    if (primaryVersion && alternativeVersion && deep(primaryVersion) !== deep(alternativeVersion)) {
      const other = declaration(deep(alternativeVersion), page);
      const same = other.join('\n') === declaration(item.main, page).join('\n');
      if (!same) out.push(`**In the \`${alternative.condition}\` build** (${PLATFORM_LABELS[alternative.condition]}):`, '', ...other);
    }
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

function kindOf(reflection) {
  return KIND_ORDER.find((kind) => reflection.kindOf(kind)) ?? ReflectionKind.Variable;
}

function compare(a, b) {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The body of one declaration's section: code, comment, members. Ends with a blank line. */
function declaration(reflection, page) {
  const out = [];
  const push = (...paragraphs) => {
    for (const paragraph of paragraphs) out.push(paragraph, '');
  };
  if (reflection.kindOf(ReflectionKind.Function)) {
    for (const signature of reflection.signatures ?? []) {
      push(code(`function ${signatureText(signature, reflection.name, ': ')}`));
      push(...commentText(signature.comment, page), ...parameterList(signature, page));
    }
  } else if (reflection.kindOf(ReflectionKind.Class)) {
    const heritage = reflection.extendedTypes?.length ? ` extends ${reflection.extendedTypes.map(typeText).join(', ')}` : '';
    const typeParameters = reflection.typeParameters?.length ? `<${reflection.typeParameters.map(typeParameterText).join(', ')}>` : '';
    push(code(`class ${reflection.name}${typeParameters}${heritage}`));
    push(...commentText(reflection.comment, page));
    const constructor = reflection.children?.find((c) => c.kindOf(ReflectionKind.Constructor));
    for (const signature of constructor?.signatures ?? []) {
      // A constructor's signature without its return type (the class itself).
      push(code(`new ${signatureText(signature, reflection.name, '').replace(/\)[^)]*$/, ')')}`));
      push(...commentText(signature.comment, page), ...parameterList(signature, page));
    }
    const members = (reflection.children ?? []).filter((c) => !c.kindOf(ReflectionKind.Constructor) && !c.inheritedFrom);
    members.sort((a, b) => Number(b.flags.isStatic) - Number(a.flags.isStatic));
    for (const member of members) {
      const owner = member.flags.isStatic ? reflection.name : lowerFirst(reflection.name);
      const prefix = displayName(member).startsWith('[') ? owner : `${owner}.`;
      out.push(`#### ${reflection.name}.${displayName(member)}`, '');
      if (member.signatures) {
        for (const signature of member.signatures) {
          push(code(signatureText(signature, `${prefix}${displayName(member)}`, ': ')));
          push(...commentText(signature.comment, page), ...parameterList(signature, page));
        }
      } else {
        const text = member.getSignature ? `${prefix}${displayName(member)}: ${typeText(member.getSignature.type)}` : `${prefix}${memberText(member).replace(/^readonly /, '')}`;
        const readonly = member.flags.isReadonly || (member.getSignature && !member.setSignature) ? ' // read-only' : '';
        push(code(`${text}${readonly}`));
        push(...commentText(member.comment ?? member.getSignature?.comment, page));
      }
    }
    // Members inherited from a class of weft's (not from Error or from an unexported base).
    const inherited = (reflection.children ?? []).filter((c) => c.inheritedFrom && !c.kindOf(ReflectionKind.Constructor));
    const bases = new Map();
    for (const member of inherited) {
      const declared = member.inheritedFrom.reflection;
      const base = declared?.parent;
      if (!base || declared.inheritedFrom || !homes.has(base.id)) continue;
      bases.set(base, [...(bases.get(base) ?? []), `\`${displayName(member)}\``]);
    }
    for (const [base, names] of bases) push(`Inherited from ${linkTo(base, page, base.name)}: ${names.join(', ')}.`);
  } else if (reflection.kindOf(ReflectionKind.Interface)) {
    const heritage = reflection.extendedTypes?.length ? ` extends ${reflection.extendedTypes.map(typeText).join(', ')}` : '';
    const typeParameters = reflection.typeParameters?.length ? `<${reflection.typeParameters.map(typeParameterText).join(', ')}>` : '';
    push(code(`interface ${reflection.name}${typeParameters}${heritage}`));
    push(...commentText(reflection.comment, page));
    push(...memberList(reflection, page));
  } else if (reflection.kindOf(ReflectionKind.TypeAlias)) {
    const typeParameters = reflection.typeParameters?.length ? `<${reflection.typeParameters.map(typeParameterText).join(', ')}>` : '';
    const objectLike = reflection.type?.type === 'reflection' && reflection.type.declaration.children?.length;
    push(code(`type ${reflection.name}${typeParameters} = ${objectLike ? '{ … }' : typeText(reflection.type)}`));
    push(...commentText(reflection.comment, page));
    if (objectLike) push(...memberList(reflection.type.declaration, page));
  } else {
    const objectLike = reflection.type?.type === 'reflection' && reflection.type.declaration.children?.length;
    if (objectLike && reflection.type.declaration.children.every((c) => c.type?.type === 'literal')) {
      const values = reflection.type.declaration.children.map((c) => `${quoteKey(c.name)}: ${c.type.toString()}`);
      push(code(`const ${reflection.name}: {\n${wrap(values, '  ')}\n}`));
      push(...commentText(reflection.comment, page));
    } else {
      push(code(`const ${reflection.name}: ${objectLike ? '{ … }' : typeText(reflection.type)}`));
      push(...commentText(reflection.comment, page));
      if (objectLike) push(...memberList(reflection.type.declaration, page));
    }
  }
  return out;
}

function lowerFirst(name) {
  return name[0].toLowerCase() + name.slice(1);
}

/** Members of an interface or object type, one list item each. */
function memberList(container, page) {
  const items = [];
  for (const index of container.indexSignatures ?? []) {
    const text = commentText(index.comment, page).join('\n\n');
    items.push(`- \`[${index.parameters?.map((p) => `${p.name}: ${typeText(p.type)}`).join(', ')}]: ${typeText(index.type)}\`${text ? `: ${indent(text)}` : ''}`);
  }
  for (const member of container.children ?? []) {
    const comment = member.comment ?? member.signatures?.[0]?.comment ?? member.getSignature?.comment;
    const text = commentText(comment, page).join('\n\n');
    items.push(`- \`${memberText(member)}\`${text ? `: ${indent(text)}` : ''}`);
  }
  return items.length ? [items.join('\n')] : [];
}

/** Joins `a, b, c` into lines of at most 100 characters. */
function wrap(values, prefix) {
  const lines = [];
  let line = '';
  for (const value of values) {
    const next = line ? `${line} ${value},` : `${value},`;
    if (prefix.length + next.length > 100 && line) {
      lines.push(prefix + line);
      line = `${value},`;
    } else {
      line = next;
    }
  }
  if (line) lines.push(prefix + line);
  return lines.join('\n');
}
