export { WeftError } from './weft-error.js';
export * from './catalogue.js';
export { serializeError, deserializeError, type SerializedError } from './serialize.js';
