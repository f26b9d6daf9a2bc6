const INSTALLED = Symbol.for('weft.web-worker.window-globals');

/** Defines a global the way the web's are: writable, configurable, not enumerable. */
export function defineGlobal(name: string, value: unknown): void {
  Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
}

/**
 * `self`, and `self.addEventListener('message', ...)`, on a thread that is not a web worker (the
 * main thread, or a weft pool thread importing browser glue). Calling it again does nothing.
 */
export function installWindowGlobals(): void {
  const scope = globalThis as { [INSTALLED]?: true; self?: unknown };
  if (scope[INSTALLED] === true) return;
  scope[INSTALLED] = true;
  if (scope.self === undefined) defineGlobal('self', globalThis);
  installWindowMessageEvents();
}

/**
 * `self.addEventListener('message', ...)` on a thread that is not a worker, as on a browser page:
 * browser glue listens there at import time (wasm-bindgen-rayon 1.2+'s helper does, in every
 * realm it is loaded into). Message listeners go to a target of weft's own, which nothing posts
 * to and which keeps nothing alive (Bun's own global message listener would keep the process
 * running for ever); other event types stay with the runtime (Deno dispatches load and
 * unhandledrejection on its global).
 */
function installWindowMessageEvents(): void {
  const messages = new EventTarget();
  const scope = globalThis as Partial<Pick<EventTarget, 'addEventListener' | 'removeEventListener'>>;
  const runtimeAdd = scope.addEventListener?.bind(globalThis);
  const runtimeRemove = scope.removeEventListener?.bind(globalThis);
  const isMessage = (type: string): boolean => type === 'message' || type === 'messageerror';
  defineGlobal('addEventListener', (type: string, listener: EventListenerOrEventListenerObject | null, options?: AddEventListenerOptions | boolean) =>
    isMessage(type) || runtimeAdd === undefined ? messages.addEventListener(type, listener, options) : runtimeAdd(type, listener, options),
  );
  defineGlobal('removeEventListener', (type: string, listener: EventListenerOrEventListenerObject | null, options?: EventListenerOptions | boolean) =>
    isMessage(type) || runtimeRemove === undefined ? messages.removeEventListener(type, listener, options) : runtimeRemove(type, listener, options),
  );
  if ((globalThis as { dispatchEvent?: unknown }).dispatchEvent === undefined) defineGlobal('dispatchEvent', messages.dispatchEvent.bind(messages));
}
