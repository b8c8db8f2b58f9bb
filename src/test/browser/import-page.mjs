// Drives the operator page in Debian's Chromium. At 1400 px: waits for live stats; starts an import through
// the API (a slow raw upload from this script, as curl would) and checks that the page shows it running with
// its progress, that "events/s in" counts it, and that it ends complete; checks that the charts draw; uploads
// a JSONL file through the import panel, follows it to complete, checks the report against the relay's own
// status JSON, and exports everything through the export button; uploads a file cut off mid-line and checks that
// the page shows it truncated, with the reason. At 1400 and at 420 px: no sideways scroll
// and every export field inside its card; a screenshot of each width. The relay mirrors MIRROR_PEER, a closed
// port: the page lists it with its link down and the last error. Run by BrowserImportTest with:
//   node import-page.mjs URL FILE EVENTS BAD_LINES API_FILE API_EVENTS SCREENSHOT_PREFIX MIRROR_PEER
// where FILE came from `tern gen --events EVENTS --bad BAD_LINES` and API_FILE from `tern gen --events
// API_EVENTS` with another seed (plain JSONL).
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';

const [url, file, events, badLines, apiFile, apiEvents, shots, mirrorPeer] = process.argv.slice(2);
if (!mirrorPeer) {
  console.error('usage: node import-page.mjs URL FILE EVENTS BAD_LINES API_FILE API_EVENTS SCREENSHOT_PREFIX MIRROR_PEER');
  process.exit(2);
}
const STEP_TIMEOUT_MS = 60_000;
const WIDTHS = [1400, 420];

function check(ok, message) {
  if (!ok) throw new Error('check failed: ' + message);
  console.log('ok - ' + message);
}

const figure = async (page, id) => Number((await page.textContent('#' + id)).replace(/[^0-9]/g, ''));

/**
 * POSTs a raw JSONL body in pieces with pauses, as a slow client would, so the import runs long enough for the
 * page to see it. Resolves with the 202 answer's id; `done` resolves when the whole body has been sent.
 */
function slowUpload(body, pieces, pauseMs) {
  let sent;
  const done = new Promise((resolve) => { sent = resolve; });
  const answer = new Promise((resolve, reject) => {
    const req = http.request(new URL('/api/import?name=api-upload.jsonl', url), {
      method: 'POST', headers: { 'Content-Type': 'application/x-ndjson', 'Content-Length': body.length },
    }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => (res.statusCode === 202 ? resolve(JSON.parse(text).id) : reject(new Error(res.statusCode + ' ' + text))));
    });
    req.on('error', reject);
    const size = Math.ceil(body.length / pieces);
    let i = 0;
    const next = () => {
      if (i >= pieces) { req.end(); sent(); return; }
      req.write(body.subarray(i * size, Math.min(body.length, (i + 1) * size)));
      i++;
      setTimeout(next, pauseMs);
    };
    next();
  });
  return { answer, done };
}

/** Uploads `file` with the import panel and waits for the import after `lastId` to end; resolves with its state. */
async function uploadThroughPage(page, file, lastId) {
  await page.setInputFiles('#import-file', file);
  await page.click('#import-start');
  await page.waitForFunction((previous) => {
    const s = document.getElementById('import-state');
    return s.dataset.importId !== previous && (s.classList.contains('ok') || s.dataset.state === 'failed');
  }, lastId);
  return page.getAttribute('#import-state', 'data-state');
}

/** No sideways scroll, and each export field's box inside the export card's. */
async function checkLayout(page, width) {
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  check(scroll <= client, `${width} px: no horizontal scroll (content ${scroll} px, viewport ${client} px)`);
  const outside = await page.evaluate(() => {
    const cardBox = document.getElementById('export-card').getBoundingClientRect();
    return [...document.querySelectorAll('#export-form input, #export-form textarea, #export-form button')]
      .map((el) => [el.id || el.tagName, el.getBoundingClientRect()])
      .filter(([, r]) => r.left < cardBox.left || r.right > cardBox.right)
      .map(([id, r]) => `${id} ${Math.round(r.left)}..${Math.round(r.right)} (card ${Math.round(cardBox.left)}..${Math.round(cardBox.right)})`);
  });
  check(outside.length === 0, `${width} px: every export field inside the export card ${outside.join('; ')}`);
}

const profile = mkdtempSync(join(tmpdir(), 'tern-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  acceptDownloads: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
    '--no-first-run', '--disable-component-update', '--disable-sync'],
  viewport: { width: WIDTHS[0], height: 1000 },
});
context.setDefaultTimeout(STEP_TIMEOUT_MS);
const errors = [];
const page = context.pages()[0] || await context.newPage();
try {
  page.on('pageerror', (e) => errors.push('page error: ' + e.message));
  page.on('console', (m) => {
    // A status poll may reach the relay just before the upload's headers do; the page retries a 404.
    const expected404 = m.location().url.includes('/api/import/') && m.text().includes('404');
    if (m.type() === 'error' && !expected404) errors.push('console: ' + m.text() + ' at ' + m.location().url);
  });

  await page.goto(url);
  await page.waitForFunction(() => document.getElementById('stats-status').textContent.startsWith('updated'));
  check((await page.textContent('#relay-url')).startsWith('ws://'), 'the page shows the WebSocket URL');
  check(await figure(page, 'stat-budget') > 0, 'the page shows the memory budget');
  check(await figure(page, 'stat-rss') > 0, 'the page shows the resident memory');
  check((await page.textContent('#rss-share')).includes('budget'), 'the memory bar is labelled: ' + await page.textContent('#rss-share'));
  await page.waitForFunction(() => document.getElementById('access-note').textContent.includes('without sign-in'));
  check(true, 'loopback without owners: the page says admin calls need no sign-in');
  await checkLayout(page, WIDTHS[0]);

  // The relay mirrors MIRROR_PEER, a closed port: the page lists the peer, its link down and the error.
  await page.waitForFunction(() => document.getElementById('mirror-rows').textContent.includes('last error'));
  const mirrorRow = await page.textContent('#mirror-rows');
  check(await page.isVisible('#mirror-peers') && mirrorRow.includes(mirrorPeer) && mirrorRow.includes('down'),
    'the page lists the mirrored peer with its link down and its last error: ' + mirrorRow);

  // An import started through the API, not by this page: the page finds it and shows its progress.
  const apiBody = readFileSync(apiFile);
  const sawRateIn = page.waitForFunction(() => Number(document.getElementById('stat-rate-in').textContent.replace(/[^0-9]/g, '')) > 0,
    null, { polling: 100 });
  const upload = slowUpload(apiBody, 12, 500);
  const apiId = await upload.answer;
  await page.waitForFunction((id) => {
    const s = document.getElementById('import-state');
    return s.dataset.importId === id && ['uploading', 'running'].includes(s.dataset.state)
      && Number(document.getElementById('import-progress').value) > 0;
  }, apiId, { polling: 100 });
  check((await page.textContent('#import-source')).includes('started elsewhere'),
    'the page shows the API import as started elsewhere: ' + await page.textContent('#import-source'));
  const [value, max] = await page.evaluate(() => [document.getElementById('import-progress').value, document.getElementById('import-progress').max]);
  check(value > 0 && value < max, `the page shows the API import's progress while it runs (${value} of ${max} bytes)`);
  await upload.done;
  await page.waitForFunction((id) => {
    const s = document.getElementById('import-state');
    return s.dataset.importId === id && s.classList.contains('ok');
  }, apiId);
  check(await figure(page, 'report-lines') === Number(apiEvents), 'the page shows the API import complete with its report');
  await sawRateIn;
  check(true, '"events/s in" counts the imported events');

  // The charts: every one has drawn its samples, and "in" has drawn the import above its baseline.
  await page.waitForFunction(() => [...document.querySelectorAll('.chart svg')].every((s) => Number(s.dataset.points) >= 3));
  const drawn = await page.evaluate(() => [...document.querySelectorAll('.chart')].map((c) => ({
    id: c.id, points: (c.querySelector('path.line').getAttribute('d').match(/[ML]/g) || []).length,
    top: Math.min(...(c.querySelector('path.line').getAttribute('d').match(/[ML][\d.-]+ [\d.-]+/g) || []).map((p) => Number(p.split(' ')[1]))),
    limit: c.querySelector('line.limit').getAttribute('visibility') !== 'hidden',
  })));
  check(drawn.length === 4 && drawn.every((c) => c.points >= 3), 'four charts draw their samples: ' + JSON.stringify(drawn));
  check(drawn.find((c) => c.id === 'chart-in').top < 79, 'the "events/s in" chart rises with the import');
  check(drawn.find((c) => c.id === 'chart-rss').limit, 'the memory chart draws the budget line');

  // An import uploaded through the page itself.
  const state = await uploadThroughPage(page, file, apiId);
  check(state !== 'failed', 'the import finished (state ' + state + ', error: ' + await page.textContent('#import-error') + ')');
  check(await page.getAttribute('#upload-progress', 'value') === await page.getAttribute('#upload-progress', 'max'),
    'the upload bar is full');
  check(await page.getAttribute('#import-progress', 'value') === await page.getAttribute('#import-progress', 'max'),
    'the import bar is full');

  const id = await page.getAttribute('#import-state', 'data-import-id');
  const status = await (await fetch(new URL('/api/import/' + id, url))).json();
  const report = status.report;
  const lines = await figure(page, 'report-lines');
  const stored = await figure(page, 'report-stored');
  const rejected = await figure(page, 'report-rejected');
  check(lines === Number(events) + Number(badLines), `the page shows every line read (${lines})`);
  check(stored === report.events_stored && stored > 0, `the page shows the relay's stored count (${stored})`);
  check(rejected === report.rejected && rejected > 0, `the page shows the relay's rejected count (${rejected})`);
  check(report.rejected + report.empty_lines_skipped === Number(badLines),
    `every bad line is rejected or skipped as empty (${report.rejected} + ${report.empty_lines_skipped})`);
  const reasons = await page.locator('#report-reasons tr').allTextContents();
  check(reasons.some((r) => r.startsWith('bad signature')), 'the report lists rejection reasons: ' + reasons.join(' | '));

  // The live figures catch up with the finished imports on a later poll.
  const inStore = (await (await fetch(new URL('/api/stats', url))).json()).store.events;
  await page.waitForFunction((n) => Number(document.getElementById('stat-events').textContent.replace(/[^0-9]/g, '')) === n, inStore);
  check(inStore > 0, `the page shows the events in the store (${inStore})`);
  const kinds = await page.locator('#kinds tr').allTextContents();
  check(kinds.some((k) => k.startsWith('1 note')) && kinds.some((k) => k.startsWith('0 metadata')),
    'the page names the common kinds: ' + kinds.join(' | '));

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-start')]);
  const exported = readFileSync(await download.path(), 'utf8').split('\n').filter((l) => l.length > 0);
  check(exported.length === inStore, `the export button downloads every stored event (${exported.length} of ${inStore})`);

  // A file cut off mid-line: the page says it ended truncated, and why, as the status does (issue 16, item 10).
  const cut = join(profile, 'cut.jsonl');
  const apiLines = readFileSync(apiFile, 'utf8').split('\n');
  writeFileSync(cut, apiLines.slice(0, 3).join('\n') + '\n' + apiLines[3].slice(0, 40));
  const cutState = await uploadThroughPage(page, cut, id);
  const cutError = await page.textContent('#import-error');
  check(cutState === 'truncated' && cutError.includes('truncated') && !(await page.isHidden('#import-error')),
    `a truncated upload shows its state and why (state ${cutState}: ${cutError})`);

  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 1000 });
    await checkLayout(page, width);
    const shot = `${shots}-${width}.png`;
    await page.screenshot({ path: shot, fullPage: true });
    console.log('screenshot: ' + shot);
  }
  check(errors.length === 0, 'no errors in the page: ' + errors.join('; '));
} catch (e) {
  // What the page showed when a check failed or a wait timed out, for the test's output.
  const shown = await page.evaluate(() => ['import-state', 'import-source', 'import-text', 'import-error', 'stat-rate-in',
    'sync-state', 'stats-status'].map((id) => id + ': ' + document.getElementById(id).textContent).join('\n')).catch(() => '');
  console.log('the page showed:\n' + shown);
  await page.screenshot({ path: `${shots}-failed.png`, fullPage: true }).catch(() => {});
  throw e;
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
