// What the demo pages share: the notice shown where a page cannot run because it is not
// cross-origin isolated, and the busy state of long work (controls disabled, progress shown).

/**
 * On a page that is not cross-origin isolated, puts a notice before `before` that says why the
 * page cannot run and how to make it run, reports to the tests, and returns true. Returns false on
 * an isolated page.
 */
export function showIfNotIsolated(before) {
  if (globalThis.crossOriginIsolated === true) return false;
  const notice = document.createElement('div');
  notice.className = 'notice';
  notice.id = 'not-isolated';
  notice.innerHTML = `
    <strong>This page cannot run here: it is not cross-origin isolated.</strong>
    <p>Its threads share one WebAssembly memory, a <code>SharedArrayBuffer</code>, which browsers give
    only to pages served with <code>Cross-Origin-Opener-Policy: same-origin</code> and
    <code>Cross-Origin-Embedder-Policy: require-corp</code>; this page came without them.</p>
    <p>To run it, either serve the demo with <code>npm start</code> (<code>weft serve</code> sends both
    headers), or open <a href="${new URL('./isolation/', import.meta.url).pathname}">the isolation page</a>:
    it installs weft's service worker, which adds the headers to every page of this site, and then
    this page runs when you load it again. If that cannot work here, the isolation page says why.</p>`;
  before.before(notice);
  for (const control of document.querySelectorAll('[data-control]')) control.disabled = true;
  for (const controls of document.querySelectorAll('.controls')) controls.hidden = true;
  window.__weftTest = { ok: true, results: { isolated: false, notice: notice.textContent.replace(/\s+/g, ' ').trim() } };
  return true;
}

/**
 * The busy state of a page's long work. `status` is an element holding a `<progress>` and a
 * `<span>`; the page's controls are the elements marked `data-control`.
 */
export class Busy {
  #status;
  #progress;
  #text;
  #active = false;

  constructor(status) {
    this.#status = status;
    this.#progress = status.querySelector('progress');
    this.#text = status.querySelector('span');
  }

  /** Whether work is under way. */
  get active() {
    return this.#active;
  }

  /**
   * Runs `work(update)` with every control disabled and the progress shown; `update(text, fraction)`
   * changes the status line (without a fraction the bar is indeterminate). Errors become the status
   * line (as sentences from `describe`) and are not thrown. Refuses (returns false) while busy.
   */
  async run(text, work, describe = (error) => `${error.name}: ${error.message}`) {
    if (this.#active) return false;
    this.#active = true;
    for (const control of document.querySelectorAll('[data-control]')) control.disabled = true;
    document.body.setAttribute('aria-busy', 'true');
    this.#status.classList.remove('error');
    this.#progress.hidden = false;
    const update = (line, fraction) => {
      this.#text.textContent = line;
      if (fraction === undefined) this.#progress.removeAttribute('value');
      else this.#progress.value = fraction;
    };
    update(text);
    try {
      await work(update);
      return true;
    } catch (error) {
      this.fail(describe(error));
      return false;
    } finally {
      this.#progress.hidden = true;
      document.body.removeAttribute('aria-busy');
      for (const control of document.querySelectorAll('[data-control]')) control.disabled = false;
      this.#active = false;
    }
  }

  /** Shows `text` as the status line. */
  say(text) {
    this.#status.classList.remove('error');
    this.#text.textContent = text;
  }

  /** Shows `text` as an error. */
  fail(text) {
    this.#status.classList.add('error');
    this.#text.textContent = text;
  }
}
