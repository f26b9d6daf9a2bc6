/**
 * Finds the two URL forms that bundlers must rewrite for weft: module workers,
 * `new Worker(new URL('./worker.js', import.meta.url), …)`, and files next to a module,
 * `new URL('./file.wasm', import.meta.url)`. Only string literals count: a URL computed at run
 * time cannot be followed by any bundler.
 */
export interface ModuleUrl {
  /** 'worker' for the URL of a `new Worker(…)`, 'asset' for any other `new URL(…)`. */
  readonly kind: 'worker' | 'asset';
  /** The literal, e.g. './worker.js'. */
  readonly specifier: string;
  /** Where the whole `new URL(…)` expression starts and ends in the code. */
  readonly start: number;
  readonly end: number;
}

const URL_EXPRESSION = /new\s+URL\s*\(\s*(['"`])([^'"`$\n]+)\1\s*,\s*import\.meta\.url\s*\)/g;
const WORKER_BEFORE = /new\s+(?:Shared)?Worker\s*\(\s*$/;

/** Every `new URL('<relative path>', import.meta.url)` in `code`, with what it is used for. */
export function findModuleUrls(code: string): ModuleUrl[] {
  const found: ModuleUrl[] = [];
  for (const match of code.matchAll(URL_EXPRESSION)) {
    const specifier = match[2]!;
    if (!specifier.startsWith('./') && !specifier.startsWith('../')) continue;
    const start = match.index;
    const before = code.slice(Math.max(0, start - 40), start);
    found.push({ kind: WORKER_BEFORE.test(before) ? 'worker' : 'asset', specifier, start, end: start + match[0].length });
  }
  return found;
}

/** `code` with each found URL expression replaced by what `replace` returns for it (undefined: kept). */
export function replaceModuleUrls(code: string, urls: readonly ModuleUrl[], replace: (url: ModuleUrl) => string | undefined): string {
  let result = '';
  let at = 0;
  for (const url of urls) {
    const replacement = replace(url);
    if (replacement === undefined) continue;
    result += code.slice(at, url.start) + replacement;
    at = url.end;
  }
  return result + code.slice(at);
}

/** Script files are built as modules; anything else is copied as a file. */
export function isScript(path: string): boolean {
  return /\.(?:m?js|cjs|jsx|m?ts|tsx)$/.test(path);
}
