// tern operator page: relay info, live figures from /api/stats, import with progress, export.
// Plain JS, no build step and no third-party code: it is served from the relay's jar.
'use strict';

const $ = (id) => document.getElementById(id);
const STATS_EVERY_MS = 2000;
const IMPORT_POLL_MS = 500;

// ---- formatting ---------------------------------------------------------------------------

const nf = new Intl.NumberFormat('en-US');
const num = (n) => (n === undefined || n === null || Number.isNaN(n)) ? '–' : nf.format(Math.round(n));

function bytes(n) {
  if (n === undefined || n === null || n < 0) return '–';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(n < 10 ? 2 : 1)) + ' ' + units[i];
}

function seconds(s) {
  if (s === undefined || s === null) return '–';
  return s < 60 ? s.toFixed(1) + ' s' : Math.floor(s / 60) + ' min ' + Math.round(s % 60) + ' s';
}

function setText(id, text) { $(id).textContent = text; }

// ---- NIP-07 sign-in and NIP-98 admin requests -----------------------------------------------

let signer = null; // hex pubkey once signed in

function base64Utf8(text) {
  const utf8 = new TextEncoder().encode(text);
  let bin = '';
  for (const b of utf8) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** Headers for an admin request: a fresh NIP-98 event per request (the relay refuses replays). */
async function adminHeaders(method, path) {
  if (!signer) return {}; // loopback without configured owners needs none
  const url = new URL(path, location.href).href;
  const event = await window.nostr.signEvent({
    kind: 27235, created_at: Math.floor(Date.now() / 1000), content: '',
    tags: [['u', url], ['method', method]],
  });
  return { Authorization: 'Nostr ' + base64Utf8(JSON.stringify(event)) };
}

async function signIn() {
  if (!window.nostr) {
    setText('signin-state', 'no NIP-07 extension found (loopback works without signing in)');
    return;
  }
  try {
    signer = await window.nostr.getPublicKey();
    setText('signin-state', 'signed in as ' + signer.slice(0, 8) + '…' + signer.slice(-4));
    $('signin').textContent = 'Signed in';
    $('signin').disabled = true;
  } catch (e) {
    setText('signin-state', 'sign-in refused: ' + e);
  }
}

// ---- relay information (NIP-11) -------------------------------------------------------------

async function loadInfo() {
  const wsUrl = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host;
  setText('relay-url', wsUrl);
  try {
    const r = await fetch('/', { headers: { Accept: 'application/nostr+json' } });
    const info = await r.json();
    if (info.name) { setText('relay-name', info.name); document.title = info.name + ' · tern'; }
    setText('relay-description', info.description || '');
    setText('relay-software', (info.software || 'tern') + (info.version ? ' ' + info.version : ''));
    setText('relay-nips', (info.supported_nips || []).join(', ') || '–');
    setText('relay-contact', [info.contact, info.pubkey].filter(Boolean).join(' · ') || '–');
  } catch (e) {
    setText('relay-software', 'tern (relay information unavailable)');
  }
}

// ---- live figures ---------------------------------------------------------------------------

let previous = null; // last stats sample, to turn counters into rates

function renderKinds(kinds) {
  const rows = Object.entries(kinds || {}).map(([k, n]) => [Number(k), Number(n)]).sort((a, b) => b[1] - a[1]).slice(0, 12);
  const max = rows.length ? rows[0][1] : 1;
  const body = $('kinds');
  body.replaceChildren(...rows.map(([kind, n]) => {
    const tr = document.createElement('tr');
    const bar = document.createElement('span');
    bar.style.width = (100 * n / max).toFixed(1) + '%';
    const cells = [kind, num(n)].map((t) => { const td = document.createElement('td'); td.textContent = t; return td; });
    const barCell = document.createElement('td');
    barCell.className = 'bar';
    barCell.append(bar);
    tr.append(...cells, barCell);
    return tr;
  }));
}

async function refreshStats() {
  try {
    const r = await fetch('/api/stats', { cache: 'no-store' });
    if (!r.ok) throw new Error('HTTP ' + r.status);
    const s = await r.json();
    const now = performance.now();
    setText('stat-events', num(s.store.events));
    setText('stat-db-size', bytes(s.store.disk_bytes));
    setText('stat-connections', num(s.relay.connections));
    setText('stat-subscriptions', num(s.relay.subscriptions));
    setText('stat-rss', bytes(s.memory.rss_bytes));
    setText('stat-budget', bytes(s.memory.budget_bytes));
    if (s.blobs) { // Blossom media, when served
      document.querySelectorAll('[data-blobs]').forEach((el) => { el.hidden = false; });
      setText('stat-blobs', num(s.blobs.count));
      setText('stat-blob-bytes', bytes(s.blobs.bytes));
      setText('stat-blob-reports', num(s.blobs.reports));
    }
    if (previous) {
      const dt = (now - previous.at) / 1000;
      setText('stat-rate-in', num((s.relay.events_in - previous.in) / dt));
      setText('stat-rate-out', num((s.relay.events_out - previous.out) / dt));
    }
    previous = { at: now, in: s.relay.events_in, out: s.relay.events_out };
    const share = s.memory.budget_bytes > 0 ? s.memory.rss_bytes / s.memory.budget_bytes : 0;
    $('rss-bar').style.width = Math.min(100, 100 * share).toFixed(1) + '%';
    $('rss-bar').classList.toggle('high', share > 0.9);
    renderKinds(s.store.events_by_kind);
    setText('stats-status', 'updated ' + new Date().toLocaleTimeString());
  } catch (e) {
    setText('stats-status', 'stats unavailable: ' + e.message);
  }
}

// ---- import ---------------------------------------------------------------------------------

let chosen = null;

function choose(file) {
  chosen = file;
  setText('dropzone-text', file ? file.name + ' (' + bytes(file.size) + ')' : 'Drop a file here or choose one');
  $('import-start').disabled = !file;
}

function showImportError(message) {
  const p = $('import-error');
  p.textContent = message;
  p.hidden = !message;
}

function setImportState(state, text) {
  const el = $('import-state');
  el.dataset.state = state;
  el.textContent = text || state;
}

function renderReport(status) {
  const rep = status.report;
  setText('report-lines', num(rep.lines_read));
  setText('report-stored', num(rep.events_stored));
  setText('report-duplicates', num(rep.duplicates + rep.superseded));
  setText('report-rejected', num(rep.rejected));
  setText('report-time', seconds(rep.elapsed_seconds) + ' · ' + num(rep.events_per_second) + ' events/s');
  const firstLines = Object.fromEntries((status.rejected_lines || []).map((r) => [r.reason, r.first_lines]));
  const rows = Object.entries(rep.rejected_by_reason || {}).filter(([, n]) => n > 0).map(([reason, n]) => {
    const tr = document.createElement('tr');
    for (const t of [reason, num(n), (firstLines[reason] || []).join(', ')]) {
      const td = document.createElement('td');
      td.textContent = t;
      tr.append(td);
    }
    return tr;
  });
  const skipped = [['empty lines skipped', rep.empty_lines_skipped], ['deleted before (NIP-09)', rep.deleted_before],
    ['expired (NIP-40)', rep.expired], ['ephemeral, not stored', rep.ephemeral_skipped]];
  for (const [what, n] of skipped) {
    if (!n) continue;
    const tr = document.createElement('tr');
    tr.className = 'muted';
    for (const t of [what, num(n), '']) {
      const td = document.createElement('td');
      td.textContent = t;
      tr.append(td);
    }
    rows.push(tr);
  }
  $('report-reasons').replaceChildren(...rows);
  $('import-report').hidden = false;
}

function renderProgress(status, fileSize) {
  const p = status.progress || {};
  // Import progress: upload bytes the pipeline has read, against the file's size.
  const total = fileSize || p.input_bytes || 1;
  const read = Math.min(p.input_bytes || 0, total);
  $('import-progress').max = total;
  $('import-progress').value = status.state === 'done' ? total : read;
  setText('import-text', num(p.lines_read) + ' lines · ' + num(p.events_stored) + ' stored');
  setText('import-rate', p.events_per_second ? num(p.events_per_second) + ' events/s' : '');
}

/** Polls the import's status until it is done or failed, from when the upload has begun. */
async function followImport(id, fileSize, uploadStarted, uploadFinished) {
  await uploadStarted;
  for (;;) {
    const r = await fetch('/api/import/' + encodeURIComponent(id), { cache: 'no-store' });
    if (r.ok) {
      const status = await r.json();
      renderProgress(status, fileSize);
      if (status.state === 'done') {
        setImportState('done', 'done');
        renderReport(status);
        return;
      }
      if (status.state === 'failed') {
        setImportState('failed', 'failed');
        showImportError(status.error || 'import failed');
        if (status.report) renderReport(status);
        return;
      }
      setImportState(status.state, status.state === 'uploading' ? 'uploading and importing…' : 'importing…');
    } else if (r.status !== 404 || await uploadFinished.settled()) {
      // 404 before the relay has seen the upload's headers is expected; after the upload it is not.
      setImportState('failed', 'failed');
      showImportError('status: HTTP ' + r.status + ' ' + (await r.text()));
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, IMPORT_POLL_MS));
  }
}

/** A promise with a way to ask whether it has settled without waiting. */
function trackable(promise) {
  let done = false;
  promise.then(() => { done = true; }, () => { done = true; });
  promise.settled = async () => done;
  return promise;
}

function randomId() {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

async function startImport() {
  if (!chosen) return;
  const file = chosen;
  // The page names the import so it can follow progress while the upload is still running.
  const id = randomId();
  const path = '/api/import?id=' + id;
  $('import-state').dataset.importId = id;
  showImportError('');
  $('import-report').hidden = true;
  $('import-start').disabled = true;
  $('upload-progress').value = 0;
  $('import-progress').value = 0;
  setImportState('uploading', 'uploading…');
  let headers;
  try {
    headers = await adminHeaders('POST', path);
  } catch (e) {
    setImportState('failed', 'failed');
    showImportError('signing refused: ' + e);
    $('import-start').disabled = false;
    return;
  }
  let started;
  const uploadStarted = new Promise((resolve) => { started = resolve; });
  const form = new FormData();
  form.append('file', file, file.name);
  const upload = trackable(new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => {
      started();
      if (!e.lengthComputable) return;
      $('upload-progress').max = e.total;
      $('upload-progress').value = e.loaded;
      setText('upload-text', bytes(e.loaded) + ' of ' + bytes(e.total));
    };
    xhr.onload = () => {
      started();
      if (xhr.status === 202) {
        $('upload-progress').value = $('upload-progress').max;
        resolve(JSON.parse(xhr.responseText));
      } else {
        reject(new Error('HTTP ' + xhr.status + ': ' + xhr.responseText));
      }
    };
    xhr.onerror = () => {
      started();
      reject(new Error('upload failed (connection closed)'));
    };
    xhr.send(form);
  }));
  try {
    await Promise.all([followImport(id, file.size, uploadStarted, upload), upload]);
  } catch (e) {
    setImportState('failed', 'failed');
    showImportError(e.message);
  } finally {
    $('import-start').disabled = !chosen;
  }
}

function wireImport() {
  const zone = $('dropzone');
  $('import-file').addEventListener('change', (e) => choose(e.target.files[0] || null));
  zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    if (e.dataTransfer.files.length) choose(e.dataTransfer.files[0]);
  });
  $('import-start').addEventListener('click', startImport);
}

// ---- export ---------------------------------------------------------------------------------

function exportPath() {
  const q = new URLSearchParams();
  const since = $('export-since').value;
  const until = $('export-until').value;
  if (since) q.set('since', Math.floor(new Date(since).getTime() / 1000));
  if (until) q.set('until', Math.floor(new Date(until).getTime() / 1000));
  const filter = $('export-filter').value.trim();
  if (filter) {
    JSON.parse(filter); // a typo is reported here rather than as a 400
    q.set('filter', filter);
  }
  const s = q.toString();
  return '/api/export' + (s ? '?' + s : '');
}

async function startExport(e) {
  e.preventDefault();
  const err = $('export-error');
  err.hidden = true;
  let path;
  try {
    path = exportPath();
  } catch (x) {
    err.textContent = 'filter is not JSON: ' + x.message;
    err.hidden = false;
    return;
  }
  if (!signer) {
    // A plain navigation lets the browser stream the download straight to disk.
    const a = document.createElement('a');
    a.href = path;
    a.download = 'tern-export.jsonl';
    a.click();
    return;
  }
  // Signed requests need a header, so the file is fetched and handed over as a blob.
  try {
    const r = await fetch(path, { headers: await adminHeaders('GET', path) });
    if (!r.ok) throw new Error('HTTP ' + r.status + ': ' + await r.text());
    const url = URL.createObjectURL(await r.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = 'tern-export.jsonl';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  } catch (x) {
    err.textContent = x.message;
    err.hidden = false;
  }
}

// ---- start ----------------------------------------------------------------------------------

$('signin').addEventListener('click', signIn);
$('export-form').addEventListener('submit', startExport);
wireImport();
loadInfo();
refreshStats();
setInterval(refreshStats, STATS_EVERY_MS);
