// node examples/isolation/express.mjs — serves this repository through Express with the
// cross-origin isolation headers (as `npm start` does), so the examples can start weft pools.
import express from 'express';
import { fileURLToPath } from 'node:url';
import { createIsolationMiddleware } from 'weft/middleware';

const app = express();
app.use(createIsolationMiddleware()); // COOP, COEP and CORP on every response
app.use(express.static(fileURLToPath(new URL('../..', import.meta.url))));

const server = app.listen(Number(process.env.PORT ?? 8080), '127.0.0.1', () => {
  console.log(`examples at http://127.0.0.1:${server.address().port}/examples/`);
});
