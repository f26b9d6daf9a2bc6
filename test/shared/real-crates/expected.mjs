// What each real crate check returns: the same in Chromium with the crate's own glue and in Node 20,
// Node 22, Deno and Bun through weft/web-worker (test/browser/real-crates.chromium.test.mjs,
// test/node/real-crates.test.mjs). Recorded from a run; every figure is a pure function of the
// inputs (seeded keys, fixed images and messages), whatever the runtime and thread count.
import { CRATE_THREADS } from './crate-args.mjs';

export const EXPECTED_RESULTS = {
  tfhe: {
    "clientKeyBytes": 31267,
    "clientKeyChecksum": 2730844335,
    "serverKeyBytes": 60227967,
    "decrypted": 200
  },
  oxipng: [
    {
      "name": "gradient 256x256 RGB",
      "bytes": 863,
      "checksum": 1308009826
    },
    {
      "name": "shapes 384x256 RGBA",
      "bytes": 779,
      "checksum": 2534933346
    },
    {
      "name": "noisy 400x300 RGB",
      "bytes": 217278,
      "checksum": 1005562699
    }
  ],
  provable: {
    "operation": "BHP hasher setup with a custom domain, then hash/commit/hashToGroup",
    "domain": "weft.provable.probe",
    "message": "weft: threaded wasm probe",
    "messageBits": 200,
    "hashers": {
      "BHP256": {
        "hash": "965045858076187683638281836782625712360651386805976306905750501267252381120field",
        "commit": "4316017147356028723565760783268764499762595647785929973766342088296873658404field",
        "hashToGroup": "965045858076187683638281836782625712360651386805976306905750501267252381120group"
      },
      "BHP512": {
        "hash": "3476098295864808799019311057325025832912961453307094776882843555798961861588field",
        "commit": "2344320373495770793464547470891053966600438263270313472740597255690416980112field",
        "hashToGroup": "3476098295864808799019311057325025832912961453307094776882843555798961861588group"
      },
      "BHP768": {
        "hash": "76953124059764028900745770026399477948697024755965376082830707457252929928field",
        "commit": "123706688200534032966741670211290812569392467784496413408912233841094701713field",
        "hashToGroup": "76953124059764028900745770026399477948697024755965376082830707457252929928group"
      },
      "BHP1024": {
        "hash": "7555589539207502345979023354508465646832336697411039884500808413301884913142field",
        "commit": "5680079216464014859543371788654260211441070421051975304422286161483968380365field",
        "hashToGroup": "7555589539207502345979023354508465646832336697411039884500808413301884913142group"
      }
    }
  },
  tlsn: {
    "package": "tlsn-wasm@0.1.0-alpha.12",
    "call": "Verifier.connect + Verifier.verify / Prover.setup over a local WebSocket relay",
    "limits": {
      "max_sent_data": 256,
      "max_recv_data": 256
    },
    "proverSetup": "done",
    "verifierAfterProverFreed": "rejected: unexpected end of file",
    "relayMiB": {
      "verifierToProver": 2.9,
      "proverToVerifier": 36.7
    }
  },
};

/**
 * How many workers each crate's glue starts in the realm that calls it: its pool's threads (oxipng takes
 * navigator.hardwareConcurrency, and runs single-threaded, starting none, on one core).
 */
export function expectedWorkers(crate, hardwareConcurrency) {
  if (crate === 'oxipng') return hardwareConcurrency > 1 ? hardwareConcurrency : 0;
  // web-spawn's spawner; the pool's threads and tlsn's 40 other threads are its own nested workers.
  if (crate === 'tlsn') return 1;
  return CRATE_THREADS;
}
