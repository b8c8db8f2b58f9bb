// Drives the operator page in Debian's Chromium: waits for live stats, uploads a JSONL file through
// the import panel, follows the progress to "done", checks the report shown against the relay's
// own status JSON and the expected counts, exports everything through the export button, and takes
// a screenshot. Run by BrowserImportTest with:
//   node import-page.mjs URL FILE SCREENSHOT EVENTS BAD_LINES
// where FILE came from `tern gen --events EVENTS --bad BAD_LINES`.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url, file, screenshot, events, badLines] = process.argv.slice(2);
if (!badLines) {
  console.error('usage: node import-page.mjs URL FILE SCREENSHOT EVENTS BAD_LINES');
  process.exit(2);
}
const STEP_TIMEOUT_MS = 60_000;

function check(ok, message) {
  if (!ok) throw new Error('check failed: ' + message);
  console.log('ok - ' + message);
}

const figure = async (page, id) => Number((await page.textContent('#' + id)).replace(/[^0-9]/g, ''));

const profile = mkdtempSync(join(tmpdir(), 'tern-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  acceptDownloads: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
    '--no-first-run', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 1000 },
});
context.setDefaultTimeout(STEP_TIMEOUT_MS);
const errors = [];
try {
  const page = context.pages()[0] || await context.newPage();
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

  await page.setInputFiles('#import-file', file);
  await page.click('#import-start');
  await page.waitForFunction(() => ['done', 'failed'].includes(document.getElementById('import-state').dataset.state));
  const state = await page.getAttribute('#import-state', 'data-state');
  check(state === 'done', 'the import finished (state ' + state + ', error: ' + await page.textContent('#import-error') + ')');
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

  // The live figures catch up with the finished import on a later poll.
  const inStore = (await (await fetch(new URL('/api/stats', url))).json()).store.events;
  await page.waitForFunction((n) => Number(document.getElementById('stat-events').textContent.replace(/[^0-9]/g, '')) === n, inStore);
  check(inStore > 0, `the page shows the events in the store (${inStore})`);
  check(await page.locator('#kinds tr').count() > 0, 'the page lists events by kind');

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-start')]);
  const exported = readFileSync(await download.path(), 'utf8').split('\n').filter((l) => l.length > 0);
  check(exported.length === inStore, `the export button downloads every stored event (${exported.length} of ${inStore})`);

  await page.screenshot({ path: screenshot, fullPage: true });
  console.log('screenshot: ' + screenshot);
  check(errors.length === 0, 'no errors in the page: ' + errors.join('; '));
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
