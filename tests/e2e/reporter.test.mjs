// reporter.test.mjs - the reporter's journey in the browser: the report
// form step by step with an exclusion and an attachment, the proof of work
// and encryption in the worker, the receipt page (proof verified, disclosure
// key, typing back the last group), then the follow-up page with the receipt
// alone: status, the report, the attachment downloaded and decrypted, a new
// message. The server's view is checked from Node with the advisers' keys.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { psql } from '../api/lib/harness.mjs';
import { mc } from '../api/lib/fixtures.mjs';
import { startDesk, launch, watchedPage, ready, screenshot, axe } from './lib/browser.mjs';

const ATTACHMENT = Buffer.from('Notes of the meeting of 3 November.\n'.repeat(200));

// Fills the form through the labels a person reads (English UI).
async function fillReport(page, { exclude = [] } = {}) {
  await page.getByLabel('Organisation').selectOption('bzk');
  await page.getByLabel('Topic').selectOption('racism');
  await page.getByRole('button', { name: 'Next step' }).click();
  await page.getByLabel('What happened?').fill('A colleague made remarks about my origin in a meeting.');
  await page.getByLabel('Month').selectOption('10');
  await page.getByLabel('Year').selectOption(String(new Date().getUTCFullYear() - 1));
  await page.getByLabel('Where was it?').fill('Team meeting, The Hague');
  await page.getByLabel('Who was involved?').fill('A team lead');
  await page.getByRole('button', { name: 'Next step' }).click();
  await page.getByLabel('Advice and someone to listen').check();
  await page.getByRole('button', { name: 'Next step' }).click();
  await page.getByText('Leave out Anna Adviser').waitFor();
  for (const name of exclude) await page.getByLabel(new RegExp(`Leave out ${name}`)).check();
  await page.getByRole('button', { name: 'Next step' }).click();
}

describe('reporter journey in the browser', () => {
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

  test('report with an exclusion and a file, receipt, then follow-up with the receipt', async () => {
    const { page, problems, context } = await watchedPage(browser, desk.server.url);
    await page.goto('/report.html');
    await ready(page);
    await page.getByRole('button', { name: 'English' }).click();

    // Validation: errors tied to their fields, focus on the summary.
    await page.getByRole('button', { name: 'Next step' }).click();
    await page.getByText('Choose an organisation.').first().waitFor();
    assert.equal(await page.getByLabel('Organisation').getAttribute('aria-invalid'), 'true');
    assert.match(await page.getByLabel('Organisation').getAttribute('aria-describedby'), /organisation-error/);

    await fillReport(page, { exclude: ['Bert Adviser'] });
    await screenshot(page, 'report-files-en');
    await page.getByLabel(/Add files/).setInputFiles({ name: 'meeting-notes.txt', mimeType: 'text/plain', buffer: ATTACHMENT });
    await page.getByText('meeting-notes.txt').first().waitFor();
    await page.getByRole('button', { name: 'Next step' }).click();
    await page.getByText('Left out').waitFor();
    await screenshot(page, 'report-check-en');
    assert.deepEqual(await axe(page), []);
    await page.getByRole('button', { name: 'Encrypt and send' }).click();

    await page.getByRole('heading', { name: 'Your report has been sent' }).waitFor({ timeout: 60000 });
    const receipt = (await page.locator('#receipt').textContent()).trim();
    assert.match(receipt, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){5}$/);
    await page.getByText('meeting-notes.txt: arrived').waitFor({ timeout: 30000 });
    await screenshot(page, 'receipt-en');
    assert.deepEqual(await axe(page), []);

    // The proof is verified in the page and offered as a download.
    const [proofDl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download proof' }).click()]);
    const proof = JSON.parse(readFileSync(await proofDl.path(), 'utf8'));
    assert.equal(proofDl.suggestedFilename(), `meldpunt-proof-of-submission-${proof.case_id}.json`, 'English names in English');
    assert.equal(await page.locator('#how-back a').getAttribute('href'), '/followup.html?lang=en', 'the way back keeps the language');
    await page.locator('#receipt-dates').getByText(/^\d{1,2} [A-Z][a-z]+ \d{4}$/).first().waitFor();
    assert.ok(mc.verifyProof(proof, mc.fromB64(desk.pins.signing)));
    assert.ok(!JSON.stringify(proof).includes(receipt.replace(/-/g, '')), 'the proof never contains the receipt');

    // The disclosure key opens exactly the report of the proof.
    await page.getByRole('button', { name: 'Show disclosure key' }).click();
    const disclosure = (await page.locator('#disclosure-key').textContent()).trim();
    assert.equal(mc.openDisclosure(proof, disclosure).what, 'A colleague made remarks about my origin in a meeting.');

    // Leaving needs the last group typed back.
    await page.getByLabel('Type the last four characters of your receipt code').fill('ZZZZ');
    await page.getByRole('button', { name: 'I have saved my code' }).click();
    await page.getByText('These are not the last four characters').first().waitFor();
    await page.getByLabel('Type the last four characters of your receipt code').fill(receipt.slice(-4).toLowerCase());
    await page.getByRole('button', { name: 'I have saved my code' }).click();
    await page.getByRole('heading', { name: 'Thank you for your report' }).waitFor();
    assert.equal(await page.locator('#receipt').count(), 0, 'the receipt is gone from the page');

    // The server holds wraps for Anna, the reporter and recovery; none for excluded Bert.
    const [anna, bert] = desk.people;
    const rows = psql(desk.db, `SELECT 'adviser:' || account_id FROM key_wraps
      UNION ALL SELECT 'recovery:' FROM cases WHERE recovery_wrap IS NOT NULL
      UNION ALL SELECT 'reporter:' FROM cases WHERE reporter_wrap IS NOT NULL ORDER BY 1`).split('\n');
    assert.deepEqual(rows, [`adviser:${anna.id}`, 'recovery:', 'reporter:'].sort());
    assert.ok(!rows.some((r) => r.includes(bert.id)));
    const wrapHex = psql(desk.db, `SELECT encode(wrap, 'hex') FROM key_wraps WHERE account_id = '${anna.id}'`);
    const K = mc.openWrap(Buffer.from(wrapHex, 'hex'), anna.keys.encryptionPublicKey, anna.keys.encryptionSecretKey);
    const report = mc.decryptReport(proof.report_ciphertext, { organisation: 'bzk', topic: 'racism',
      reporterSignPublicKey: proof.reporter_sign_public_key }, mc.caseSubkeys(K).report);
    assert.equal(report.wish, 'advice');
    assert.equal(report.lang, 'en');
    assert.deepEqual(report.excluded, [bert.id]);
    assert.match(report.when, /^\d{4}-10$/);

    // Follow-up with the receipt alone (lower case, spaces: normalised).
    await page.goto('/followup.html');
    await ready(page);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByLabel('Receipt code').fill('not a receipt');
    await page.getByRole('button', { name: 'Open report' }).click();
    await page.getByText('This is not a valid receipt code').first().waitFor();
    await page.getByLabel('Receipt code').fill(receipt.toLowerCase().replace(/-/g, ' '));
    await page.getByRole('button', { name: 'Open report' }).click();
    await page.getByRole('heading', { name: 'Your report', exact: true }).waitFor({ timeout: 20000 });
    await page.getByText('A colleague made remarks about my origin in a meeting.').waitFor();
    assert.ok(await page.getByText('New', { exact: true }).isVisible());

    const [fileDl] = await Promise.all([page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download meeting-notes.txt' }).click()]);
    assert.equal(fileDl.suggestedFilename(), 'meeting-notes.txt');
    assert.ok(Buffer.from(readFileSync(await fileDl.path())).equals(ATTACHMENT));

    await page.getByLabel('Your message').fill('One more detail: it happened twice.');
    await page.getByRole('button', { name: 'Send message' }).click();
    await page.getByText('Your message has been sent.').waitFor();
    await page.getByText('One more detail: it happened twice.').waitFor();
    await screenshot(page, 'followup-case-en');
    assert.deepEqual(await axe(page), []);

    await page.getByRole('button', { name: 'Close and erase everything' }).click();
    await page.getByLabel('Receipt code').waitFor();
    const storage = await page.evaluate(async () => ({
      local: localStorage.length, session: sessionStorage.length,
      idb: (await indexedDB.databases()).length, url: location.href,
    }));
    assert.deepEqual({ ...storage, url: undefined }, { local: 0, session: 0, idb: 0, url: undefined });
    // Nothing of the case in the address: no fragment, and no query but
    // the chosen language (which travels there instead of being stored).
    const left = new URL(storage.url);
    assert.equal(left.hash, '');
    assert.deepEqual([...left.searchParams.keys()], ['lang']);
    assert.equal(left.searchParams.get('lang'), 'en');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('a malformed receipt sends nothing', async () => {
    const { page, problems, context } = await watchedPage(browser, desk.server.url);
    const posts = [];
    page.on('request', (r) => { if (r.method() !== 'GET') posts.push(r.url()); });
    await page.goto('/followup.html');
    await ready(page);
    await page.getByLabel('Ontvangstcode').fill('K7Q2-M9XH-4TPA-W3ZE-8FNB-R2D');
    await page.getByRole('button', { name: 'Melding openen' }).click();
    await page.getByText('Dit is geen geldige ontvangstcode').first().waitFor();
    assert.deepEqual(posts, []);
    assert.deepEqual(problems, []);
    await context.close();
  });
});
