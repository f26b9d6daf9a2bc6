import { installWebWorkers } from './install.js';

// `node --import weft/web-worker/register app.js` (or a first `import 'weft/web-worker/register'`
// in Deno and Bun): the web's Worker, fetch of file: URLs and navigator before the app loads.
installWebWorkers();
