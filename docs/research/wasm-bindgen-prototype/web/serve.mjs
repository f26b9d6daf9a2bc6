// Static server over /tmp/oxi with cross-origin isolation headers. Usage: node serve.mjs PORT
import http from 'node:http'; import fs from 'node:fs'; import path from 'node:path';
const ROOT = '/tmp/oxi', TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.html': 'text/html', '.wasm': 'application/wasm', '.png': 'image/png', '.json': 'application/json' };
http.createServer((req, res) => {
  let p = path.join(ROOT, decodeURIComponent(new URL(req.url, 'http://x').pathname));
  // Like a dev server: a directory import ('../../../' in the shipped rayon worker) gets package.json's "module".
  if (fs.existsSync(path.join(p, 'package.json'))) p = path.join(p, JSON.parse(fs.readFileSync(path.join(p, 'package.json'))).module);
  fs.readFile(p, (err, data) => {
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin'); res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    if (err) { res.statusCode = 404; return res.end('not found'); }
    res.setHeader('Content-Type', TYPES[path.extname(p)] || 'application/octet-stream'); res.end(data);
  });
}).listen(Number(process.argv[2] || 8765), () => console.log('listening'));
