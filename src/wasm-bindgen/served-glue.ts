import { InvalidArgumentError } from '../errors/catalogue.js';
import { describeGlueProblem, type GlueNamespace } from '../producers/wasm-bindgen-glue.js';

/**
 * Checks the glue a caller-made worker hands to `serveBindgenThread`, at once, so that the pool's
 * start fails with what is wrong instead of an engine error from deep in the glue's init.
 */
export function assertServableGlue(glue: unknown): asserts glue is GlueNamespace {
  const problem = describeGlueProblem(glue);
  if (problem !== undefined) {
    throw new InvalidArgumentError(`serveBindgenThread(glue): the argument is not wasm-bindgen glue: ${problem}. Pass the namespace of the glue, e.g. import * as glue from './pkg/my_crate.js'.`);
  }
}
