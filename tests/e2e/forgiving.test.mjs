// forgiving.test.mjs - what keeps a first-time reporter safe and their work
// whole: the "before you start" advice on the start page and the form, the
// true claim about addresses, the statements linked from every footer, the
// language kept from page to page in the address (nothing stored), the
// leave guard on a form with content, "change" links on the check step,
// and saving the receipt: print, and a download only behind its warning.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDesk, launch, watchedPage, ready, screenshot, axe, PAGES } from './lib/browser.mjs';

const STATEMENTS = ['/accessibility.html', '/privacy.html'];

describe('a forgiving desk', () => {
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

  test('every footer links to the accessibility and privacy statements, which read well', async () => {
    const { page, problems, context } = await watchedPage(browser, desk.server.url);
    assert.ok(PAGES.length >= 9, 'the statements are among the pages every page test covers');
    for (const path of STATEMENTS) assert.ok(PAGES.includes(path), `${path} is in PAGES`);
    for (const path of PAGES) {
      await page.goto(path);
      await ready(page);
      const links = page.locator('footer a');
      assert.deepEqual(await links.evaluateAll((as) => as.map((a) => a.getAttribute('href'))), STATEMENTS, path);
    }
    await page.goto('/');
    await ready(page);
    await page.locator('footer').getByRole('link', { name: 'Privacy' }).click();
    await page.getByRole('heading', { level: 1, name: 'Privacyverklaring' }).waitFor();
    assert.equal(await page.locator('footer a[aria-current="page"]').getAttribute('href'), '/privacy.html');
    const text = await page.locator('main').textContent();
    assert.match(text, /IP-adres/);
    assert.match(text, /VPN/, 'the employer\'s network is named');
    assert.match(text, /365 dagen/);
    await screenshot(page, 'privacy-nl');
    await page.goto('/accessibility.html');
    await ready(page);
    assert.match(await page.locator('main').textContent(), /\(WCAG\) 2\.1 op niveau AA/);
    assert.deepEqual(await axe(page), []);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('the start page and the form give the advice; the address claim is true', async () => {
    const { page, problems, context } = await watchedPage(browser, desk.server.url);
    await page.goto('/');
    await ready(page);
    const advice = page.locator('#before li');
    assert.equal(await advice.count(), 5);
    const items = (await advice.allTextContents()).join(' ');
    for (const word of ['eigen telefoon', 'wifi', 'privévenster', 'Sluit het venster', 'klembord'])
      assert.ok(items.includes(word), word);
    const never = await page.locator('main').textContent();
    assert.doesNotMatch(never, /dat wordt nergens opgeslagen/, 'the old, too strong claim is gone');
    assert.match(never, /VPN van uw werkgever/);
    await page.goto('/report.html');
    await ready(page);
    const folded = page.locator('details#before');
    assert.equal(await folded.getAttribute('open'), null, 'folded on the form');
    await folded.locator('summary').click();
    assert.equal(await folded.locator('li').count(), 5);
    assert.deepEqual(await axe(page), []);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('the chosen language travels in the address from page to page, and only there', async () => {
    const { page, problems, context } = await watchedPage(browser, desk.server.url);
    await page.goto('/');
    await ready(page);
    assert.equal(new URL(page.url()).search, '');
    await page.getByRole('button', { name: 'English' }).click();
    assert.equal(new URL(page.url()).searchParams.get('lang'), 'en');
    await page.locator('main').getByRole('link', { name: 'Make a report' }).click();
    await page.waitForURL(/\/report\.html\?lang=en$/);
    await ready(page);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.equal(await page.locator('h1').first().textContent(), 'Make a report');
    await page.locator('nav').getByRole('link', { name: 'My report' }).click();
    await page.waitForURL(/\/followup\.html\?lang=en$/);
    await ready(page);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    await page.getByRole('button', { name: 'Nederlands' }).click();
    assert.equal(new URL(page.url()).search, '', 'Dutch needs nothing in the address');
    await page.locator('nav').getByRole('link', { name: 'Start' }).click();
    await page.waitForURL((u) => u.pathname === '/' && u.search === '');
    await ready(page);
    assert.equal(await page.locator('html').getAttribute('lang'), 'nl');
    const stored = await page.evaluate(() => [localStorage.length, sessionStorage.length, document.cookie]);
    assert.deepEqual(stored, [0, 0, ''], 'nothing stored in the browser');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('leaving a form with content asks first; an empty form lets you go', async () => {
    const { page, context } = await watchedPage(browser, desk.server.url);
    const dialogs = [];
    page.on('dialog', (d) => { dialogs.push(d.type()); d.accept(); });
    await page.goto('/report.html');
    await ready(page);
    await page.locator('nav').getByRole('link', { name: 'Start' }).click();
    await page.waitForURL((u) => u.pathname === '/');
    assert.deepEqual(dialogs, [], 'an empty form leaves without asking');
    await page.goto('/report.html');
    await ready(page);
    await page.getByLabel('Organisatie').selectOption('bzk');
    await page.locator('nav').getByRole('link', { name: 'Start' }).click();
    await page.waitForURL((u) => u.pathname === '/');
    assert.deepEqual(dialogs, ['beforeunload'], 'a chosen organisation is worth a question');
    await context.close();
  });

  test('the check step links back to each step; the receipt saves by print, and downloads only behind a warning', async () => {
    const { page, problems, context } = await watchedPage(browser, desk.server.url);
    page.on('dialog', (d) => d.accept());
    await page.goto('/report.html?lang=en');
    await ready(page);
    await page.getByLabel('Organisation').selectOption('bzk');
    await page.getByLabel('Topic').selectOption('racism');
    await page.getByRole('button', { name: 'Next step' }).click();
    await page.getByLabel('What happened?').fill('Remarks about my origin.');
    await page.getByLabel('Month').selectOption('10');
    await page.getByLabel('Year').selectOption(String(new Date().getUTCFullYear() - 1));
    await page.getByRole('button', { name: 'Next step' }).click();
    await page.getByLabel('Advice and someone to listen').check();
    await page.getByRole('button', { name: 'Next step' }).click();
    await page.getByText('Leave out Anna Adviser').waitFor();
    await page.getByRole('button', { name: 'Next step' }).click();
    await page.getByRole('button', { name: 'Next step' }).click();
    await page.getByText('Left out').waitFor();

    const steps = await page.locator('dd button[data-step]').evaluateAll((bs) => bs.map((b) => b.dataset.step));
    assert.deepEqual([...new Set(steps)], ['about', 'what', 'wish', 'recipients', 'files']);
    await page.getByRole('button', { name: 'Change What happened?' }).click();
    assert.equal(await page.locator('#step-heading').evaluate((el) => el === document.activeElement), true);
    assert.equal(await page.getByLabel('What happened?').inputValue(), 'Remarks about my origin.', 'nothing lost');
    await page.getByLabel('What happened?').fill('Remarks about my origin, twice.');
    for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Next step' }).click();
    await page.getByText('Remarks about my origin, twice.').waitFor();
    assert.deepEqual(await axe(page), []);
    await page.getByRole('button', { name: 'Encrypt and send' }).click();
    await page.getByRole('heading', { name: 'Your report has been sent' }).waitFor({ timeout: 60000 });

    assert.equal(await page.getByRole('button', { name: 'Print' }).count(), 1);
    const save = page.locator('details#save-receipt');
    assert.equal(await save.getAttribute('open'), null);
    assert.equal(await page.getByRole('button', { name: 'Download code' }).isVisible(), false, 'folded away');
    await save.locator('summary').click();
    assert.match(await save.textContent(), /work computer/);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download code' }).click()]);
    assert.equal(dl.suggestedFilename(), 'meldpunt-receipt-code.txt');
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('header').isVisible(), false, 'printing leaves the frame out');
    assert.equal(await page.locator('#receipt').isVisible(), true, 'and keeps the code');
    await page.emulateMedia({ media: 'screen' });
    await screenshot(page, 'receipt-save-en');
    assert.deepEqual(problems, []);
    await context.close();
  });
});
