/**
 * The mark on every message weft posts between the host and its workers (`weft: 1`), so that
 * foreign messages on the same port are ignored. A file of its own so that both message files
 * (`messages.ts`, `bindgen-messages.ts`) can name it without importing each other.
 */
export const ENVELOPE = 1;
