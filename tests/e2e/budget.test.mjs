// budget.test.mjs - light pages (issue 15): the bytes a visitor's browser
// transfers, as the network log counts them (compressed bodies plus
// headers, CDP Network.loadingFinished encodedDataLength; 0 for what comes
// from the cache). A first visit of the start page stays under 300 KB, the
// report form ready (libsodium loaded) under 700 KB, and every later
// navigation under 30 KB: assets come from the cache (immutable, hashed
// names) and pages are revalidated with 304. Prints the figures.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDesk, launch, watchedPage, ready } from './lib/browser.mjs';

const KB = 1024;
const BUDGET = { start: 300 * KB, report: 700 * KB, later: 30 * KB };
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Watches a page's network through CDP: take() returns what was transferred
 * since the last take(): {bytes, requests: [{url, status, bytes, cacheControl,
 * encoding, cached}]}, with status the one on the wire (304 for a
 * revalidation).
 */
async function networkLog(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  let seen = new Map();
  const entry = (id) => {
    if (!seen.has(id)) seen.set(id, { url: null, status: null, bytes: 0, cacheControl: null, encoding: null, cached: false });
    return seen.get(id);
  };
  cdp.on('Network.requestWillBeSent', (e) => { entry(e.requestId).url = e.request.url; });
  cdp.on('Network.requestServedFromCache', (e) => { entry(e.requestId).cached = true; });
  cdp.on('Network.responseReceived', (e) => {
    const r = entry(e.requestId);
    r.status ??= e.response.status;
    if (e.response.fromDiskCache || e.response.fromPrefetchCache) r.cached = true;
    const h = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
    r.cacheControl ??= h['cache-control'] ?? null;
    r.encoding ??= h['content-encoding'] ?? null;
  });
  // The status and headers as they came over the wire (a 304, not the cached 200).
  cdp.on('Network.responseReceivedExtraInfo', (e) => {
    const r = entry(e.requestId);
    r.status = e.statusCode;
    const h = Object.fromEntries(Object.entries(e.headers).map(([k, v]) => [k.toLowerCase(), v]));
    if (h['cache-control']) r.cacheControl = h['cache-control'];
    if (h['content-encoding']) r.encoding = h['content-encoding'];
  });
  cdp.on('Network.loadingFinished', (e) => { entry(e.requestId).bytes = e.encodedDataLength; });
  return {
    take() {
      const requests = [...seen.values()].filter((r) => r.url && !r.url.startsWith('data:'));
      seen = new Map();
      return { bytes: requests.reduce((n, r) => n + r.bytes, 0), requests };
    },
  };
}

/** Loads path and waits until the page is ready, its fonts are in and the network is quiet. */
async function visit(page, path) {
  await page.goto(path);
  await ready(page);
  assert.equal(await page.locator('main').getAttribute('data-ready'), 'true', path);
  await page.evaluate(() => document.fonts.ready);
  await page.waitForLoadState('networkidle');
}

const kb = (n) => `${(n / KB).toFixed(1)} KB`;
const pathOf = (url) => new URL(url).pathname;
function report(label, taken) {
  console.log(`# ${label}: ${kb(taken.bytes)} in ${taken.requests.length} requests`);
  for (const r of taken.requests)
    console.log(`#   ${String(r.status).padStart(3)} ${kb(r.bytes).padStart(9)} ${r.encoding ?? '-'} ${r.cached ? 'cache ' : ''}${pathOf(r.url)}`);
}

describe('transfer budgets', () => {
  let desk;
  let browser;
  before(async () => {
    desk = await startDesk();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await desk?.server.stop();
  });

  test('first visit, the report form, later navigation', async () => {
    const { context, page, problems } = await watchedPage(browser, desk.server.url);
    const net = await networkLog(context, page);

    // A cold start page: no crypto library, compressed, latin fonts only.
    await visit(page, '/');
    const start = net.take();
    report('cold /', start);
    assert.ok(start.bytes <= BUDGET.start, `start page ${kb(start.bytes)} > ${kb(BUDGET.start)}`);
    assert.ok(start.requests.some((r) => /\/fonts\/fira-sans-latin-400/.test(r.url)), 'a latin font came');
    assert.ok(!start.requests.some((r) => /latin-ext/.test(r.url)), 'no latin-ext font for Dutch text');
    assert.ok(!start.requests.some((r) => /meldcrypto|sodium/.test(r.url)), 'no crypto module on the start page');
    const assets = start.requests.filter((r) => pathOf(r.url).startsWith('/assets/'));
    assert.ok(assets.length >= 3, 'scripts, style sheet and fonts');
    for (const r of assets) assert.equal(r.cacheControl, IMMUTABLE, pathOf(r.url));
    const doc = start.requests.find((r) => pathOf(r.url) === '/');
    assert.equal(doc.status, 200);
    assert.equal(doc.cacheControl, 'no-cache');
    for (const r of start.requests.filter((x) => /\.(js|css|html)$|\/$/.test(pathOf(x.url))))
      assert.ok(['br', 'gzip'].includes(r.encoding), `${pathOf(r.url)} compressed`);

    // On to the report form: the crypto library comes now, once.
    await visit(page, '/report.html');
    const form = net.take();
    report('/ → /report.html', form);
    assert.ok(start.bytes + form.bytes <= BUDGET.report,
      `start page and report form ${kb(start.bytes + form.bytes)} > ${kb(BUDGET.report)}`);
    const sodium = form.requests.filter((r) => r.bytes > 100 * KB);
    assert.equal(sodium.length, 1, 'one large file: the crypto library');
    assert.ok(form.requests.every((r) => !/\/fonts\//.test(r.url) || r.bytes === 0), 'fonts from the cache');

    // Later navigation: the page revalidated (304), its assets from the cache.
    await visit(page, '/');
    const back = net.take();
    report('later /', back);
    assert.ok(back.bytes <= BUDGET.later, `back to / ${kb(back.bytes)} > ${kb(BUDGET.later)}`);
    assert.equal(back.requests.find((r) => pathOf(r.url) === '/').status, 304, 'the start page revalidated');
    for (const r of back.requests.filter((x) => pathOf(x.url).startsWith('/assets/')))
      assert.ok(r.cached && r.bytes === 0, `${pathOf(r.url)} from the cache`);

    await visit(page, '/followup.html');
    const followup = net.take();
    report('later /followup.html', followup);
    assert.ok(followup.bytes <= BUDGET.later, `follow-up page ${kb(followup.bytes)} > ${kb(BUDGET.later)}`);

    await visit(page, '/report.html');
    const again = net.take();
    report('later /report.html', again);
    assert.ok(again.bytes <= BUDGET.later, `report form again ${kb(again.bytes)} > ${kb(BUDGET.later)}`);
    assert.equal(again.requests.find((r) => pathOf(r.url) === '/report.html').status, 304);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('a cold visit straight to the report form', async () => {
    const { context, page, problems } = await watchedPage(browser, desk.server.url);
    const net = await networkLog(context, page);
    await visit(page, '/report.html');
    const cold = net.take();
    report('cold /report.html', cold);
    assert.ok(cold.bytes <= BUDGET.report, `report form ${kb(cold.bytes)} > ${kb(BUDGET.report)}`);
    assert.deepEqual(problems, []);
    await context.close();
  });
});
