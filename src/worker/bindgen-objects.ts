import { InvalidArgumentError, MissingExportError } from '../errors/catalogue.js';
import type { BindgenCallMessage, BindgenCallTarget, BindgenKeptObject } from '../protocol/bindgen-messages.js';
import { glueExport, type GlueNamespace } from '../producers/wasm-bindgen-glue.js';
import { isPromiseLike } from '../core/promise-like.js';
import { borrowedParameters } from './bindgen-borrowed-arguments.js';

type AnyFunction = (...args: unknown[]) => unknown;

/** What a call on this thread came to: its value, or the id of the glue object it made (kept here). */
export interface CallOutcome {
  readonly value: unknown;
  readonly kept: BindgenKeptObject | null;
}

const NOTHING_BORROWED: readonly boolean[] = Object.freeze([]);

/**
 * The glue class instances a caller thread keeps for the pool's caller. A wasm-bindgen object
 * is a pointer into this thread's view of the heap with methods bound to this thread's glue, and
 * cannot be cloned; so it stays here, under a number, and the caller's remote handle sends its
 * calls to this thread.
 */
export class ThreadObjects {
  private readonly objects = new Map<number, object>();
  private nextObjectId = 1;
  private readonly classNames: Map<unknown, string>;

  constructor(private readonly glue: GlueNamespace) {
    this.classNames = new Map(
      Object.keys(glue)
        .filter((name) => typeof glueExport(glue, name) === 'function' && isClass(glueExport(glue, name)))
        .map((name) => [glueExport(glue, name), name]),
    );
  }

  /**
   * Runs one call: its result, or the kept object it made; a promise of that only when the export
   * returned a promise (an async export, wasm-bindgen-futures), which is awaited on this thread.
   * Throws what the export throws.
   *
   * Why not always a promise: a fast call is answered as soon as this returns, in the same turn
   * as the spin that found it, and the receiver then loops to the next call
   * (bindgen-fast-calls.ts); a promise would put the answer behind the microtask queue.
   */
  run(message: Pick<BindgenCallMessage, 'target' | 'args' | 'objectArgs'>): CallOutcome | Promise<CallOutcome> {
    const args = message.args.map((arg, index) => {
      const objectId = message.objectArgs[index];
      return objectId === null || objectId === undefined ? arg : this.object(objectId);
    });
    const value: unknown = this.invoke(message.target, args);
    return isPromiseLike(value) ? Promise.resolve(value).then((settled) => this.outcomeOf(settled)) : this.outcomeOf(value);
  }

  private outcomeOf(value: unknown): CallOutcome {
    const className = value !== null && typeof value === 'object' ? this.classNames.get((value as object).constructor) : undefined;
    if (className === undefined) return { value, kept: null };
    const objectId = this.nextObjectId++;
    this.objects.set(objectId, value as object);
    return { value: undefined, kept: { objectId, className } };
  }

  /**
   * Per argument of a call to `target`, whether its glue function only borrows it
   * (bindgen-borrowed-arguments.ts); none for constructors, getters, `free`, and targets that
   * do not exist (the call then fails as usual).
   */
  borrowedArguments(target: BindgenCallTarget): readonly boolean[] {
    const fn = this.functionOf(target);
    return fn === undefined ? NOTHING_BORROWED : borrowedParameters(fn);
  }

  private functionOf(target: BindgenCallTarget): AnyFunction | undefined {
    let fn: unknown;
    if (target.kind === 'export') fn = glueExport(this.glue, target.name);
    else if (target.kind === 'static') {
      const glueClass = glueExport(this.glue, target.className);
      fn = this.classNames.has(glueClass) ? (glueClass as unknown as Record<string, unknown>)[target.member] : undefined;
    } else if (target.kind === 'method') fn = (this.objects.get(target.objectId) as Record<string, unknown> | undefined)?.[target.member];
    return typeof fn === 'function' ? (fn as AnyFunction) : undefined;
  }

  private invoke(target: BindgenCallTarget, args: unknown[]): unknown {
    switch (target.kind) {
      case 'export': {
        const fn = glueExport(this.glue, target.name);
        if (typeof fn !== 'function') throw missingExport(this.glue, target.name);
        return (fn as AnyFunction)(...args);
      }
      case 'construct':
        return new (this.glueClass(target.className) as unknown as new (...a: unknown[]) => unknown)(...args);
      case 'static': {
        const fn = (this.glueClass(target.className) as unknown as Record<string, unknown>)[target.member];
        if (typeof fn !== 'function') throw new MissingExportError(`${target.className}.${target.member}`, `The glue's class ${target.className} has no static function "${target.member}".`);
        return (fn as AnyFunction).apply(this.glueClass(target.className), args);
      }
      case 'method': {
        const object = this.object(target.objectId) as Record<string, unknown>;
        const fn = object[target.member];
        if (typeof fn !== 'function') throw new MissingExportError(target.member, `${object.constructor.name} has no method "${target.member}"${target.member in object ? ` (it is a ${typeof fn}: read it without calling)` : ''}.`);
        return (fn as AnyFunction).apply(object, args);
      }
      case 'get':
        return (this.object(target.objectId) as Record<string, unknown>)[target.member];
      case 'free': {
        const object = this.object(target.objectId) as { free?: () => void };
        this.objects.delete(target.objectId);
        object.free?.();
        return undefined;
      }
    }
  }

  private glueClass(className: string): AnyFunction {
    const value = glueExport(this.glue, className);
    if (typeof value !== 'function' || !this.classNames.has(value)) {
      const classes = [...this.classNames.values()];
      throw new MissingExportError(className, `The glue has no class "${className}". Its classes: ${classes.slice(0, 20).join(', ') || '(none)'}${classes.length > 20 ? `, … (${classes.length})` : ''}.`);
    }
    return value as AnyFunction;
  }

  private object(objectId: number): object {
    const object = this.objects.get(objectId);
    if (object === undefined) throw new InvalidArgumentError(`Remote object ${objectId} was freed on this thread: make a new one.`);
    return object;
  }
}

/** Whether a function is a class (wasm-bindgen emits `class X { … }` for exported structs). */
function isClass(value: unknown): boolean {
  return /^class[\s{]/.test(Function.prototype.toString.call(value));
}

export function missingExport(glue: GlueNamespace, name: string): MissingExportError {
  if (name in glue) return new MissingExportError(name, `The glue's export "${name}" is a ${typeof glueExport(glue, name)}, not a function.`);
  const names = Object.keys(glue).filter((key) => typeof glueExport(glue, key) === 'function' && key !== 'default' && !key.startsWith('__') && key !== 'initSync');
  return new MissingExportError(name, `The glue has no export "${name}". Its functions: ${names.join(', ') || '(none)'}.`);
}
