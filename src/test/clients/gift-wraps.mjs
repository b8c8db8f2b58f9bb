// nostr-tools against a running tern: NIP-17 private messages in NIP-59 gift wraps are served only to their
// recipient, authenticated with NIP-42 (AUTH after a CLOSED auth-required works on the same connection), and
// the recipient's NIP-09 deletion removes one for good.
// Usage: node gift-wraps.mjs ws://127.0.0.1:PORT/
import { generateSecretKey, getPublicKey, finalizeEvent } from 'nostr-tools/pure';
import { Relay, useWebSocketImplementation } from 'nostr-tools/relay';
import * as nip17 from 'nostr-tools/nip17';
import WebSocket from 'ws';

useWebSocketImplementation(WebSocket);
const url = process.argv[2];
const alice = generateSecretKey();
const bob = generateSecretKey();
const eve = generateSecretKey();
const bobPk = getPublicKey(bob);
const wrapsToBob = [{ kinds: [1059], '#p': [bobPk] }];

function check(ok, what) {
  if (!ok) throw new Error(what);
}

/** A REQ's stored events, or the CLOSED reason that ended it. */
function read(relay, filters) {
  return new Promise((resolve, reject) => {
    const events = [];
    const timer = setTimeout(() => reject(new Error('no EOSE or CLOSED in 10 s')), 10_000);
    const sub = relay.subscribe(filters, {
      onevent: (e) => events.push(e),
      oneose: () => { clearTimeout(timer); resolve({ events }); sub.close(); },
      onclose: (reason) => { clearTimeout(timer); resolve({ events, closed: reason }); },
    });
  });
}

/** Connects and waits until the relay's AUTH challenge (its first message) has been read: one round trip. */
async function connect() {
  const relay = await Relay.connect(url);
  await relay.count([{ ids: ['0'.repeat(64)] }]);
  return relay;
}

const signer = (sk) => async (template) => finalizeEvent(template, sk);

const sender = await connect();
const wrap = nip17.wrapEvent(alice, { publicKey: bobPk }, 'meet at noon');
await sender.publish(wrap);

// Not authenticated: the REQ and the COUNT are refused with auth-required; AUTH as bob then works.
const reader = await connect();
const before = await read(reader, wrapsToBob);
check(before.events.length === 0 && before.closed?.startsWith('auth-required:'), 'unauthenticated REQ: ' + JSON.stringify(before));
const refusedCount = await reader.count(wrapsToBob).then((n) => 'count ' + n, (err) => err.message);
check(refusedCount.startsWith('auth-required:'), 'unauthenticated COUNT: ' + refusedCount);
await reader.auth(signer(bob));
const after = await read(reader, wrapsToBob);
check(after.events.length === 1 && after.events[0].id === wrap.id, 'bob reads ' + JSON.stringify(after));
const message = nip17.unwrapEvent(after.events[0], bob);
check(message.content === 'meet at noon' && message.pubkey === getPublicKey(alice), 'unwrapped ' + JSON.stringify(message));
check(await reader.count(wrapsToBob) === 1, 'bob counts one');

// Authenticated as someone else: nothing to read, nothing to count.
const snoop = await connect();
await snoop.auth(signer(eve));
const seen = await read(snoop, wrapsToBob);
check(seen.events.length === 0 && !seen.closed, 'eve reads ' + JSON.stringify(seen));
check(await snoop.count(wrapsToBob) === 0, 'eve counts none');

// NIP-59: the recipient's deletion removes the wrap, and it cannot be published again.
await reader.publish(finalizeEvent({ kind: 5, created_at: Math.floor(Date.now() / 1000), tags: [['e', wrap.id]], content: '' }, bob));
check((await read(reader, wrapsToBob)).events.length === 0, 'deleted wrap still served');
const again = await sender.publish(wrap).then((r) => 'accepted ' + r, (err) => err.message);
check(again.startsWith('blocked:'), 'republished deleted wrap: ' + again);

for (const r of [sender, reader, snoop]) r.close();
console.log('ok', wrap.id);
