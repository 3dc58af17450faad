// session.test.mjs - sessions that keep work (issue 15, SPEC section 4: a
// session ends after 30 idle minutes). An adviser's session ends on the
// server while a reply is being written: sending it opens a dialog that says
// the session has expired, the adviser logs in again in place, the draft is
// still there and sending it works. The warning comes 5 minutes before the
// idle limit (the page's clock fast-forwarded) and Continue keeps the
// session. The reporter's follow-up page does the same with the receipt
// code. axe-core finds nothing with the dialog open, and another account
// logging in in the dialog is refused: the page signs out completely.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addAccounts, submitReport } from '../api/lib/fixtures.mjs';
import { freshCode } from '../api/lib/accounts.mjs';
import { psql } from '../api/lib/harness.mjs';
import { startDesk, launch, watchedPage, ready, screenshot, axe } from './lib/browser.mjs';

// The browser logs every 401 answer as a failed resource; they are what
// these tests cause on purpose. Anything else the page reports counts.
const unexpected = (problems) => problems.filter((p) => !/status of 401 \(Unauthorized\)/.test(p));

const PASSPHRASE = 'correct horse battery staple meldpunt test';
const REPORT_TEXT = 'A colleague made remarks about my origin in a meeting.';

describe('sessions that keep work', () => {
  let desk;
  let browser;
  let eva;
  let olaf;
  before(async () => {
    desk = await startDesk();
    browser = await launch();
    [eva, olaf] = addAccounts(desk.db, [
      { name: 'Eva Session', role: 'adviser', organisations: ['az'], topics: ['*'], passphrase: PASSPHRASE },
      { name: 'Olaf Other', role: 'adviser', organisations: ['az'], topics: ['*'], passphrase: PASSPHRASE },
    ]);
  });
  after(async () => {
    await browser?.close();
    await desk?.server.stop();
  });

  // The server ends the account's sessions, as 30 idle minutes would.
  const endStaffSessions = (account) => psql(desk.db, `DELETE FROM sessions WHERE account_id = '${account.id}'`);

  async function signIn(page, account) {
    await page.goto('/adviser.html');
    await ready(page);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByLabel('Email address').fill(account.email);
    await page.getByLabel('Passphrase').fill(PASSPHRASE);
    await page.getByLabel('Code from your authenticator app').fill(freshCode(desk.db, account));
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Cases' }).waitFor({ timeout: 60000 });
  }

  async function reloginIn(dialog, account, { email } = {}) {
    if (email) await dialog.getByLabel('Email address').fill(email);
    await dialog.getByLabel('Passphrase').fill(PASSPHRASE);
    await dialog.getByLabel('Code from your authenticator app').fill(freshCode(desk.db, account));
    await dialog.getByRole('button', { name: 'Log in again' }).click();
  }

  test('(a, d) an adviser\'s reply survives the session ending: log in again in the dialog, then send', async () => {
    await submitReport(desk.server, { organisation: 'az', topic: 'racism' });
    const { page, problems, context } = await watchedPage(browser, desk.server.url);
    await signIn(page, eva);
    await page.getByRole('button', { name: 'Open case' }).first().click();
    await page.getByText(REPORT_TEXT).waitFor({ timeout: 20000 });
    const reply = 'We can talk on Tuesday at ten; does that suit you?';
    const note = 'Reporter prefers a call; check the agenda.';
    await page.getByLabel('Reply to the reporter').fill(reply);
    await page.getByLabel('New note').fill(note);

    endStaffSessions(eva);
    await page.getByRole('button', { name: 'Send reply' }).click();
    const dialog = page.getByRole('dialog', { name: 'Your session has expired' });
    await dialog.waitFor();
    assert.equal(await dialog.getByLabel('Email address').inputValue(), eva.email, 'the email is filled in');
    assert.ok(await page.locator('#case-status').getByText(/Your session has expired, so this was not sent/).isVisible());
    assert.equal(await page.getByText(/Something went wrong/).count(), 0);
    // The passphrase field has the focus (the email is known).
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'relogin-passphrase');
    await screenshot(page, 'session-expired-dialog-en');
    assert.deepEqual(await axe(page), [], 'axe with the dialog open');

    await reloginIn(dialog, eva);
    await dialog.waitFor({ state: 'hidden', timeout: 60000 });
    await page.getByText('You are logged in again. Your text is still here').waitFor({ timeout: 20000 });
    assert.equal(await page.getByLabel('Reply to the reporter').inputValue(), reply, 'the reply draft is kept');
    assert.equal(await page.getByLabel('New note').inputValue(), note, 'the note draft is kept');
    assert.equal(await page.locator('main[data-ready="true"]').count(), 1, 'the page was not reloaded');

    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.getByText('Your reply has been sent.').waitFor();
    await page.locator('.mp-message', { hasText: reply }).waitFor();
    assert.equal(await page.getByLabel('Reply to the reporter').inputValue(), '');
    assert.equal(psql(desk.db, `SELECT count(*) FROM messages WHERE account_id = '${eva.id}'`), '1', 'the reply is stored once');
    await page.getByRole('button', { name: 'Save note' }).click();
    await page.getByText('The note has been saved.').waitFor();
    assert.deepEqual(unexpected(problems), []);
    await context.close();
  });

  test('(b) the warning comes before the idle limit; Continue keeps the session', async () => {
    const { page, problems, context } = await watchedPage(browser, desk.server.url);
    await page.clock.install();
    await signIn(page, eva);
    const bar = page.locator('#mp-session');
    assert.equal(await bar.textContent(), '');
    await page.clock.fastForward('24:00');
    assert.equal(await bar.textContent(), '', 'no warning yet');
    await page.clock.fastForward('01:30');
    await bar.getByText('Your session ends soon.').waitFor();
    assert.equal(await bar.getAttribute('aria-live'), 'polite');
    assert.equal(await page.getByRole('region', { name: 'Session' }).count(), 1);
    await screenshot(page, 'session-warning-en');
    assert.deepEqual(await axe(page), []);
    const ping = page.waitForResponse((r) => r.url().includes('/api/v1/adviser/cases?limit=1') && r.request().method() === 'GET');
    await bar.getByRole('button', { name: 'Continue' }).click();
    assert.equal((await ping).status(), 200);
    await bar.getByText('Your session ends soon.').waitFor({ state: 'detached' });
    assert.equal(await page.getByRole('heading', { name: 'Cases' }).isVisible(), true);
    // The idle time counts again from Continue: no warning 24 minutes later,
    // and the dialog once the 30 minutes have passed without a request.
    await page.clock.fastForward('24:00');
    assert.equal(await bar.textContent(), '');
    await page.clock.fastForward('07:00');
    await page.getByRole('dialog', { name: 'Your session has expired' }).waitFor();
    assert.deepEqual(unexpected(problems), []);
    await context.close();
  });

  test('(c) the reporter\'s message survives the session ending: the receipt code again in the dialog', async () => {
    const { receipt } = await submitReport(desk.server, { organisation: 'az', topic: 'racism' });
    const { page, problems, context } = await watchedPage(browser, desk.server.url);
    await page.goto('/followup.html');
    await ready(page);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByLabel('Receipt code').fill(receipt);
    await page.getByRole('button', { name: 'Open report' }).click();
    await page.getByText(REPORT_TEXT).waitFor({ timeout: 20000 });
    const message = 'I can also come by on Thursday afternoon.';
    await page.getByLabel('Your message').fill(message);

    psql(desk.db, 'DELETE FROM sessions WHERE kind = \'reporter\'');
    await page.getByRole('button', { name: 'Send message' }).click();
    const dialog = page.getByRole('dialog', { name: 'Your session has expired' });
    await dialog.waitFor();
    assert.ok(await page.getByText(/Your session has expired, so your message was not sent/).isVisible());
    await screenshot(page, 'session-expired-reporter-en');
    assert.deepEqual(await axe(page), []);

    // Escape closes the dialog; the page stays readable and offers to open the report again.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.locator('#mp-session').getByRole('button', { name: 'Open the report again' }).click();
    await dialog.waitFor();
    await dialog.getByLabel('Receipt code').fill(receipt);
    await dialog.getByRole('button', { name: 'Open the report again' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 30000 });
    await page.getByText('Your report is open again.').waitFor();
    assert.equal(await page.getByLabel('Your message').inputValue(), message, 'the message is kept');
    await page.getByRole('button', { name: 'Send message' }).click();
    await page.getByText('Your message has been sent.').waitFor();
    await page.locator('.mp-message', { hasText: message }).waitFor();
    assert.deepEqual(unexpected(problems), []);
    await context.close();
  });

  test('(e) another account logging in in the dialog is refused and the page signs out completely', async () => {
    const { page, problems, context } = await watchedPage(browser, desk.server.url);
    await signIn(page, eva);
    await page.getByRole('button', { name: 'Open case' }).first().click();
    await page.getByText(REPORT_TEXT).waitFor({ timeout: 20000 });
    await page.getByLabel('Reply to the reporter').fill('Draft that must not reach another account');
    endStaffSessions(eva);
    await page.getByRole('button', { name: 'Send reply' }).click();
    const dialog = page.getByRole('dialog', { name: 'Your session has expired' });
    await dialog.waitFor();
    await reloginIn(dialog, olaf, { email: olaf.email });
    await page.getByText('A different account logged in on the expired session.').waitFor({ timeout: 60000 });
    assert.equal(await page.getByLabel('Email address').inputValue(), '', 'a fresh login page');
    assert.equal(await page.getByText('Draft that must not reach another account').count(), 0);
    assert.ok(!page.url().includes('signed-out'), 'the reason leaves the address bar');
    assert.equal(psql(desk.db, `SELECT count(*) FROM sessions WHERE account_id IN ('${eva.id}', '${olaf.id}')`), '0',
      'both sessions ended');
    assert.deepEqual(unexpected(problems), []);
    await context.close();
  });
});
