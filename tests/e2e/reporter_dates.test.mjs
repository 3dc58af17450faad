// reporter_dates.test.mjs - the reporter knows when to come back (issue 18,
// item 5) and reads plain values (issue 15, items 6 and 11). The receipt
// page gives the desk's own dates in words, the reference and how to come
// back, prints as a receipt (no frame, no proof, no key, no buttons) and
// saves its files under Dutch names in the Dutch flow; the receipt never
// leaves the page. The follow-up page says when the case was acknowledged,
// answered and closed instead of showing passed deadlines, says plainly
// when a deadline passed unanswered, writes the month of the report in
// words, and marks the desk's messages that are new since the last visit
// with a read mark kept in the case on the server (never in the browser).
// An unsent message asks before the page is left.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { psql, waitFor } from '../api/lib/harness.mjs';
import { call, mc, submitReport } from '../api/lib/fixtures.mjs';
import { caseHex, login } from '../api/lib/accounts.mjs';
import { openAsAdviser, PEOPLE } from '../api/lib/people.mjs';
import { startDesk, launch, watchedPage, ready, screenshot, axe } from './lib/browser.mjs';

// A YYYY-MM-DD day as the pages write it (UTC), in words.
const inWords = (day, lang) => new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB',
  { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));

// Text a person must never read: a code, a placeholder, a bare dash.
async function assertPlainValues(page) {
  // Codes that are meant to be codes (the receipt, the reference, a key) aside.
  const text = await page.locator('main').evaluate((main) => {
    const copy = main.cloneNode(true);
    for (const el of copy.querySelectorAll('#receipt, .mp-reference, .mp-secret')) el.remove();
    return copy.textContent;
  });
  assert.doesNotMatch(text, /\bnull\b|\bundefined\b|\bNaN\b|\{[a-z_]+\}|\d{4}-\d{2}-\d{2}|\b\d{4}-\d{2}\b/, 'no code or raw date');
  const dashes = await page.locator('main *').evaluateAll((els) => els.filter((e) => e.children.length === 0
    && /^\s*[-–]\s*$/.test(e.textContent)).length);
  assert.equal(dashes, 0, 'no bare dash');
}

describe('the reporter knows when to come back', () => {
  let desk;
  let browser;
  let anna;
  before(async () => {
    desk = await startDesk({ accounts: PEOPLE });
    browser = await launch();
    anna = { ...(await login(desk.server, desk.db, desk.people[0])), account: desk.people[0] };
  });
  after(async () => {
    await browser?.close();
    await desk?.server.stop();
  });

  async function adviserReply(caseId, text) {
    const v = (await call(desk.server, 'GET', `/api/v1/adviser/cases/${caseId}`, { token: anna.token })).body;
    const { sub } = openAsAdviser(v, anna.account, anna.secretKey);
    const sign = mc.adviserSigningKeys(anna.secretKey);
    const m = mc.encryptMessage({ caseId, author: `adviser:${anna.account.id}`, prev: '', text }, sub.msg, sign.signSecretKey);
    const r = await call(desk.server, 'POST', `/api/v1/adviser/cases/${caseId}/messages`, { token: anna.token,
      body: { ciphertext: m.ciphertext, signature: m.signature, feedback: false } });
    assert.equal(r.status, 201);
  }

  async function openFollowup(page, receipt, { lang = 'nl' } = {}) {
    await page.goto(lang === 'en' ? '/followup.html?lang=en' : '/followup.html');
    await ready(page);
    await page.getByLabel(lang === 'en' ? 'Receipt code' : 'Ontvangstcode').fill(receipt);
    await page.getByRole('button', { name: lang === 'en' ? 'Open report' : 'Melding openen' }).click();
    await page.locator('#case-status').waitFor({ timeout: 20000 });
  }

  test('the receipt page: dates in words, reference, how to come back, a printable receipt, Dutch file names', async () => {
    const { page, problems, context } = await watchedPage(browser, desk.server.url);
    const sentBodies = [];
    page.on('request', (r) => sentBodies.push(`${r.url()} ${r.postData() ?? ''}`));
    page.on('dialog', (d) => d.accept());
    await page.goto('/report.html');
    await ready(page);
    await page.getByLabel('Organisatie').selectOption('bzk');
    await page.getByLabel('Onderwerp').selectOption('racism');
    await page.getByRole('button', { name: 'Volgende stap' }).click();
    await page.getByLabel('Wat is er gebeurd?').fill('Opmerkingen over mijn afkomst in een overleg.');
    await page.getByRole('button', { name: 'Volgende stap' }).click();
    await page.getByLabel('Advies en een luisterend oor').check();
    await page.getByRole('button', { name: 'Volgende stap' }).click();
    await page.getByText('Anna Adviser').first().waitFor();
    await page.getByRole('button', { name: 'Volgende stap' }).click();
    await page.getByRole('button', { name: 'Volgende stap' }).click();
    // The desk's dates are held back until the person is busy on the page:
    // their arrival redraws it, and must keep what is open, typed and focused.
    let release;
    const held = new Promise((r) => { release = r; });
    await page.route('**/api/v1/reporter/case', async (route) => { await held; await route.continue(); });
    await page.getByRole('button', { name: 'Versleutel en verstuur' }).click();
    await page.getByRole('heading', { name: 'Uw melding is verstuurd' }).waitFor({ timeout: 60000 });
    const receipt = (await page.locator('#receipt').textContent()).trim();
    await page.locator('details#save-receipt summary').click();
    await page.getByLabel('Typ de laatste vier tekens van uw ontvangstcode').fill('AB');
    assert.equal(await page.locator('#receipt-dates').count(), 0, 'the dates are still on their way');
    release();
    await page.locator('#receipt-dates').waitFor();
    await page.unroute('**/api/v1/reporter/case');
    assert.notEqual(await page.locator('details#save-receipt').getAttribute('open'), null, 'still open');
    assert.equal(await page.getByLabel('Typ de laatste vier tekens van uw ontvangstcode').inputValue(), 'AB', 'still typed');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'confirm-last', 'still focused');

    // The desk's own dates, in words.
    const caseHexId = psql(desk.db, "SELECT encode(id, 'base64') FROM cases ORDER BY received_on DESC LIMIT 1");
    const caseId = Buffer.from(caseHexId, 'base64').toString('base64url');
    const [received, ack, fb] = psql(desk.db, `SELECT to_char(received_on, 'YYYY-MM-DD') || ' ' ||
      to_char(meldpunt_acknowledge_by(received_on), 'YYYY-MM-DD') || ' ' || to_char(meldpunt_feedback_by(received_on), 'YYYY-MM-DD')
      FROM cases WHERE id = ${caseHex(caseId)}`).split(' ');
    const dates = await page.locator('#receipt-dates').innerText();
    for (const day of [received, ack, fb]) assert.ok(dates.includes(inWords(day, 'nl')), `${inWords(day, 'nl')} in ${dates}`);
    assert.match(inWords(ack, 'nl'), /^\d{1,2} [a-z]+ \d{4}$/);
    assert.ok(dates.includes(caseId), 'the reference');
    const comeBack = await page.locator('#come-back').innerText();
    assert.ok(comeBack.includes(`vanaf ${inWords(ack, 'nl')}`), 'when to come back');
    const how = page.locator('#how-back');
    assert.equal(await how.getByRole('link').getAttribute('href'), '/followup.html');
    assert.ok((await how.innerText()).includes(`${desk.server.url}/followup.html`), 'the whole address, for paper');
    await assertPlainValues(page);
    assert.deepEqual(await axe(page), []);
    await screenshot(page, 'receipt-nl-1280');

    // Dutch file names in the Dutch flow; the disclosure key in plain words.
    const [proofDl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Bewijs downloaden' }).click()]);
    assert.equal(proofDl.suggestedFilename(), `meldpunt-bewijs-van-indiening-${caseId}.json`);
    assert.equal(JSON.parse(readFileSync(await proofDl.path(), 'utf8')).case_id, caseId);
    assert.match(await page.locator('main').innerText(), /advocaat of een rechter/);
    await page.getByRole('button', { name: 'Openbaarmakingssleutel tonen' }).click();
    const [keyDl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Sleutel downloaden' }).click()]);
    assert.equal(keyDl.suggestedFilename(), `meldpunt-openbaarmakingssleutel-${caseId}.txt`);

    // Print: the browser's own dialog (also "save as PDF"), nothing stored.
    await page.evaluate(() => { window.print = () => { document.body.dataset.printed = 'yes'; }; });
    await page.getByRole('button', { name: 'Afdrukken' }).click();
    assert.equal(await page.locator('body').getAttribute('data-printed'), 'yes');
    assert.equal(await page.locator('.mp-print-title').isVisible(), false, 'the paper title is not on screen');
    await page.emulateMedia({ media: 'print' });
    for (const sel of ['#receipt', '#receipt-dates', '#come-back', '#how-back', '.mp-print-title'])
      assert.equal(await page.locator(sel).isVisible(), true, `${sel} is printed`);
    for (const sel of ['header', 'footer', '#download-proof', '#disclosure-key', '#confirm-last', '#print-receipt', '#print-hint'])
      assert.equal(await page.locator(sel).isVisible(), false, `${sel} is not printed`);
    await screenshot(page, 'receipt-nl-print');
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 360, height: 800 });
    await screenshot(page, 'receipt-nl-360');
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= 360), true, 'nothing scrolls sideways');

    // Done: the dates stay, the code is gone; it was never sent or stored.
    await page.getByLabel('Typ de laatste vier tekens van uw ontvangstcode').fill(receipt.slice(-4));
    await page.getByRole('button', { name: 'Ik heb mijn code bewaard' }).click();
    await page.getByRole('heading', { name: 'Dank u voor uw melding' }).waitFor();
    assert.ok((await page.locator('main').innerText()).includes(inWords(fb, 'nl')));
    const plain = receipt.replace(/-/g, '');
    assert.ok(!sentBodies.some((b) => b.includes(receipt) || b.includes(plain)), 'the receipt never leaves the page');
    const stored = await page.evaluate(async () => localStorage.length + sessionStorage.length
      + (await indexedDB.databases()).length + document.cookie.length);
    assert.equal(stored, 0);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('the follow-up page marks what is new since the last visit, kept on the server', async () => {
    const { res, receipt } = await submitReport(desk.server);
    const caseId = res.body.case_id;
    await adviserReply(caseId, 'We have received your report.');
    await adviserReply(caseId, 'Could you tell us which meeting it was?');
    const { page, problems, context } = await watchedPage(browser, desk.server.url);
    await openFollowup(page, receipt, { lang: 'en' });

    // Acknowledged (by the first reply): the day, not the passed deadline.
    const today = psql(desk.db, "SELECT to_char(current_date, 'YYYY-MM-DD')");
    const fb = psql(desk.db, `SELECT to_char(meldpunt_feedback_by(received_on), 'YYYY-MM-DD') FROM cases WHERE id = ${caseHex(caseId)}`);
    const status = await page.locator('#case-status').innerText();
    assert.match(status, new RegExp(`Acknowledged on\\s+${inWords(today, 'en')}`));
    assert.match(status, new RegExp(`Answer by\\s+${inWords(fb, 'en')}`));
    assert.doesNotMatch(status, /Acknowledgement by/);
    assert.match(await page.locator('main').innerText(), /When was it\?\s+October 2026/, 'the month in words');

    // Both replies are new, in words; the page tells the desk it has shown them.
    await page.getByText('There are 2 new messages since your last visit.').waitFor();
    assert.equal(await page.locator('.mp-tag--new').count(), 2);
    assert.equal(await page.locator('.mp-tag--new').first().innerText(), 'New message');
    await page.getByRole('link', { name: 'Go to the first new message' }).click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'first-new');
    await waitFor(() => psql(desk.db, `SELECT reporter_read_seq FROM cases WHERE id = ${caseHex(caseId)}`) === '2');
    const hint = await page.locator('#add-files-hint').innerText();
    assert.doesNotMatch(hint, /\s-\s|At most -/);
    await assertPlainValues(page);
    assert.deepEqual(await axe(page), []);
    await screenshot(page, 'followup-new-en-1280');
    await page.setViewportSize({ width: 360, height: 800 });
    await screenshot(page, 'followup-new-en-360');
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= 360), true, 'nothing scrolls sideways');
    await page.setViewportSize({ width: 1280, height: 720 });

    // The reporter's own message is never "new".
    await page.getByLabel('Your message').fill('It was the Monday meeting.');
    await page.getByRole('button', { name: 'Send message' }).click();
    await page.getByText('Your message has been sent.').waitFor();
    assert.equal(await page.locator('.mp-message-item--reporter .mp-tag--new').count(), 0);
    await page.getByRole('button', { name: 'Close and erase everything' }).click();
    await page.getByLabel('Receipt code').waitFor();

    // Next visit: only what came after is new. The browser kept nothing.
    await adviserReply(caseId, 'Thank you, we will look into it.');
    const storage = await page.evaluate(async () => localStorage.length + sessionStorage.length
      + (await indexedDB.databases()).length + document.cookie.length);
    assert.equal(storage, 0);
    const second = await watchedPage(browser, desk.server.url);
    await openFollowup(second.page, receipt, { lang: 'en' });
    await second.page.getByText('There is 1 new message since your last visit.').waitFor();
    assert.equal(await second.page.locator('.mp-tag--new').count(), 1);
    assert.match(await second.page.locator('#first-new').innerText(), /Thank you, we will look into it\./);
    await waitFor(() => psql(desk.db, `SELECT reporter_read_seq FROM cases WHERE id = ${caseHex(caseId)}`) === '4');
    assert.deepEqual(problems, []);
    assert.deepEqual(second.problems, []);
    await context.close();
    await second.context.close();
  });

  test('a passed deadline is said plainly; a closed case says when it closed', async () => {
    const late = await submitReport(desk.server);
    psql(desk.db, `UPDATE cases SET received_on = current_date - 10 WHERE id = ${caseHex(late.res.body.case_id)}`);
    const ack = psql(desk.db, `SELECT to_char(meldpunt_acknowledge_by(received_on), 'YYYY-MM-DD') FROM cases
      WHERE id = ${caseHex(late.res.body.case_id)}`);
    const { page, problems, context } = await watchedPage(browser, desk.server.url);
    await openFollowup(page, late.receipt);
    const status = await page.locator('#case-status').innerText();
    assert.ok(status.includes(`${inWords(ack, 'nl')}. Die datum is voorbij`), status);
    assert.doesNotMatch(status, /Bevestigd op|Afgesloten op/);
    await page.getByRole('button', { name: 'Sluiten en alles wissen' }).click();

    const closed = await submitReport(desk.server);
    psql(desk.db, `UPDATE cases SET received_on = current_date - 120, acknowledged_on = current_date - 115,
      status = 'closed', closed_on = current_date - 1 WHERE id = ${caseHex(closed.res.body.case_id)}`);
    const [ackOn, closedOn] = psql(desk.db, `SELECT to_char(acknowledged_on, 'YYYY-MM-DD') || ' ' || to_char(closed_on, 'YYYY-MM-DD')
      FROM cases WHERE id = ${caseHex(closed.res.body.case_id)}`).split(' ');
    await openFollowup(page, closed.receipt);
    const closedStatus = await page.locator('#case-status').innerText();
    assert.match(closedStatus, new RegExp(`Bevestigd op\\s+${inWords(ackOn, 'nl')}`));
    assert.match(closedStatus, new RegExp(`Afgesloten op\\s+${inWords(closedOn, 'nl')}`));
    assert.doesNotMatch(closedStatus, /uiterlijk|voorbij/, 'no deadline of a closed case');
    assert.match(await page.locator('main').innerText(), /Wanneer was het\?\s+oktober 2026/);
    await assertPlainValues(page);
    assert.deepEqual(await axe(page), []);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('an unsent message asks before the follow-up page is left; none lets you go', async () => {
    const { receipt } = await submitReport(desk.server);
    const { page, context } = await watchedPage(browser, desk.server.url);
    const dialogs = [];
    page.on('dialog', (d) => { dialogs.push(d.type()); d.accept(); });
    await openFollowup(page, receipt);
    await page.locator('nav').getByRole('link', { name: 'Start' }).click();
    await page.waitForURL((u) => u.pathname === '/');
    assert.deepEqual(dialogs, [], 'nothing typed: no question');
    await openFollowup(page, receipt);
    await page.getByLabel('Uw bericht').fill('Nog een detail.');
    await page.locator('nav').getByRole('link', { name: 'Start' }).click();
    await page.waitForURL((u) => u.pathname === '/');
    assert.deepEqual(dialogs, ['beforeunload']);
    await context.close();
  });
});
