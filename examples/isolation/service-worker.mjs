// For static hosts that cannot send headers (GitHub Pages): serve isolation-sw.js, copied from
// node_modules/weft/dist/isolation/, at the site's root. The first visit reloads once.
import { createPool } from 'weft';
import { explainIsolation, registerIsolationServiceWorker } from 'weft/isolation';

const { status, reason } = await registerIsolationServiceWorker({ url: '/isolation-sw.js' });
const output = document.getElementById('output');
if (status === 'isolated') {
  const pool = await createPool({ module: new URL('../../wasm/hello.wasm', import.meta.url) });
  await pool.broadcast('count', 1000);
  const total = await pool.run('counter_value');
  output.textContent = `isolated: ${pool.threads} threads counted ${total}`;
  window.__weftTest = { ok: total === 1000 * pool.threads, results: { threads: pool.threads, total } };
  await pool.close();
} else if (status !== 'reloading') {
  output.textContent = `${reason}\n\n${(await explainIsolation()).text}`;
  window.__weftTest = { ok: false, error: reason };
}
