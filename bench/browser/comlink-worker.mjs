// comlink peer (module worker): the empty task of the round-trip rows.
import * as Comlink from '/node_modules/comlink/dist/esm/comlink.mjs';

Comlink.expose({ nothing() {} });
