/** What a worker tells its creator outside the user's messages (on a port of its own). */
export interface WorkerReport {
  readonly type: 'uncaught-error';
  readonly error: unknown;
}

/** A report of an uncaught error, with the error copied to a plain Error where it cannot be cloned (Bun's module resolution errors). */
export function uncaughtErrorReport(error: unknown): WorkerReport {
  try {
    return { type: 'uncaught-error', error: structuredClone(error) };
  } catch {
    const copy = new Error(error instanceof Error ? error.message : String(error));
    if (error instanceof Error) Object.assign(copy, { name: error.name, stack: error.stack });
    return { type: 'uncaught-error', error: copy };
  }
}
