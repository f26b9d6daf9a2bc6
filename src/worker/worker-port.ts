import type { WorkerToHostMessage } from '../protocol/messages.js';

/** How the worker entry talks to its host on this platform. */
export interface WorkerPort {
  post(message: WorkerToHostMessage): void;
  onMessage(listener: (data: unknown) => void): void;
  /** Called when the loop ends, so the platform can let the worker exit. */
  close(): void;
}
