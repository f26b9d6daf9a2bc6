// A tiny WebSocket relay for the tlsn-wasm run (tlsn.mjs): two WebSocket clients that open the
// same path (ws://127.0.0.1:<port>/<session>) are joined, and every message one sends is passed on
// to the other. The TLSNotary Prover (Prover.setup(url)) and Verifier (Verifier.connect(url)) are
// both WebSocket *clients*, so in one process they need a third party in the middle: this relay.
//
// It is written on node:net alone (the HTTP upgrade and RFC 6455 framing by hand), so it runs the
// same under Node 20, Deno and Bun's node compatibility, without the `ws` package. It listens on
// 127.0.0.1 only. Besides WebSockets it answers `GET /stats/<session>` (with CORS headers, so an
// isolated page may fetch it) with the bytes and messages each side has sent through the session.
//
//   const relay = await startWebSocketRelay();   // { url: 'ws://127.0.0.1:<port>', close() }
//   ... new WebSocket(`${relay.url}/some-session`) twice ...
//   await relay.close();
import { createHash } from 'node:crypto';
import net from 'node:net';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const MAX_HEADER_BYTES = 16 * 1024;

/**
 * Starts the relay on 127.0.0.1.
 * @param {{ port?: number }} [options] port 0 (the default) picks a free one
 * @returns {Promise<{ url: string, port: number, close(): Promise<void> }>}
 */
export async function startWebSocketRelay(options = {}) {
  /** @type {Map<string, { peers: Peer[], stats: { messages: number[], bytes: number[] } }>} */
  const sessions = new Map();
  const sockets = new Set();

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    readHandshake(socket, sessions);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address();
  let closing;
  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    close() {
      closing ??= new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

/** Reads the HTTP request head, then upgrades (GET /<session>) or answers /stats/<session>. */
function readHandshake(socket, sessions) {
  let head = Buffer.alloc(0);
  const onData = (chunk) => {
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end === -1) {
      if (head.length > MAX_HEADER_BYTES) socket.destroy();
      return;
    }
    socket.off('data', onData);
    const rest = head.subarray(end + 4);
    const [requestLine, ...headerLines] = head.subarray(0, end).toString('latin1').split('\r\n');
    const [method, target = '/'] = requestLine.split(' ');
    const headers = {};
    for (const line of headerLines) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const path = target.split('?')[0];
    if (method === 'GET' && headers.upgrade?.toLowerCase() === 'websocket' && headers['sec-websocket-key']) {
      const accept = createHash('sha1').update(headers['sec-websocket-key'] + GUID).digest('base64');
      socket.write(
        'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
      );
      join(sessions, path, socket, rest);
    } else if ((method === 'GET' || method === 'OPTIONS') && path.startsWith('/stats/')) {
      const stats = sessions.get(`/${path.slice('/stats/'.length)}`)?.stats ?? null;
      respond(socket, 200, JSON.stringify(stats), 'application/json');
    } else {
      respond(socket, 404, 'not found\n', 'text/plain');
    }
  };
  socket.on('data', onData);
}

function respond(socket, status, body, type) {
  const payload = Buffer.from(body);
  socket.write(
    `HTTP/1.1 ${status} ${status === 200 ? 'OK' : 'Not Found'}\r\nContent-Type: ${type}\r\n` +
      'Access-Control-Allow-Origin: *\r\nCross-Origin-Resource-Policy: cross-origin\r\n' +
      `Cache-Control: no-store\r\nContent-Length: ${payload.length}\r\nConnection: close\r\n\r\n`,
  );
  socket.end(payload);
}

/**
 * @typedef {{ socket: import('node:net').Socket, index: number, pending: Buffer[], closed: boolean }} Peer
 */

/** Adds the socket to the session at `path`; the first two of a session are joined. */
function join(sessions, path, socket, rest) {
  let session = sessions.get(path);
  if (!session || session.peers.length >= 2) {
    session = { peers: [], stats: { messages: [0, 0], bytes: [0, 0] } };
    sessions.set(path, session);
  }
  /** @type {Peer} */
  const peer = { socket, index: session.peers.length, pending: [], closed: false };
  session.peers.push(peer);
  const other = () => session.peers[1 - peer.index];
  if (peer.index === 1) {
    // Frames the first one sent before its partner came are delivered now.
    for (const frame of session.peers[0].pending) socket.write(frame);
    session.peers[0].pending = [];
  }

  const forward = (frame) => {
    const to = other();
    if (!to) peer.pending.push(frame);
    else if (!to.closed) to.socket.write(frame);
  };
  const closeBoth = (code) => {
    for (const each of session.peers) {
      if (each.closed) continue;
      each.closed = true;
      each.socket.end(encodeFrame(0x8, true, closePayload(code)));
    }
  };
  socket.on('close', () => {
    if (!peer.closed) {
      peer.closed = true;
      closeBoth(1001);
    }
  });

  let buffer = Buffer.alloc(0);
  const onData = (chunk) => {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    for (;;) {
      const frame = decodeFrame(buffer);
      if (!frame) return;
      buffer = buffer.subarray(frame.length);
      if (frame.opcode === 0x8) {
        closeBoth(frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : 1000);
        return;
      }
      if (frame.opcode === 0x9) {
        socket.write(encodeFrame(0xa, true, frame.payload));
        continue;
      }
      if (frame.opcode === 0xa) continue;
      // Data frames (text 0x1, binary 0x2, continuation 0x0) pass on unchanged, unmasked.
      session.stats.bytes[peer.index] += frame.payload.length;
      if (frame.fin) session.stats.messages[peer.index] += 1;
      forward(encodeFrame(frame.opcode, frame.fin, frame.payload));
    }
  };
  socket.on('data', onData);
  if (rest.length > 0) onData(rest);
}

/** Decodes one (client, so masked) frame at the start of `buffer`, or returns null if incomplete. */
function decodeFrame(buffer) {
  if (buffer.length < 2) return null;
  const fin = (buffer[0] & 0x80) !== 0;
  const opcode = buffer[0] & 0x0f;
  const masked = (buffer[1] & 0x80) !== 0;
  let length = buffer[1] & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buffer.length < 4) return null;
    length = buffer.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buffer.length < 10) return null;
    length = Number(buffer.readBigUInt64BE(2));
    offset = 10;
  }
  const maskOffset = offset;
  if (masked) offset += 4;
  if (buffer.length < offset + length) return null;
  const payload = Buffer.from(buffer.subarray(offset, offset + length));
  if (masked) {
    for (let i = 0; i < payload.length; i++) payload[i] ^= buffer[maskOffset + (i & 3)];
  }
  return { fin, opcode, payload, length: offset + length };
}

/** Encodes an unmasked (server to client) frame. */
function encodeFrame(opcode, fin, payload) {
  const length = payload.length;
  let header;
  if (length < 126) {
    header = Buffer.from([(fin ? 0x80 : 0) | opcode, length]);
  } else if (length < 65536) {
    header = Buffer.alloc(4);
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.alloc(10);
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  header[0] = (fin ? 0x80 : 0) | opcode;
  return Buffer.concat([header, payload]);
}

function closePayload(code) {
  const payload = Buffer.alloc(2);
  payload.writeUInt16BE(code, 0);
  return payload;
}
