import('x-probe').then((m) => postMessage(m.probe), (e) => postMessage('import map NOT applied in worker: ' + e.message));
