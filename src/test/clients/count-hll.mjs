// nostr-tools against a running tern: NIP-45 COUNT answers a reaction count with the HyperLogLog registers
// nostr-tools computes itself from the same events (nip45.feedEvent), so counts from several relays merge.
// Usage: node count-hll.mjs ws://127.0.0.1:PORT/
import { generateSecretKey, finalizeEvent } from 'nostr-tools/pure';
import { Relay, useWebSocketImplementation } from 'nostr-tools/relay';
import { computeOffset, feedEvent, hllEncode, newHll } from 'nostr-tools/nip45';
import WebSocket from 'ws';

useWebSocketImplementation(WebSocket);
const check = (ok, what) => { if (!ok) throw new Error(what); };
const now = () => Math.floor(Date.now() / 1000);
const relay = await Relay.connect(process.argv[2]);

const note = finalizeEvent({ kind: 1, created_at: now(), tags: [], content: 'react to me' }, generateSecretKey());
await relay.publish(note);
const reactions = [];
for (let i = 0; i < 40; i++) {
  const r = finalizeEvent({ kind: 7, created_at: now(), tags: [['e', note.id], ['p', note.pubkey]], content: '+' }, generateSecretKey());
  await relay.publish(r);
  reactions.push(r);
}

const answer = await relay.countWithHLL([{ '#e': [note.id], kinds: [7] }]);
check(answer.count === 40, 'count ' + JSON.stringify(answer));
const offset = computeOffset(note.id);
let local = newHll();
for (const r of reactions) local = feedEvent(local, r, offset);
check(answer.hll === hllEncode(local), 'hll ' + answer.hll + ' != ' + hllEncode(local));

const followers = await relay.countWithHLL([{ kinds: [7], '#p': [note.pubkey] }]);
check(followers.count === 40 && followers.hll?.length === 512, 'a #p count ' + JSON.stringify(followers));
const noTag = await relay.countWithHLL([{ kinds: [7], authors: reactions.map((r) => r.pubkey) }]);
check(noTag.count === 40 && noTag.hll === undefined, 'no tag attribute, no hll: ' + JSON.stringify(noTag));
relay.close();
console.log('ok', answer.count);
