// workerpool peer (classic worker, as workerpool's browser build starts them): the empty task.
importScripts('/node_modules/workerpool/dist/workerpool.min.js');
workerpool.worker({ nothing() {} });
