// Picks the values the REQ mix of bench/reads.sh asks for, from the file the store was imported from:
// kind-1 authors, kind-3 authors, #p values (the first p tag of tagged events, so popular follows come up
// as often as they are followed) and event ids, each a seeded uniform sample over the whole file.
// Usage: node picks.mjs FILE.jsonl OUT.json
import { seeded } from './random.mjs';
import { createReadStream, writeFileSync } from 'node:fs';

const [file, out] = process.argv.slice(2);
if (!file || !out) {
  console.error('usage: node picks.mjs FILE.jsonl OUT.json');
  process.exit(2);
}

const random = seeded(1);

class Reservoir {
  constructor(size) { this.size = size; this.seen = 0; this.items = []; }
  offer(v) {
    this.seen++;
    if (this.items.length < this.size) this.items.push(v);
    else { const j = Math.floor(random() * this.seen); if (j < this.size) this.items[j] = v; }
  }
}

const ids = new Reservoir(20000), ptags = new Reservoir(20000);
const authors1 = new Reservoir(20000), authors3 = new Reservoir(20000);
const seen1 = new Set(), seen3 = new Set();
let lines = 0, rest = '';

function line(l) {
  // tern gen writes id, pubkey, created_at, kind, tags in that order
  if (!l.startsWith('{"id":"')) return;
  lines++;
  ids.offer(l.substring(7, 71));
  const pubkey = l.substring(83, 147);
  const k = l.indexOf('"kind":', 147);
  const kind = parseInt(l.substring(k + 7, k + 14), 10);
  if (kind === 1 && !seen1.has(pubkey)) { seen1.add(pubkey); authors1.offer(pubkey); }
  if (kind === 3 && !seen3.has(pubkey)) { seen3.add(pubkey); authors3.offer(pubkey); }
  const p = l.indexOf('["p","', k);
  if (p > 0) ptags.offer(l.substring(p + 6, p + 70));
}

const stream = createReadStream(file, { encoding: 'latin1', highWaterMark: 4 << 20 });
for await (const chunk of stream) {
  const s = rest + chunk;
  let from = 0;
  for (let nl; (nl = s.indexOf('\n', from)) >= 0; from = nl + 1) line(s.substring(from, nl));
  rest = s.substring(from);
}
if (rest) line(rest);

const picks = {
  file, lines,
  authors1: authors1.items.slice(0, 5000), authors3: authors3.items,
  ptags: [...new Set(ptags.items)].slice(0, 5000), ids: ids.items,
};
writeFileSync(out, JSON.stringify(picks));
console.log(`picks: ${lines} events; ${seen1.size} kind-1 authors, ${seen3.size} kind-3 authors, ` +
  `${picks.ptags.length} #p values, ${picks.ids.length} ids -> ${out}`);
