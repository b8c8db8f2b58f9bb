// REQ latency as a node.js `ws` client sees it: the time from sending a REQ to receiving its EOSE, all stored
// events read (and inflated, with permessage-deflate) on the way. Each client runs the five query types of
// issue 17 in turn, one REQ at a time; with several clients they all run at once.
// Usage: node reads.mjs PORT|URL PICKS.json on|off CLIENTS PER_TYPE WARMUP
//   PORT       a relay on 127.0.0.1; URL (ws://...) any other relay, e.g. strfry holding the same events
//   env TYPES  the query types to run, by number from 1 in the order below (default the five: "1,2,3,4,5")
//   on|off     offer permessage-deflate (ws's default, as browsers do) or not
//   PER_TYPE   timed REQs of each type over all clients; WARMUP untimed REQs of each type per client first
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { seeded } from './random.mjs';

const [target, picksFile, deflateArg, clientsArg, perTypeArg, warmupArg] = process.argv.slice(2);
if (!warmupArg || !['on', 'off'].includes(deflateArg)) {
  console.error('usage: node reads.mjs PORT|URL PICKS.json on|off CLIENTS PER_TYPE WARMUP');
  process.exit(2);
}
const url = /^wss?:\/\//.test(target) ? target : `ws://127.0.0.1:${target}/`;
const deflate = deflateArg === 'on';
const clients = +clientsArg, perType = +perTypeArg, warmup = +warmupArg;
const REQ_TIMEOUT_MS = 60_000;
const picks = JSON.parse(readFileSync(picksFile, 'utf8'));

const random = seeded(7);
const pick = (a) => a[Math.floor(random() * a.length)];
const some = (a, n) => Array.from({ length: n }, () => pick(a));

const TYPES = [
  ['authors [a] + kinds [1], limit 20', () => ({ authors: [pick(picks.authors1)], kinds: [1], limit: 20 })],
  ['#p [x], limit 50', () => ({ '#p': [pick(picks.ptags)], limit: 50 })],
  ['kinds [1], limit 100', () => ({ kinds: [1], limit: 100 })],
  ['ids x 20', () => ({ ids: some(picks.ids, 20) })],
  ['kinds [3], 10 authors', () => ({ kinds: [3], authors: some(picks.authors3, 10) })],
  // not in the default set: the round trip of a REQ that reads no event (one id lookup, nothing found)
  ['ids [an absent id], the round trip', () => ({ ids: ['0'.repeat(64)] })],
  // nor this: a REQ the event loop answers alone (limit 0: no stored events), without the query pool's hand-offs
  ['kinds [1], limit 0, the loop alone', () => ({ kinds: [1], limit: 0 })],
];
const only = (process.env.TYPES || '1,2,3,4,5').split(',').map((t) => TYPES[+t - 1]);
if (only.some((t) => !t)) {
  console.error(`TYPES=${process.env.TYPES}: numbers from 1 to ${TYPES.length}`);
  process.exit(2);
}
TYPES.splice(0, TYPES.length, ...only);
const EOSE = Buffer.from('["EOSE",'), EVENT = Buffer.from('["EVENT",'), CLOSED = Buffer.from('["CLOSED",');
const stats = TYPES.map(() => ({ ms: [], events: 0, bytes: 0, wire: 0 }));
let extensions = '';

function connect() {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: deflate });
    ws.once('open', () => { extensions = ws.extensions; resolve(ws); });
    ws.once('error', reject);
  });
}

// One REQ: resolves with its events and bytes when its EOSE arrives.
function req(ws, sub, filter) {
  return new Promise((resolve, reject) => {
    let events = 0, bytes = 0;
    const wire0 = ws._socket.bytesRead;
    const timer = setTimeout(() => reject(new Error(`no EOSE for ${sub} in ${REQ_TIMEOUT_MS} ms`)), REQ_TIMEOUT_MS);
    const onMessage = (data) => {
      bytes += data.length;
      if (data.subarray(0, EVENT.length).equals(EVENT)) { events++; return; }
      const end = data.subarray(0, EOSE.length).equals(EOSE);
      if (end || data.subarray(0, CLOSED.length).equals(CLOSED)) {
        if (!end) console.error(`${sub}: ${data}`);
        clearTimeout(timer);
        ws.off('message', onMessage);
        ws.send(JSON.stringify(['CLOSE', sub]));
        resolve({ events, bytes, wire: ws._socket.bytesRead - wire0 });
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify(['REQ', sub, filter]));
  });
}

async function client(c) {
  const ws = await connect();
  const timed = Math.ceil(perType / clients);
  for (let round = 0, n = 0; round < warmup + timed; round++) {
    for (let i = 0; i < TYPES.length; i++) {
      const type = (i + c) % TYPES.length; // clients start at different types, so all types run at once
      const t0 = process.hrtime.bigint();
      const r = await req(ws, `c${c}-${n++}`, TYPES[type][1]());
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (round >= warmup) {
        const s = stats[type];
        s.ms.push(ms); s.events += r.events; s.bytes += r.bytes; s.wire += r.wire;
      }
    }
  }
  ws.close();
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)];
const t0 = Date.now();
await Promise.all(Array.from({ length: clients }, (_, c) => client(c)));
const seconds = (Date.now() - t0) / 1000;
console.log(`deflate ${deflateArg} (extensions: ${extensions || 'none'}), ${clients} client${clients > 1 ? 's at once' : ''}, ` +
  `${warmup} warm-up and ${Math.ceil(perType / clients)} timed REQs of each type per client, ${seconds.toFixed(1)} s`);
for (let i = 0; i < TYPES.length; i++) {
  const s = stats[i], sorted = s.ms.toSorted((a, b) => a - b), n = sorted.length;
  console.log(`  ${TYPES[i][0].padEnd(34)} p50 ${percentile(sorted, 50).toFixed(2).padStart(7)}  p99 ${percentile(sorted, 99).toFixed(2).padStart(8)} ms` +
    `   ${n} REQs, ${(s.events / n).toFixed(1)} events, ${(s.bytes / n / 1024).toFixed(1)} KB as ${(s.wire / n / 1024).toFixed(1)} KB on the wire`);
}
