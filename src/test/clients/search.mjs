// nostr-tools against a running tern with NIP-50: checks NIP-11, publishes notes, then a REQ with
// `search` (retried until the index has them) gets them best match first, and a search for
// another author's words gets none.
// Usage: node search.mjs ws://127.0.0.1:PORT/ http://127.0.0.1:PORT/
import { generateSecretKey, finalizeEvent } from 'nostr-tools/pure';
import { Relay, useWebSocketImplementation } from 'nostr-tools/relay';
import WebSocket from 'ws';

useWebSocketImplementation(WebSocket);
const info = await (await fetch(process.argv[3], { headers: { Accept: 'application/nostr+json' } })).json();
if (!info.supported_nips.includes(50)) throw new Error('NIP-11 does not list 50: ' + JSON.stringify(info.supported_nips));

const relay = await Relay.connect(process.argv[2]);
const sk = generateSecretKey();
const now = Math.floor(Date.now() / 1000);
const sign = (content, age) => finalizeEvent({ kind: 1, created_at: now - age, tags: [], content }, sk);
const phrase = sign('my favourite nostr apps this year', 2);
const scattered = sign('apps I tried: a few, and nostr is my favourite protocol', 1);
const unrelated = sign('the weather is fine', 0);
for (const e of [phrase, scattered, unrelated]) await relay.publish(e);

const search = (filter) => new Promise((resolve, reject) => {
  const seen = [];
  const timer = setTimeout(() => reject(new Error('no EOSE in 10 s')), 10_000);
  const sub = relay.subscribe([filter], {
    onevent: (e) => seen.push(e),
    oneose: () => { clearTimeout(timer); sub.close(); resolve(seen); },
  });
});

let got = [];
for (let i = 0; i < 50 && got.length < 2; i++) {
  got = await search({ search: 'favourite nostr apps', authors: [phrase.pubkey] });
  if (got.length < 2) await new Promise((r) => setTimeout(r, 100));
}
if (got.map((e) => e.id).join() !== [phrase.id, scattered.id].join()) throw new Error('ranked ' + JSON.stringify(got));
const none = await search({ search: 'weather nostr', authors: [phrase.pubkey] });
if (none.length !== 0) throw new Error('expected no hit, got ' + JSON.stringify(none));
relay.close();
console.log('ok', got.length);
