// nostr-tools against a running tern: publish a note, read it back by REQ, count it.
// Usage: node publish-and-read.mjs ws://127.0.0.1:PORT/
import { generateSecretKey, finalizeEvent } from 'nostr-tools/pure';
import { Relay, useWebSocketImplementation } from 'nostr-tools/relay';
import WebSocket from 'ws';

useWebSocketImplementation(WebSocket);
const relay = await Relay.connect(process.argv[2]);
const sk = generateSecretKey();
const note = finalizeEvent({ kind: 1, created_at: Math.floor(Date.now() / 1000), tags: [], content: 'hello from nostr-tools' }, sk);
await relay.publish(note);
const got = await new Promise((resolve, reject) => {
  const seen = [];
  const timer = setTimeout(() => reject(new Error('no EOSE in 10 s')), 10_000);
  relay.subscribe([{ authors: [note.pubkey] }], {
    onevent: (e) => seen.push(e),
    oneose: () => { clearTimeout(timer); resolve(seen); },
  });
});
if (got.length !== 1 || got[0].id !== note.id) throw new Error('read back ' + JSON.stringify(got));
const count = await relay.count([{ authors: [note.pubkey] }]);
if (count !== 1) throw new Error('COUNT said ' + count);
relay.close();
console.log('ok', note.id);
