// nostr-tools' NIP-77 client against a running tern: reconcile a local set of items with the relay's events
// matching a filter, and print what each side lacks as JSON {"have": [...], "need": [...]}.
// Usage: node negentropy-diff.mjs ws://127.0.0.1:PORT/ FILTER_JSON ITEMS_JSON_FILE
// (the items file holds [{"created_at": n, "id": "hex"}, ...]). nip77 is not in nostr-tools' package exports.
import { NegentropySync, NegentropyStorageVector } from './node_modules/nostr-tools/lib/esm/nip77.js';
import { Relay, useWebSocketImplementation } from 'nostr-tools/relay';
import WebSocket from 'ws';
import { readFileSync } from 'node:fs';

useWebSocketImplementation(WebSocket);
const [url, filterJson, itemsFile] = process.argv.slice(2);
const storage = new NegentropyStorageVector();
for (const item of JSON.parse(readFileSync(itemsFile, 'utf8'))) storage.insert(item.created_at, item.id);
storage.seal();
const relay = await Relay.connect(url);
const have = [];
const need = [];
await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error('reconciliation did not end in 30 s')), 30_000);
  const sync = new NegentropySync(relay, storage, JSON.parse(filterJson), {
    onhave: (id) => have.push(id),
    onneed: (id) => need.push(id),
    onclose: (err) => {
      clearTimeout(timer);
      if (err) reject(new Error(err));
      else resolve();
    },
  });
  sync.start();
});
relay.close();
console.log(JSON.stringify({ have, need }));
