// pages.test.mjs - every page: no axe-core violations in Dutch and English,
// no console errors (CSP and Trusted Types violations land there), nothing
// from another origin, the security headers of SPEC 7 on the page, the
// language switch, the stop when the desk's keys differ from the pins, and
// a usable layout at 320 px.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDesk, launch, watchedPage, ready, screenshot, axe, PAGES } from './lib/browser.mjs';

const CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; require-trusted-types-for 'script'; trusted-types meldpunt-worker";

const shotName = (path, suffix) => `${path === '/' ? 'index' : path.slice(1).replace('.html', '')}-${suffix}`;

describe('every page', () => {
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

  for (const path of PAGES) {
    test(`${path}: axe-core finds nothing in nl and en; no console errors; own origin only`, async () => {
      const { page, problems, context } = await watchedPage(browser, desk.server.url);
      const res = await page.goto(path);
      assert.equal(res.headers()['content-security-policy'], CSP);
      await ready(page);
      assert.equal(await page.locator('main').getAttribute('data-ready'), 'true');
      assert.equal(await page.locator('html').getAttribute('lang'), 'nl');
      assert.deepEqual(await axe(page), [], 'Dutch');
      await screenshot(page, shotName(path, 'nl'));
      const nlHeading = await page.locator('h1').first().textContent();
      await page.getByRole('button', { name: 'English' }).click();
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      assert.notEqual(await page.locator('h1').first().textContent(), nlHeading, 'the heading is translated');
      assert.equal(await page.locator('#mp-lang').evaluate((el) => el === document.activeElement), true, 'focus stays on the switch');
      assert.deepEqual(await axe(page), [], 'English');
      await screenshot(page, shotName(path, 'en'));
      await page.getByRole('button', { name: 'Nederlands' }).click();
      assert.equal(await page.locator('h1').first().textContent(), nlHeading);
      assert.deepEqual(problems, []);
      await context.close();
    });
  }

  test('every page stops when the desk keys differ from the pinned keys', async () => {
    for (const path of PAGES) {
      const { page, problems, context } = await watchedPage(browser, desk.server.url);
      const sent = [];
      page.on('request', (r) => { if (r.method() !== 'GET') sent.push(r.url()); });
      await page.route('**/api/v1/desk', async (route) => {
        const res = await route.fetch();
        const body = await res.json();
        body.keys.certification = 'A'.repeat(43);
        await route.fulfill({ response: res, json: body });
      });
      await page.goto(path);
      await ready(page);
      assert.equal(await page.locator('main').getAttribute('data-stopped'), 'pins', path);
      assert.equal(await page.locator('h1').textContent(), 'Deze pagina is gestopt');
      assert.equal(await page.locator('main form').count(), 0, 'no form to send anything');
      assert.deepEqual(sent, [], 'nothing sent');
      if (path === '/report.html') await screenshot(page, 'pins-mismatch');
      assert.deepEqual(problems, []);
      await context.close();
    }
  });

  test('at 320 px wide nothing scrolls sideways and the report form works', async () => {
    let formChecked = false;
    for (const path of PAGES) {
      const { page, problems, context } = await watchedPage(browser, desk.server.url, { viewport: { width: 320, height: 640 } });
      await page.goto(path);
      await ready(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${path} overflows by ${overflow}px`);
      await screenshot(page, shotName(path, '320'));
      if (path === '/report.html') {
        await page.getByLabel('Organisatie').selectOption('bzk');
        await page.getByLabel('Onderwerp').selectOption('racism');
        await page.getByRole('button', { name: 'Volgende stap' }).click();
        await page.getByLabel('Wat is er gebeurd?').waitFor();
        const o2 = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(o2 <= 0, `step 2 overflows by ${o2}px`);
        await screenshot(page, 'report-step2-320');
        formChecked = true;
      }
      assert.deepEqual(problems, []);
      await context.close();
    }
    assert.ok(formChecked, 'the report form was tried at 320 px');
  });
});
