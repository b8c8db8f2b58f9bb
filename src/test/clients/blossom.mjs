// blossom-client-sdk against two running terns: upload, list, get (whole and by Range), mirror to the
// second, report, delete. Usage: node blossom.mjs http://127.0.0.1:PORT_A/ http://127.0.0.1:PORT_B/
import { generateSecretKey, getPublicKey, finalizeEvent } from 'nostr-tools/pure';
import { Actions, createUploadAuth, createMirrorAuth, createListAuth, createDeleteAuth } from 'blossom-client-sdk';

const [serverA, serverB] = process.argv.slice(2);
const sk = generateSecretKey();
const pubkey = getPublicKey(sk);
const signer = async (draft) => finalizeEvent(draft, sk);
const fail = (why) => { throw new Error(why); };

const bytes = new Uint8Array(300_000);
for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) & 0xff;
bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]); // a PNG signature
const blob = new Blob([bytes], { type: 'image/png' });

const desc = await Actions.uploadBlob(serverA, blob, { auth: await createUploadAuth(signer, blob) });
if (desc.size !== bytes.length || desc.type !== 'image/png' || !desc.url.endsWith(desc.sha256 + '.png')) fail('descriptor ' + JSON.stringify(desc));
if (!Array.isArray(desc.nip94) || !desc.nip94.some(([k, v]) => k === 'x' && v === desc.sha256)) fail('no nip94 x tag');

const list = await Actions.listBlobs(serverA, pubkey, { auth: await createListAuth(signer) });
if (list.length !== 1 || list[0].sha256 !== desc.sha256) fail('list ' + JSON.stringify(list));

const whole = new Uint8Array(await (await Actions.downloadBlob(serverA, desc.sha256)).arrayBuffer());
if (whole.length !== bytes.length || whole.some((b, i) => b !== bytes[i])) fail('the download differs');
const part = await fetch(desc.url, { headers: { Range: 'bytes=1000-1999' } });
const partBytes = new Uint8Array(await part.arrayBuffer());
if (part.status !== 206 || partBytes.length !== 1000 || partBytes.some((b, i) => b !== bytes[1000 + i])) fail('range ' + part.status);

const mirrored = await Actions.mirrorBlob(serverB, desc, { auth: await createMirrorAuth(signer, desc.sha256) });
if (mirrored.sha256 !== desc.sha256 || mirrored.size !== desc.size) fail('mirror ' + JSON.stringify(mirrored));
if (!(await Actions.hasBlob(serverB, desc.sha256))) fail('the mirror does not have the blob');

const report = finalizeEvent({ kind: 1984, created_at: Math.floor(Date.now() / 1000), content: 'test report',
  tags: [['x', desc.sha256, 'other']] }, sk);
const reported = await Actions.reportBlobs([serverB], report);
if (reported.get(serverB) !== true) fail('report ' + reported.get(serverB));

await Actions.deleteBlob(serverA, desc.sha256, { auth: await createDeleteAuth(signer, desc.sha256) });
if (await Actions.hasBlob(serverA, desc.sha256)) fail('still there after delete');
if ((await fetch(desc.url)).status !== 404) fail('GET after delete is not 404');
console.log('ok', desc.sha256);
