// keyboard.test.mjs - a report submitted with the keyboard alone: Tab,
// Shift+Tab, arrow keys, Space and Enter; focus always visible and moved to
// the step heading (or the error summary) after each step.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDesk, launch, watchedPage, ready, screenshot } from './lib/browser.mjs';

// Presses Tab until the focused element matches `predicate` (at most 40 times).
async function tabTo(page, predicate, arg) {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(predicate, arg)) return;
  }
  throw new Error(`could not reach ${arg} with Tab`);
}

const byId = (id) => document.activeElement?.id === id;
const byText = (text) => document.activeElement?.textContent?.trim() === text;

async function assertFocusVisible(page) {
  const outline = await page.evaluate(() => {
    const s = getComputedStyle(document.activeElement);
    return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  });
  assert.ok(outline, 'the focused element shows a focus outline');
}

describe('keyboard only', () => {
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

  test('the whole report form, submitted without a mouse', async () => {
    const { page, problems, context } = await watchedPage(browser, desk.server.url);
    await page.goto('/report.html');
    await ready(page);
    // The skip link comes first.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'mp-skip');

    await tabTo(page, byId, 'organisation');
    await assertFocusVisible(page);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown'); // az, bz, bzk
    await tabTo(page, byId, 'topic');
    await page.keyboard.press('ArrowDown'); // first topic
    await tabTo(page, byText, 'Volgende stap');
    await assertFocusVisible(page);
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'step-heading', 'focus moves to the step');

    await tabTo(page, byId, 'what');
    await page.keyboard.type('Remarks about my origin, twice, in team meetings.');
    await tabTo(page, byText, 'Volgende stap');
    await page.keyboard.press('Enter');

    // Wish: radios by Space; a missing choice first shows the error summary.
    await tabTo(page, byText, 'Volgende stap');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'mp-error-summary');
    await tabTo(page, byId, 'wish-0');
    await page.keyboard.press('Space');
    await tabTo(page, byText, 'Volgende stap');
    await page.keyboard.press('Enter');

    await page.getByText(/Bert Adviser/).first().waitFor(); // bzk, first topic: Bert covers all of bzk
    await tabTo(page, byText, 'Volgende stap');
    await page.keyboard.press('Enter');
    await tabTo(page, byText, 'Volgende stap');
    await page.keyboard.press('Enter');
    await tabTo(page, byText, 'Versleutel en verstuur');
    await assertFocusVisible(page);
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { name: 'Uw melding is verstuurd' }).waitFor({ timeout: 60000 });
    assert.equal(await page.evaluate(() => document.activeElement.tagName), 'H1');
    const receipt = (await page.locator('#receipt').textContent()).trim();
    await tabTo(page, byId, 'confirm-last');
    await page.keyboard.type(receipt.slice(-4));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Dank u voor uw melding' }).waitFor();
    await screenshot(page, 'keyboard-done');
    assert.deepEqual(problems, []);
    await context.close();
  });
});
