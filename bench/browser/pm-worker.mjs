// Raw postMessage peer (module worker): echoes every message back.
self.onmessage = (e) => self.postMessage(e.data);
