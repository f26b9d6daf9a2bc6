// node examples/wasm-bindgen/seed.mjs — the classic wasm-bindgen threads seed without the worker
// glue: n workers, each running the glue's init on one shared module and memory, then entry()
// on every one. The glue here is a small stand-in for a crate's pkg/ (no Rust wasm32 toolchain
// in this repo); with your crate, point `glue` at pkg/<crate>.js (the _bg.wasm is found next to it).
import { createBindgenPool } from 'weft/wasm-bindgen';

const pool = await createBindgenPool({
  glue: new URL('../../test/fixtures/wasm-bindgen/bindgen_fixture.js', import.meta.url),
  wasm: new URL('../../wasm/bindgen_fixture_bg.wasm', import.meta.url),
  threads: 4,
});
for (const greeting of await pool.broadcast('entry')) console.log(greeting);
console.log('on one free thread:', await pool.run('add', 20, 22));
await pool.close(); // runs __wbindgen_thread_destroy on each thread, then ends the workers
