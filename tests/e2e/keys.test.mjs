// keys.test.mjs - key rotation and recovery in the browser (SPEC 3.11,
// issue 7). Rotation: an adviser asks for a new key (a wrong passphrase is
// refused at the field), reads its fingerprint, which matches the pending
// certificate request; re-wrapping before certification is refused clearly;
// the test certifies through the admin API and the offline tool; the page
// re-wraps every case and note key, and the database then holds only wraps
// for the new key, which the adviser uses at once and after logging in
// again. Recovery: a coordinator chooses two of three cases and the adviser
// who is to receive them, exports, downloads the export and that adviser's
// entry, the test runs `meldpunt-keys recovery rewrap` with three of five
// shares on those very downloads, a result for the wrong adviser is refused
// at the file field, the right one is imported, and the new adviser opens the
// recovered cases and their notes in the page. axe-core finds nothing on the
// new views, nothing scrolls sideways at 320 px, and no console errors.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { env, psql } from '../api/lib/harness.mjs';
import { addAccounts, call, mc, pins, sampleReport, submitReport } from '../api/lib/fixtures.mjs';
import { certifyAll, freshCode, keysBinary, login } from '../api/lib/accounts.mjs';
import { notesKeyBody } from '../api/lib/people.mjs';
import { startDesk, launch, watchedPage, ready, screenshot, axe } from './lib/browser.mjs';

// The reference the pages show for a case (ui/case.js caseRef): the first
// four bytes of the id in hexadecimal, in two groups of four.
function caseRef(caseId) {
  const hex = Buffer.from(caseId, 'base64url').subarray(0, 4).toString('hex').toUpperCase();
  return `${hex.slice(0, 4)}-${hex.slice(4)}`;
}

const PASSPHRASE = 'key rotation and recovery in the browser';

async function signIn(page, db, account) {
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByLabel('Email address').fill(account.email);
  await page.getByLabel('Passphrase').fill(PASSPHRASE);
  await page.getByLabel('Code from your authenticator app').fill(freshCode(db, account));
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Cases' }).waitFor({ timeout: 60000 });
}

// Runs a step that must make exactly one refused request with `status`:
// Chromium logs that as a console error, which is expected here and only here.
async function refused(problems, status, step) {
  const from = problems.length;
  await step();
  const added = problems.splice(from);
  assert.deepEqual(added, [`console: Failed to load resource: the server responded with a status of ${status} (Conflict)`]);
}

const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
const hex = (b64) => Buffer.from(mc.fromB64(b64)).toString('hex');

describe('key rotation in the browser', () => {
  let desk;
  let browser;
  let rita;
  let ada;
  const ids = [];
  before(async () => {
    desk = await startDesk({ accounts: [
      { name: 'Rita Rotate', role: 'adviser', organisations: ['bzk'], topics: ['*'], passphrase: PASSPHRASE },
      { name: 'Ada Admin', role: 'admin', organisations: [], topics: [], passphrase: PASSPHRASE },
    ] });
    [rita, ada] = desk.people;
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await desk?.server.stop();
  });

  test('an adviser rotates her key: fingerprint, certification, re-wrap; every wrap is for the new key', async () => {
    for (let i = 0; i < 3; i++) ids.push((await submitReport(desk.server)).res.body.case_id);
    // A notes key on one case, so that note wraps rotate too.
    const s = await login(desk.server, desk.db, rita);
    const view0 = (await call(desk.server, 'GET', `/api/v1/adviser/cases/${ids[0]}`, { token: s.token })).body;
    const { body: nk } = notesKeyBody(view0, desk.pins, mc.adviserSigningKeys(s.secretKey).signSecretKey);
    assert.equal((await call(desk.server, 'POST', `/api/v1/adviser/cases/${ids[0]}/note-wraps`, { token: s.token, body: nk })).status, 204);
    const oldKey = psql(desk.db, `SELECT encode(encryption_public_key, 'hex') FROM account_keys
      WHERE account_id = '${rita.id}' AND state = 'current'`);

    const { page, problems, context } = await watchedPage(browser, desk.server.url);
    const swaps = [];
    page.on('request', (r) => { if (r.method() === 'PUT' && r.url().endsWith('/api/v1/adviser/keys')) swaps.push(r.url()); });
    await page.goto('/adviser.html');
    await ready(page);
    await signIn(page, desk.db, rita);
    await page.getByRole('button', { name: 'Rotate key', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Rotate key' }).waitFor();
    assert.deepEqual(await axe(page), [], 'rotation start');

    // A passphrase that does not open the current key is refused at the field.
    const pass = page.getByLabel('Your passphrase');
    await pass.fill('not the passphrase of this adviser');
    await page.getByRole('button', { name: 'Make a new key' }).click();
    await page.getByText('This passphrase does not open your current key.').waitFor({ timeout: 60000 });
    assert.equal(await pass.getAttribute('aria-invalid'), 'true');
    assert.match(await pass.getAttribute('aria-describedby'), /rotate-passphrase-error/);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'rotate-passphrase');
    assert.equal(psql(desk.db, `SELECT count(*) FROM account_keys WHERE account_id = '${rita.id}' AND state = 'pending'`), '0');

    await pass.fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Make a new key' }).click();
    await page.locator('#rotate-fingerprint').waitFor({ timeout: 60000 });
    const shown = (await page.locator('#rotate-fingerprint').textContent()).trim();
    await screenshot(page, 'rotate-pending-en');
    assert.deepEqual(await axe(page), [], 'rotation pending');

    // Not certified yet: the page finds no certificate for its new key, says so, sends nothing and keeps the key.
    await page.getByRole('button', { name: 'Re-encrypt cases' }).click();
    await page.getByText('Your new key is not certified yet.').waitFor();
    assert.equal(swaps.length, 0, 'nothing is swapped before the new key is certified');

    // The fingerprint the adviser reads out is the one the officer sees.
    const adaToken = (await login(desk.server, desk.db, ada)).token;
    const pending = (await call(desk.server, 'GET', '/api/v1/admin/certificates/pending', { token: adaToken })).body;
    const mine = pending.find((p) => p.id === rita.id);
    assert.equal(mine.fingerprint, shown);
    const newKey = hex(mine.encryption_public_key);
    assert.notEqual(newKey, oldKey);
    await certifyAll(desk.server, adaToken);

    await page.getByRole('button', { name: 'Re-encrypt cases' }).click();
    await page.getByText('Your key has been rotated. 3 cases have been re-encrypted.').waitFor({ timeout: 20000 });
    assert.equal(swaps.length, 1);
    await screenshot(page, 'rotate-done-en');
    assert.deepEqual(await axe(page), [], 'rotation done');

    // In the database: every wrap and note wrap of the adviser is for the new key, which is now current.
    const keysOf = psql(desk.db, `SELECT encode(public_key, 'hex') FROM key_wraps WHERE account_id = '${rita.id}'
      UNION ALL SELECT encode(public_key, 'hex') FROM note_wraps WHERE account_id = '${rita.id}'`).split('\n');
    assert.equal(keysOf.length, 4);
    assert.deepEqual([...new Set(keysOf)], [newKey]);
    assert.equal(psql(desk.db, `SELECT encode(encryption_public_key, 'hex') FROM account_keys
      WHERE account_id = '${rita.id}' AND state = 'current'`), newKey);

    // The page uses the new key at once: it opens the case with notes and writes a note (signed with the new key).
    await page.getByRole('button', { name: 'Cases', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Cases' }).waitFor();
    await page.getByRole('button', { name: 'Open case' }).first().waitFor();
    const opens = page.getByRole('button', { name: 'Open case' });
    assert.equal(await opens.count(), 3);
    for (let i = 0; i < 3; i++) {
      await page.getByRole('button', { name: 'Open case' }).nth(i).click();
      await page.getByText(sampleReport().what).waitFor({ timeout: 20000 });
      if (await page.getByText('There are no notes yet.').count()) {
        await page.getByRole('button', { name: 'Back to the cases' }).click();
        continue;
      }
      await page.getByLabel('New note').fill('Written after the key rotation.');
      await page.getByRole('button', { name: 'Save note' }).click();
      await page.getByText('The note has been saved.').waitFor();
      await page.getByText('Written after the key rotation.').waitFor();
      await page.getByRole('button', { name: 'Back to the cases' }).click();
    }
    assert.equal(psql(desk.db, `SELECT count(*) FROM notes`), '1');

    // Logging in again opens the new sealed key with the same passphrase.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByLabel('E-mailadres').waitFor();
    await signIn(page, desk.db, rita);
    await page.getByRole('button', { name: 'Open case' }).first().click();
    await page.getByText(sampleReport().what).waitFor({ timeout: 20000 });
    assert.equal(await page.getByText('This case could not be opened').count(), 0);
    assert.deepEqual(problems, []);
    await context.close();
  });
});

// A desk whose recovery key exists only as 5 shares (any 3 recover it), as in tests/api/recovery.test.mjs.
function splitDesk() {
  const shares = mkdtempSync(join(env.tmp, 'shares-'));
  const r = spawnSync(keysBinary(), ['recovery', 'new', '--shares', '5', '--threshold', '3', '--out', `${shares}/split`],
    { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const secrets = mkdtempSync(join(env.tmp, 'secrets-'));
  for (const f of readdirSync(env.secrets)) copyFileSync(join(env.secrets, f), join(secrets, f));
  copyFileSync(`${shares}/split/recovery_key.pub`, join(secrets, 'recovery_key.pub'));
  const deskPins = { ...pins(), recovery: readFileSync(`${shares}/split/recovery_key.pub`, 'utf8').trim() };
  return { dir: `${shares}/split`, secrets, deskPins };
}

describe('recovery in the browser', () => {
  let desk;
  let browser;
  let split;
  let anna;
  let cora;
  let nina;
  const cases = [];
  before(async () => {
    split = splitDesk();
    desk = await startDesk({ pins: split.deskPins, settings: { secrets_dir: split.secrets }, accounts: [
      { name: 'Anna Adviser', role: 'adviser', organisations: ['bzk'], topics: ['*'], passphrase: PASSPHRASE },
      { name: 'Cora Coordinator', role: 'coordinator', organisations: ['bzk'], topics: ['*'], passphrase: PASSPHRASE },
    ] });
    [anna, cora] = desk.people;
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await desk?.server.stop();
  });

  test('a coordinator exports two cases, the officers re-wrap offline, the import gives a new adviser access', async () => {
    for (let i = 0; i < 3; i++) {
      const s = await submitReport(desk.server, { deskPins: split.deskPins,
        report: sampleReport({ what: `Recovered report number ${i}` }) });
      assert.equal(s.res.status, 201);
      cases.push(s.res.body.case_id);
    }
    // Anna starts notes on the first case, so its notes key is recovered too; then she loses her passphrase.
    const s = await login(desk.server, desk.db, anna);
    const view0 = (await call(desk.server, 'GET', `/api/v1/adviser/cases/${cases[0]}`, { token: s.token })).body;
    const sign = mc.adviserSigningKeys(s.secretKey);
    const { N, body } = notesKeyBody(view0, split.deskPins, sign.signSecretKey);
    assert.equal((await call(desk.server, 'POST', `/api/v1/adviser/cases/${cases[0]}/note-wraps`, { token: s.token, body })).status, 204);
    const note = mc.encryptNote({ caseId: cases[0], adviserId: anna.id, prev: '', text: 'A note that survives recovery' }, N, sign.signSecretKey);
    assert.equal((await call(desk.server, 'POST', `/api/v1/adviser/cases/${cases[0]}/notes`,
      { token: s.token, body: { ciphertext: note.ciphertext, signature: note.signature } })).status, 201);
    [nina] = addAccounts(desk.db, [{ name: 'Nina New', role: 'adviser', organisations: ['bzk'], topics: ['*'], passphrase: PASSPHRASE }]);
    const chosen = cases.slice(0, 2);

    const { page, problems, context } = await watchedPage(browser, desk.server.url, { viewport: { width: 320, height: 640 } });
    await page.goto('/adviser.html');
    await ready(page);
    await signIn(page, desk.db, cora);
    await page.getByRole('button', { name: 'Recovery', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Recover access' }).waitFor();
    await page.getByRole('button', { name: 'Export', exact: true }).waitFor();
    assert.deepEqual(await axe(page), [], 'recovery view');
    assert.ok(await overflow(page) <= 0, 'nothing scrolls sideways at 320 px');

    // Nothing chosen: the errors name the fields.
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await page.getByText('Choose at least one case.').waitFor();
    assert.equal(await page.locator('#rec-cases').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'rec-cases');

    for (const id of chosen) await page.getByLabel(`Choose case ${caseRef(id)}`).check();
    await page.getByLabel('Adviser who receives access').selectOption(nina.id);
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await page.getByText('The export has been made: 2 cases.').waitFor();
    await screenshot(page, 'recovery-exported-320');
    assert.deepEqual(await axe(page), [], 'export made');
    assert.ok(await overflow(page) <= 0, 'nothing scrolls sideways at 320 px after the export');

    const work = mkdtempSync(join(env.tmp, 'e2e-rewrap-'));
    const save = async (name, file) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
      await download.saveAs(join(work, file));
      return download.suggestedFilename();
    };
    assert.match(await save('Download export file', 'export.json'), /^meldpunt-recovery-export-[A-Za-z0-9_-]{22}\.json$/);
    assert.equal(await save('Download the details of Nina New', 'nina.json'), `meldpunt-recovery-target-${nina.id}.json`);
    const exported = JSON.parse(readFileSync(join(work, 'export.json'), 'utf8'));
    assert.deepEqual(exported.cases.map((c) => c.case_id).sort(), [...chosen].sort());
    assert.ok(exported.cases.find((c) => c.case_id === cases[0]).recovery_note_wrap, 'the notes key is in the export');

    // The officers' offline round, on exactly the downloaded files.
    const r = spawnSync(keysBinary(), ['recovery', 'rewrap', '--share', `${split.dir}/share-1.json`,
      '--share', `${split.dir}/share-3.json`, '--share', `${split.dir}/share-5.json`,
      '--in', join(work, 'export.json'), '--to', join(work, 'nina.json'),
      '--cert-key', `${env.offline}/desk_certification_key.pub`, '--out', join(work, 'import.json')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const result = JSON.parse(readFileSync(join(work, 'import.json'), 'utf8'));
    assert.equal(result.adviser_id, nina.id);

    // A result for someone else's key is refused, and the error is tied to the file field.
    writeFileSync(join(work, 'wrong.json'), JSON.stringify({ ...result, adviser_id: anna.id }));
    const resultField = page.getByLabel('Result file from the recovery officers');
    await resultField.setInputFiles(join(work, 'wrong.json'));
    await page.getByText('Read: wrong.json').waitFor();
    await refused(problems, 409, async () => {
      await page.getByRole('button', { name: 'Import result' }).click();
      await page.getByText('This adviser\'s key has changed since the result was made.').waitFor();
    });
    assert.equal(await page.locator('#rec-result-file').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'rec-result-file');
    assert.deepEqual(await axe(page), [], 'import error');

    await page.getByLabel('Result file from the recovery officers').setInputFiles(join(work, 'import.json'));
    await page.getByText('Read: import.json').waitFor();
    await page.getByRole('button', { name: 'Import result' }).click();
    await page.getByText('Access has been recovered: Nina New can now open 2 cases.').waitFor();
    await screenshot(page, 'recovery-imported-320');
    assert.deepEqual(await axe(page), [], 'imported');
    assert.ok(await overflow(page) <= 0);
    assert.deepEqual(problems, []);
    await context.close();

    // The new adviser opens the recovered cases, with the notes, in the page.
    const nPage = await watchedPage(browser, desk.server.url);
    await nPage.page.goto('/adviser.html');
    await ready(nPage.page);
    await signIn(nPage.page, desk.db, nina);
    const opens = nPage.page.getByRole('button', { name: 'Open case' });
    await opens.first().waitFor();
    assert.equal(await opens.count(), 2);
    const seen = [];
    for (let i = 0; i < 2; i++) {
      await nPage.page.getByRole('button', { name: 'Open case' }).nth(i).click();
      const what = nPage.page.getByText(/^Recovered report number [0-2]$/);
      await what.waitFor({ timeout: 20000 });
      seen.push(await what.textContent());
      if (seen.at(-1).endsWith('0')) await nPage.page.getByText('A note that survives recovery').waitFor();
      await nPage.page.getByRole('button', { name: 'Back to the cases' }).click();
    }
    assert.deepEqual(seen.sort(), ['Recovered report number 0', 'Recovered report number 1']);
    assert.deepEqual(nPage.problems, []);
    await nPage.context.close();
  });
});
