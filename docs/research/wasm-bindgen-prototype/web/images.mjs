export const IMAGES = ['gradient-256-rgb', 'shapes-512-rgba', 'noisy-800-rgb'];
const get = async (p) => new Uint8Array(await (await fetch(p)).arrayBuffer());
/** Runs optimise on every image at levels 2 and 4: warm-up, then median of 3; compares with Node's single-threaded output. */
export async function compare(optimise) {
  const rows = [];
  for (const n of IMAGES) for (const l of [2, 4]) {
    const png = await get(`/proto/${n}.png`), ref = await get(`/proto/${n}.L${l}.ref.png`);
    let out = optimise(png, l); const ts = [];
    for (let i = 0; i < 3; i++) { const t = performance.now(); out = optimise(png, l); ts.push(performance.now() - t); }
    ts.sort((a, b) => a - b);
    rows.push(`${n} L${l}: ${Math.round(ts[1])} ms, identical=${out.length === ref.length && out.every((b, i) => b === ref[i])}`);
  }
  return rows;
}
