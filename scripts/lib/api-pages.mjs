// The Markdown of the API reference's pages (scripts/build-docs.mjs): given the declarations
// TypeDoc found and the page each one lives on, lays out the index and one page per entry point,
// with signatures, comments and links between pages.
import * as td from 'typedoc';

const { ReflectionKind } = td;

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

/** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens. */
export function slug(text) {
  return text.toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
}

/** The real declaration behind an export that re-exports one documented elsewhere. */
export function deep(reflection) {
  return reflection instanceof td.ReferenceReflection ? reflection.getTargetReflectionDeep() : reflection;
}

/**
 * The page renderers for one layout.
 * @param {{ homes: Map<number, { page: any, anchor: string }>, layoutWarnings: string[], subpaths: Record<string, string>, notDocumented: Record<string, string> }} layout
 *   `homes`: the page and anchor of each declaration (by TypeDoc id); `layoutWarnings` receives
 *   the problems found while laying out; `subpaths` and `notDocumented` as in build-docs.mjs.
 */
export function createPageRenderer({ homes, layoutWarnings, subpaths: SUBPATHS, notDocumented: NOT_DOCUMENTED }) {
  return { renderIndex, renderPage };

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
}
