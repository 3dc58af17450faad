// notify.test.mjs - the notification settings on the adviser's account
// page (issue 18): the section loads the account's settings, its own
// deadlines offer no "Off", a change is saved through the API (English
// mails, reporters' messages off) and read back; axe-core finds nothing,
// nothing scrolls sideways at 320 px, and no console errors.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { call } from '../api/lib/fixtures.mjs';
import { freshCode, login } from '../api/lib/accounts.mjs';
import { startDesk, launch, watchedPage, ready, screenshot, axe } from './lib/browser.mjs';

const PASSPHRASE = 'notification settings in the browser';

describe('notification settings in the browser', () => {
  let desk; let browser; let nina;
  before(async () => {
    desk = await startDesk({ accounts: [
      { name: 'Nina Notify', role: 'adviser', organisations: ['bzk'], topics: ['*'], passphrase: PASSPHRASE },
    ] });
    [nina] = desk.people;
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await desk?.server.stop();
  });

  test('an adviser chooses English mails and no message notices; deadlines cannot be switched off', async () => {
    const { page, problems, context } = await watchedPage(browser, desk.server.url);
    await page.goto('/adviser.html');
    await ready(page);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByLabel('Email address').fill(nina.email);
    await page.getByLabel('Passphrase').fill(PASSPHRASE);
    await page.getByLabel('Code from your authenticator app').fill(freshCode(desk.db, nina));
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Cases' }).waitFor({ timeout: 60000 });
    await page.getByRole('button', { name: 'Change passphrase', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: 'Notifications by e-mail' }).waitFor();
    const deadline = page.getByLabel('A deadline of your report is near or has passed');
    await deadline.waitFor();
    assert.deepEqual(await deadline.locator('option').allTextContents(), ['With the next sending', 'In one overview a day']);
    assert.deepEqual(await page.getByLabel('A reporter wrote in a report you handle').locator('option').allTextContents(),
      ['With the next sending', 'In one overview a day', 'Off']);
    assert.deepEqual(await axe(page), [], 'notification settings');

    await page.getByLabel('Language of the e-mails').selectOption('en');
    await page.getByLabel('A reporter wrote in a report you handle').selectOption('off');
    await page.getByRole('button', { name: 'Save notifications' }).click();
    await page.getByText('Your notifications are saved.').waitFor();
    const s = await login(desk.server, desk.db, nina);
    const { body } = await call(desk.server, 'GET', '/api/v1/adviser/notifications', { token: s.token });
    assert.deepEqual(body, { language: 'en', assigned: 'batch', message: 'off', deadline: 'batch', overdue: 'batch' });
    await screenshot(page, 'notify-settings-en');
    assert.deepEqual(await axe(page), [], 'notification settings saved');
    await page.setViewportSize({ width: 320, height: 800 });
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth) <= 0);
    assert.deepEqual(problems, []);
    await context.close();
  });
});
