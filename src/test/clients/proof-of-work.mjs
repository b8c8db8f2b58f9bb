// nostr-tools against a tern serve started with --min-pow 12 and an owner: NIP-13 proof of work is advertised
// in NIP-11, an event without it is refused with pow:, one mined with nip13 is stored, and the owner is exempt.
// Usage: node proof-of-work.mjs ws://127.0.0.1:PORT/ OWNER_SECRET_HEX
import { generateSecretKey, getPublicKey, finalizeEvent } from 'nostr-tools/pure';
import { Relay, useWebSocketImplementation } from 'nostr-tools/relay';
import { minePow, getPow } from 'nostr-tools/nip13';
import { hexToBytes } from 'nostr-tools/utils';
import WebSocket from 'ws';

useWebSocketImplementation(WebSocket);
const url = process.argv[2];
const owner = hexToBytes(process.argv[3]);
const check = (ok, what) => { if (!ok) throw new Error(what); };
const outcome = (p) => p.then((r) => 'ok ' + r, (err) => err.message);

const info = await (await fetch(url.replace('ws://', 'http://'), { headers: { Accept: 'application/nostr+json' } })).json();
check(info.limitation?.min_pow_difficulty === 12 && info.supported_nips.includes(13), 'NIP-11: ' + JSON.stringify(info));

const relay = await Relay.connect(url);
const sk = generateSecretKey();
const template = () => ({ kind: 1, created_at: Math.floor(Date.now() / 1000), tags: [], content: 'mined', pubkey: getPublicKey(sk) });

const plain = finalizeEvent(template(), sk);
const refused = await outcome(relay.publish(plain));
check(refused.startsWith('pow:'), 'unmined event: ' + refused);

const weak = finalizeEvent(minePow(template(), 4), sk); // commits to 4: refused even if lucky
check((await outcome(relay.publish(weak))).startsWith('pow:'), 'a commitment under the minimum');

const mined = finalizeEvent(minePow(template(), 12), sk);
check(getPow(mined.id) >= 12, 'mined ' + mined.id);
check((await outcome(relay.publish(mined))).startsWith('ok'), 'mined event refused');

const byOwner = finalizeEvent({ kind: 1, created_at: Math.floor(Date.now() / 1000), tags: [], content: 'owner' }, owner);
check((await outcome(relay.publish(byOwner))).startsWith('ok'), 'the owner is exempt');
relay.close();
console.log('ok', mined.id);
