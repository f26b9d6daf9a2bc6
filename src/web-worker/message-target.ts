type Listener = EventListenerOrEventListenerObject;
/** An `on…` event handler attribute's value, as on the web. */
export type WebEventHandler = ((this: unknown, event: Event) => unknown) | null;
type Handler = WebEventHandler;

interface TrackedListener {
  readonly listener: Listener;
  readonly capture: boolean;
  readonly once: boolean;
}

/**
 * The event side of a web `Worker` and of a worker's global scope: an `EventTarget` with the
 * `onmessage`/`onmessageerror`/`onerror` handler attributes that also knows whether anyone
 * listens for messages, which decides whether a Node worker keeps its process alive (as a Node
 * `MessagePort` does) and when a worker's queued messages may be delivered.
 */
export class MessageTarget extends EventTarget {
  readonly #messageListeners: TrackedListener[] = [];
  readonly #handlers = new Map<string, Handler>();
  readonly #listenersChanged: () => void;
  readonly #listenerFailed: ((error: unknown) => void) | undefined;
  /** The wrappers that catch what listeners throw, by type, listener and capture. */
  readonly #guarded = new Map<string, Map<Listener, Map<boolean, EventListener>>>();

  /**
   * `listenerFailed`, when given, receives what a listener throws, the same way in every
   * runtime (Node, Deno and Bun each report listener exceptions their own way).
   */
  constructor(listenersChanged: () => void, listenerFailed?: (error: unknown) => void) {
    super();
    this.#listenersChanged = listenersChanged;
    this.#listenerFailed = listenerFailed;
  }

  override addEventListener(type: string, listener: Listener | null, options?: AddEventListenerOptions | boolean): void {
    if (listener === null) return;
    const capture = typeof options === 'boolean' ? options : options?.capture === true;
    super.addEventListener(type, this.#guard(type, listener, capture), options);
    if (type !== 'message') return;
    const once = typeof options === 'object' && options.once === true;
    if (this.#messageListeners.some((tracked) => tracked.listener === listener && tracked.capture === capture)) return;
    if (typeof options === 'object' && options.signal?.aborted === true) return;
    const tracked = { listener, capture, once };
    this.#messageListeners.push(tracked);
    if (typeof options === 'object' && options.signal !== undefined) {
      options.signal.addEventListener('abort', () => this.#forget([tracked]), { once: true });
    }
    this.#listenersChanged();
  }

  override removeEventListener(type: string, listener: Listener | null, options?: EventListenerOptions | boolean): void {
    if (listener === null) return;
    const capture = typeof options === 'boolean' ? options : options?.capture === true;
    super.removeEventListener(type, this.#guarded.get(type)?.get(listener)?.get(capture) ?? listener, options);
    if (type !== 'message') return;
    this.#forget(this.#messageListeners.filter((tracked) => tracked.listener === listener && tracked.capture === capture));
  }

  /** Whether a `message` listener or an `onmessage` handler is set. @internal */
  get hasMessageListener(): boolean {
    return this.#messageListeners.length > 0 || (this.#handlers.get('message') ?? null) !== null;
  }

  /** Called with each `MessageEvent`; setting it (like a `message` listener) keeps a Node process alive while the worker runs. */
  get onmessage(): Handler {
    return this.#handlers.get('message') ?? null;
  }
  /** Sets the `message` handler; null removes it. */
  set onmessage(handler: Handler) {
    this.#setHandler('message', handler);
  }
  /** Called when a message cannot be deserialized. */
  get onmessageerror(): Handler {
    return this.#handlers.get('messageerror') ?? null;
  }
  /** Sets the `messageerror` handler; null removes it. */
  set onmessageerror(handler: Handler) {
    this.#setHandler('messageerror', handler);
  }
  /** Called with an uncaught error of the worker (an `Event` with `message` and `error`); `preventDefault()` keeps it off the console. */
  get onerror(): Handler {
    return this.#handlers.get('error') ?? null;
  }
  /** Sets the `error` handler; null removes it. */
  set onerror(handler: Handler) {
    this.#setHandler('error', handler);
  }

  /** Dispatches a `MessageEvent` (`message` or `messageerror`); `once` listeners are forgotten after it. @internal */
  dispatchMessage(type: 'message' | 'messageerror', data: unknown): void {
    const onceListeners = type === 'message' ? this.#messageListeners.filter((tracked) => tracked.once) : [];
    this.dispatchEvent(new MessageEvent(type, { data }));
    this.#forget(onceListeners);
  }

  /**
   * Dispatches an `error` event shaped like the web's `ErrorEvent` (Node has no such class);
   * returns false when a listener called `preventDefault()`.
   * @internal
   */
  dispatchError(error: unknown, filename: string): boolean {
    const event = new Event('error', { cancelable: true });
    const message = error instanceof Error ? `Uncaught ${error.name}: ${error.message}` : `Uncaught ${String(error)}`;
    Object.defineProperties(event, {
      message: { value: message, enumerable: true },
      error: { value: error, enumerable: true },
      filename: { value: filename, enumerable: true },
      lineno: { value: 0, enumerable: true },
      colno: { value: 0, enumerable: true },
    });
    return this.dispatchEvent(event);
  }

  #setHandler(type: string, handler: Handler): void {
    const value = typeof handler === 'function' ? handler : null;
    if (!this.#handlers.has(type)) {
      // Why: like the web's handler attributes, one listener registered the first time a handler
      // is set, in that place among the other listeners, calling whatever handler is current.
      super.addEventListener(type, this.#guard(type, (event) => this.#handlers.get(type)?.call(this, event), false));
    }
    const before = this.hasMessageListener;
    this.#handlers.set(type, value);
    if (this.hasMessageListener !== before) this.#listenersChanged();
  }

  /** The listener to register: itself, or one wrapper per (type, listener, capture) that catches what it throws. */
  #guard(type: string, listener: Listener, capture: boolean): Listener {
    const failed = this.#listenerFailed;
    if (failed === undefined) return listener;
    const byListener = this.#guarded.get(type) ?? new Map<Listener, Map<boolean, EventListener>>();
    this.#guarded.set(type, byListener);
    const byCapture = byListener.get(listener) ?? new Map<boolean, EventListener>();
    byListener.set(listener, byCapture);
    let wrapper = byCapture.get(capture);
    if (wrapper === undefined) {
      const target = this;
      wrapper = function (event: Event): void {
        try {
          if (typeof listener === 'function') listener.call(target, event);
          else listener.handleEvent(event);
        } catch (error) {
          failed(error);
        }
      };
      byCapture.set(capture, wrapper);
    }
    return wrapper;
  }

  #forget(listeners: readonly TrackedListener[]): void {
    let changed = false;
    for (const tracked of listeners) {
      const at = this.#messageListeners.indexOf(tracked);
      if (at === -1) continue;
      this.#messageListeners.splice(at, 1);
      changed = true;
    }
    if (changed) this.#listenersChanged();
  }
}
