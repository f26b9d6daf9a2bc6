import { readFileSync, writeFileSync } from 'node:fs';
const codec = new URL('../node_modules/@jsquash/oxipng/codec/', import.meta.url);
const st = await import(new URL('pkg/squoosh_oxipng.js', codec));
st.initSync(readFileSync(new URL('pkg/squoosh_oxipng_bg.wasm', codec)));
for (const n of ['gradient-256-rgb', 'shapes-512-rgba', 'noisy-800-rgb']) for (const l of [2, 4])
  writeFileSync(`${n}.L${l}.ref.png`, st.optimise(readFileSync(`${n}.png`), l, false, false));
