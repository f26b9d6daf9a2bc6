import { MemoryDirectory, runWasi } from 'weft';

// The page's "files": the program sees them under /data (browsers have no host directories).
const data = MemoryDirectory.from({ 'in.txt': 'hello from the page' });
const output = document.getElementById('output');

// _start runs on a worker and every spawned thread on another; the page never blocks.
const { exitCode } = await runWasi(new URL('../../wasm/wasi/c-files.wasm', import.meta.url), {
  preopens: { '/data': data },
  stdout: (bytes) => (output.textContent += new TextDecoder().decode(bytes)),
});
output.textContent += `(exit code ${exitCode}; out.txt now holds ${JSON.stringify(data.readTextFile('out.txt'))})\n`;
window.__weftTest = { ok: exitCode === 0, results: { exitCode, text: output.textContent } };
