// tern operator page: relay info, live figures and their charts from /api/stats, imports (this page's
// own and any other) from /api/import, export, and the sync from /api/sync. A section per card: each polls
// what it shows and draws into its own elements. Plain JS, no build step and no third-party code: it is
// served from the relay's jar.
'use strict';

const $ = (id) => document.getElementById(id);
const STATS_EVERY_MS = 2000;
const IMPORT_POLL_MS = 500;
const IMPORTS_EVERY_MS = 2000;
const SYNC_EVERY_MS = 5000;
/** Samples the charts keep: ten minutes of polls, the page's only history (bounded). */
const CHART_SAMPLES = 10 * 60 * 1000 / STATS_EVERY_MS;

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

/** The reason an admin API error gives ({"error": why}), or the body as it came. */
function reason(body) {
  try { return JSON.parse(body).error || body; } catch { return body; }
}

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
    scheduleSync(0); // admin calls are now signed: the sync status may be readable
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

// Names of common kinds, from the kinds table of the NIPs (README of the nips repository).
const KIND_NAMES = {
  0: 'metadata', 1: 'note', 3: 'follows', 4: 'DM (NIP-04)', 5: 'deletion', 6: 'repost', 7: 'reaction',
  8: 'badge award', 9: 'chat message', 13: 'seal', 14: 'DM (NIP-17)', 16: 'generic repost', 20: 'picture',
  40: 'channel creation', 41: 'channel metadata', 42: 'channel message', 62: 'request to vanish',
  1059: 'gift wrap', 1063: 'file metadata', 1111: 'comment', 1984: 'report', 1985: 'label',
  9734: 'zap request', 9735: 'zap', 9802: 'highlight', 10000: 'mute list', 10001: 'pin list',
  10002: 'relay list', 10003: 'bookmarks', 10050: 'DM relays', 10063: 'Blossom servers', 22242: 'auth',
  24133: 'Nostr Connect', 27235: 'HTTP auth', 30000: 'follow set', 30003: 'bookmark set', 30008: 'profile badges',
  30009: 'badge definition', 30023: 'article', 30024: 'draft article', 30078: 'app data', 31989: 'handler recommendation',
  31990: 'handler info',
};

function kindName(kind) {
  if (KIND_NAMES[kind]) return KIND_NAMES[kind];
  // NIP-01 ranges: what the relay does with a kind it has no name for
  if (kind >= 20000 && kind < 30000) return 'ephemeral';
  if ((kind >= 10000 && kind < 20000) || kind === 0 || kind === 3) return 'replaceable';
  if (kind >= 30000 && kind < 40000) return 'addressable';
  return '';
}

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function renderKinds(kinds) {
  const rows = Object.entries(kinds || {}).map(([k, n]) => [Number(k), Number(n)]).sort((a, b) => b[1] - a[1]).slice(0, 12);
  const max = rows.length ? rows[0][1] : 1;
  $('kinds').replaceChildren(...rows.map(([kind, n]) => {
    const tr = document.createElement('tr');
    const kindCell = cell(String(kind));
    const name = kindName(kind);
    if (name) {
      const span = document.createElement('span');
      span.className = 'muted';
      span.textContent = ' ' + name;
      kindCell.append(span);
    }
    const bar = document.createElement('span');
    bar.style.width = (100 * n / max).toFixed(1) + '%';
    const barCell = cell('', 'bar');
    barCell.append(bar);
    tr.append(kindCell, cell(num(n)), barCell);
    return tr;
  }));
}

/** Mirrored peers (TERN_MIRROR), one row each: the live link, what moved each way, the last reconciliation. */
function renderMirror(mirror) {
  const peers = (mirror && mirror.peers) || [];
  $('mirror-peers').hidden = peers.length === 0;
  const now = Date.now();
  const headers = document.querySelectorAll('table.mirror th');
  $('mirror-rows').replaceChildren(...peers.map((p) => {
    const tr = document.createElement('tr');
    const peer = cell(p.url);
    peer.append(note(p.direction));
    const link = cell(p.connected ? 'connected' : 'down');
    if (p.last_error) link.append(note(`last error ${ago(now - p.last_error_at * 1000)}: ${p.last_error}`));
    const moved = cell(`${num(p.events_in)} / ${num(p.events_out)}`);
    if (p.refused_in || p.refused_out) moved.append(note(`refused ${num(p.refused_in)} / ${num(p.refused_out)}`));
    const r = p.last_reconciliation;
    const last = cell(!r ? 'not yet' : r.ok
      ? `${ago(now - r.at * 1000)}: ${num(r.only_here)} only here, ${num(r.only_there)} only there`
      : `${ago(now - r.at * 1000)}: failed: ${r.failure}`);
    // each cell names its column, for the phone layout's labelled lines
    [peer, link, moved, last].forEach((td, i) => { td.dataset.label = headers[i].textContent; });
    tr.append(peer, link, moved, last);
    return tr;
  }));
}

/** A muted line under a cell's figure. */
function note(text) {
  const span = document.createElement('span');
  span.className = 'muted small note';
  span.textContent = text;
  return span;
}

/**
 * A small line chart drawn into an inline SVG: the last CHART_SAMPLES polls of one figure, the y scale from 0
 * to the larger of the highest value and an optional limit (drawn dashed). The SVG stretches to the card's
 * width; its strokes keep their width.
 */
class Chart {
  static NS = 'http://www.w3.org/2000/svg';
  static W = 300;
  static H = 80;

  constructor(figure, format) {
    this.format = format;
    this.now = document.createElement('span');
    this.now.className = 'now';
    figure.querySelector('figcaption').append(this.now);
    this.svg = document.createElementNS(Chart.NS, 'svg');
    this.svg.setAttribute('viewBox', `0 0 ${Chart.W} ${Chart.H}`);
    this.svg.setAttribute('preserveAspectRatio', 'none');
    this.svg.setAttribute('role', 'img');
    const grid = this.shape('line', 'grid');
    for (const [k, v] of Object.entries({ x1: 0, x2: Chart.W, y1: Chart.H / 2, y2: Chart.H / 2 })) grid.setAttribute(k, v);
    this.area = this.shape('path', 'area');
    this.line = this.shape('path', 'line');
    this.limit = this.shape('line', 'limit');
    const scale = document.createElement('div');
    scale.className = 'scale';
    this.since = document.createElement('span');
    this.top = document.createElement('span');
    scale.append(this.since, this.top);
    figure.append(this.svg, scale);
  }

  shape(tag, className) {
    const el = document.createElementNS(Chart.NS, tag);
    el.setAttribute('class', className);
    el.setAttribute('vector-effect', 'non-scaling-stroke');
    this.svg.append(el);
    return el;
  }

  /**
   * points: [{t: ms, v: value}] oldest first. The x axis runs from the oldest point (its age at the bottom
   * left) to now at the right edge, so a page opened
   * a minute ago fills its charts with that minute; limit (optional) is drawn dashed and named by limitName.
   */
  draw(points, now, limit, limitName) {
    const last = points.length ? points[points.length - 1].v : undefined;
    this.now.textContent = last === undefined ? '–' : this.format(last);
    const peak = Math.max(0, ...points.map((p) => p.v));
    const max = Math.max(1, limit || 0, peak) * 1.1; // headroom: the line never runs along the top edge
    const span = Math.max(STATS_EVERY_MS, points.length ? now - points[0].t : 0);
    const x = (t) => (Chart.W * (1 - (now - t) / span)).toFixed(1);
    const y = (v) => (Chart.H * (1 - v / max)).toFixed(1);
    const d = points.map((p, i) => (i ? 'L' : 'M') + x(p.t) + ' ' + y(p.v)).join(' ');
    this.line.setAttribute('d', d);
    this.area.setAttribute('d', points.length ? `${d} L${x(points[points.length - 1].t)} ${Chart.H} L${x(points[0].t)} ${Chart.H} Z` : '');
    this.svg.dataset.points = String(points.length);
    this.svg.setAttribute('aria-label', `${points.length} samples, last ${this.now.textContent}`);
    if (limit) {
      for (const [k, v] of Object.entries({ x1: 0, x2: Chart.W, y1: y(limit), y2: y(limit) })) this.limit.setAttribute(k, v);
      this.limit.removeAttribute('visibility');
    } else {
      this.limit.setAttribute('visibility', 'hidden');
    }
    this.top.textContent = limit ? limitName + ' ' + this.format(limit) : 'peak ' + this.format(peak);
    this.top.className = limit ? 'limit' : '';
    this.since.textContent = ago(span);
  }
}

function ago(ms) {
  return (ms < 90_000 ? Math.round(ms / 1000) + ' s' : Math.round(ms / 60_000) + ' min') + ' ago';
}

const history = []; // {t, in, out, connections, rss, budget}: at most CHART_SAMPLES
let previous = null; // last stats sample, to turn counters into rates
let charts = null;

function makeCharts() {
  setText('chart-window', String(Math.round(CHART_SAMPLES * STATS_EVERY_MS / 60000)));
  return {
    in: new Chart($('chart-in'), num), out: new Chart($('chart-out'), num),
    connections: new Chart($('chart-connections'), num), rss: new Chart($('chart-rss'), bytes),
  };
}

function drawCharts() {
  const now = performance.now();
  const series = (key) => history.filter((h) => h[key] !== undefined).map((h) => ({ t: h.t, v: h[key] }));
  charts.in.draw(series('in'), now);
  charts.out.draw(series('out'), now);
  charts.connections.draw(series('connections'), now);
  charts.rss.draw(series('rss'), now, history.length ? history[history.length - 1].budget : 0, 'budget');
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
    if (s.cluster) { // cluster mode: this node's place in the shared log (docs/CLUSTER.md)
      document.querySelectorAll('[data-cluster]').forEach((el) => { el.hidden = false; });
      setText('stat-cluster-node', `${s.cluster.node}: ${s.cluster.connected ? s.cluster.state : 'NATS unreachable'}`);
      setText('stat-cluster-applied', num(s.cluster.applied));
      setText('stat-cluster-lag', num(s.cluster.lag));
    }
    if (s.blobs) { // Blossom media, when served
      document.querySelectorAll('[data-blobs]').forEach((el) => { el.hidden = false; });
      setText('stat-blobs', num(s.blobs.count));
      setText('stat-blob-bytes', bytes(s.blobs.bytes));
      setText('stat-blob-reports', num(s.blobs.reports));
    }
    // In: EVENT messages from clients plus events that imports and syncs handed to the store.
    const arrived = s.relay.events_in + s.relay.events_imported;
    const sample = { t: now, connections: s.relay.connections, rss: s.memory.rss_bytes, budget: s.memory.budget_bytes };
    if (previous) {
      const dt = (now - previous.at) / 1000;
      sample.in = Math.max(0, (arrived - previous.in) / dt);
      sample.out = Math.max(0, (s.relay.events_out - previous.out) / dt);
      setText('stat-rate-in', num(sample.in));
      setText('stat-rate-out', num(sample.out));
    }
    previous = { at: now, in: arrived, out: s.relay.events_out };
    history.push(sample);
    if (history.length > CHART_SAMPLES) history.shift();
    drawCharts();
    const share = s.memory.budget_bytes > 0 ? s.memory.rss_bytes / s.memory.budget_bytes : 0;
    $('rss-bar').style.width = Math.min(100, 100 * share).toFixed(1) + '%';
    $('rss-bar').classList.toggle('high', share > 0.9);
    $('rss-meter').setAttribute('aria-valuenow', (100 * share).toFixed(0));
    setText('rss-share', bytes(s.memory.rss_bytes) + ' of the ' + bytes(s.memory.budget_bytes) + ' budget (' + (100 * share).toFixed(0) + '%)');
    renderKinds(s.store.events_by_kind);
    renderMirror(s.mirror);
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
  el.classList.toggle('ok', state !== 'idle' && endedWell(state));
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

const LIVE = new Set(['uploading', 'running']);
/** An import that has ended, and not failed, ended well (whatever word the status uses for it). */
const endedWell = (state) => !LIVE.has(state) && state !== 'failed';
/** The import the card shows (this page's upload or one started elsewhere), and whether its end is shown. */
const card = { id: null, ended: false, own: null };

function renderProgress(status, fileSize) {
  const p = status.progress || {};
  // Import progress: input bytes the pipeline has read, against the file's size when it is known.
  const total = fileSize || p.total_bytes;
  const bar = $('import-progress');
  if (endedWell(status.state)) {
    bar.max = 1;
    bar.value = 1;
  } else if (total) {
    bar.max = total;
    bar.value = Math.min(p.input_bytes || 0, total);
  } else {
    bar.removeAttribute('value'); // indeterminate: a multipart upload from elsewhere has no size
  }
  if (status.id !== card.own) { // another client's upload: the relay's count of what it received
    const up = $('upload-progress');
    if (status.upload_complete) { up.max = 1; up.value = 1; } else up.removeAttribute('value');
    setText('upload-text', bytes(status.upload_bytes) + ' received');
  }
  setText('import-text', num(p.lines_read) + ' lines · ' + num(p.events_stored) + ' stored');
  setText('import-rate', LIVE.has(status.state) && p.events_per_second ? num(p.events_per_second) + ' events/s' : '');
}

/**
 * Shows an import's status in the card: live progress while it runs, then its end and report. A finished
 * import the card was not following is only named, so an idle card says what ran last.
 */
function showImport(status, fileSize) {
  const elsewhere = status.id !== card.own ? ' · started elsewhere' : '';
  if (LIVE.has(status.state)) {
    if (card.id !== status.id) {
      card.id = status.id;
      card.ended = false;
      $('import-report').hidden = true;
      showImportError('');
    }
    $('import-state').dataset.importId = status.id;
    renderProgress(status, fileSize);
    setImportState(status.state, status.state === 'uploading' ? 'uploading and importing…' : 'importing…');
    setText('import-source', status.source + elsewhere);
    return;
  }
  if (card.id === status.id) {
    if (card.ended) return;
    card.ended = true;
    renderProgress(status, fileSize);
    setImportState(status.state);
    // a failed import's cause, or why a truncated one holds only part of its input
    if (status.error || status.state === 'failed') showImportError(status.error || 'import failed');
    if (status.report) renderReport(status);
    return;
  }
  if (card.id === null) {
    setImportState('idle');
    setText('import-source', '(last: ' + status.source + ', ' + status.state
      + (status.report ? ', ' + num(status.report.events_stored) + ' stored' : '') + ')');
  }
}

/** Polls this page's own import by id, from when its upload has begun until it has ended. */
async function followImport(id, fileSize, uploadStarted, uploadFinished) {
  await uploadStarted;
  for (;;) {
    const r = await fetch('/api/import/' + encodeURIComponent(id), { cache: 'no-store' });
    if (r.ok) {
      const status = await r.json();
      showImport(status, fileSize);
      if (!LIVE.has(status.state)) return;
    } else if (r.status !== 404 || await uploadFinished.settled()) {
      // 404 before the relay has seen the upload's headers is expected; after the upload it is not.
      setImportState('failed');
      showImportError('status: HTTP ' + r.status + ' ' + reason(await r.text()));
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, IMPORT_POLL_MS));
  }
}

/** Follows imports started elsewhere (curl, another browser): the newest one the relay remembers. */
async function watchImports() {
  let next = IMPORTS_EVERY_MS;
  try {
    if (!card.own) {
      const r = await fetch('/api/import', { cache: 'no-store' });
      if (r.ok) {
        const newest = ((await r.json()).imports || [])[0];
        if (newest) showImport(newest);
        if (newest && LIVE.has(newest.state)) next = IMPORT_POLL_MS;
      }
    }
  } catch (e) {
    // the relay restarting: the next poll tries again
  }
  setTimeout(watchImports, next);
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
  Object.assign(card, { id, ended: false, own: id });
  setText('import-source', file.name);
  setText('upload-text', '');
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
    setImportState('failed');
    showImportError('signing refused: ' + e);
    $('import-start').disabled = false;
    Object.assign(card, { ended: true, own: null });
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
        reject(new Error('HTTP ' + xhr.status + ': ' + reason(xhr.responseText)));
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
    setImportState('failed');
    showImportError(e.message);
    card.ended = true;
  } finally {
    $('import-start').disabled = !chosen;
    card.own = null;
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

// ---- sync -----------------------------------------------------------------------------------

/**
 * GET /api/sync is an admin call: the page asks it unsigned (loopback without owners) or signed once signed
 * in. Its answer also tells whether admin calls need a sign-in here, which the header's note then says.
 */
async function watchSync() {
  let denied = false;
  try {
    const r = await fetch('/api/sync', { cache: 'no-store', headers: await adminHeaders('GET', '/api/sync') });
    if (r.status === 401 || r.status === 403) {
      denied = true;
      setSyncState('none', 'sync status is an admin call: sign in as an owner or admin to see it');
      setText('access-note', signer
        ? 'Signed in, but this key is not an owner or admin: ' + reason(await r.text())
        : 'Import, export and sync are admin calls and need a sign-in here: owners or admins are configured, '
          + 'or this browser is not on the relay\'s machine. From loopback with no owner or admin configured, none is needed.');
    } else if (r.ok) {
      if (!signer) {
        setText('access-note', 'Import, export and sync work from here without sign-in: this is loopback and no owner '
          + 'or admin is configured (TERN_OWNERS, TERN_ADMINS).');
      }
      renderSync(await r.json());
    }
  } catch (e) {
    // the relay restarting, or signing refused: the next poll tries again
  }
  // Denied and not signed in: asking again cannot help; signing in starts the polls again.
  if (!denied || signer) scheduleSync(SYNC_EVERY_MS);
}

let syncTimer = null;

/** One pending sync poll at most, however the polls were started. */
function scheduleSync(ms) {
  clearTimeout(syncTimer);
  syncTimer = setTimeout(watchSync, ms);
}

function setSyncState(state, text) {
  const el = $('sync-state');
  el.dataset.state = state;
  el.textContent = text;
}

function renderSync(s) {
  const words = { none: 'no sync since the relay started', running: 'running', complete: 'last sync complete', failed: 'last sync failed' };
  setSyncState(s.state, words[s.state] || s.state);
  setText('sync-progress', s.progress || '');
  $('sync-report').hidden = !s.report;
  $('sync-report').textContent = s.report || '';
}

// ---- start ----------------------------------------------------------------------------------

$('signin').addEventListener('click', signIn);
$('export-form').addEventListener('submit', startExport);
wireImport();
loadInfo();
charts = makeCharts();
refreshStats();
setInterval(refreshStats, STATS_EVERY_MS);
watchImports();
scheduleSync(0);
