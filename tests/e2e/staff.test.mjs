// staff.test.mjs - the staff pages as a busy adviser and an administrator
// meet them (issue #15, items 6-10): the inbox names every case by its
// reference, searches by reference, filters by status and organisation,
// sorts by deadline, date or unread, and marks unread cases; the case view
// says the reporter's language and the month in words, and the close-case
// form points each error at its field (aria-describedby, focus on the first
// bad field) and offers the primary ground among the ticked grounds only;
// tables break between words, never inside one, at 360 px too. The admin
// page picks organisations and topics from lists with errors at the
// fields, asks before deactivating and retiring, copies the invite link,
// and shows certificates only for roles that hold keys. The desk's contact
// information, configured, is in GET /api/v1/desk, in every footer and on
// the privacy statement. axe-core finds nothing throughout.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { psql } from '../api/lib/harness.mjs';
import { addAccounts, call, mc, reporterLogin, sampleReport, submitReport } from '../api/lib/fixtures.mjs';
import { freshCode, login } from '../api/lib/accounts.mjs';
import { join } from 'node:path';
import { startDesk, launch, watchedPage, ready, screenshot, axe, SHOTS } from './lib/browser.mjs';

const PASSPHRASE = 'staff pages passphrase for the e2e tests';
const CONTACT = { email: 'meldpunt@example.nl', phone: '+31 70 123 45 67', url: 'https://www.example.nl/meldpunt' };

// The reference a page shows for a case id (ui/case.js caseRef), computed independently.
function ref(caseId) {
  const hex = Buffer.from(caseId, 'base64url').subarray(0, 4).toString('hex').toUpperCase();
  return `${hex.slice(0, 4)}-${hex.slice(4)}`;
}

const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

// Every word (or part of a hyphenated one) in `selector` lies on one line: no word is broken inside.
function brokenWords(page, selector) {
  return page.locator(selector).evaluate((table) => {
    const broken = [];
    const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent;
      // A line may end after a hyphen ("e-|mailadres"); inside a part, never.
      for (const m of text.matchAll(/[^\s\-\u2010]+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (tops.size > 1) broken.push(m[0]);
      }
    }
    return broken;
  });
}

async function signIn(page, account, db) {
  await page.getByLabel('E-mailadres').fill(account.email);
  await page.getByLabel('Wachtzin').fill(PASSPHRASE);
  await page.getByLabel('Code uit de authenticator-app').fill(freshCode(db, account));
  await page.getByRole('button', { name: 'Inloggen' }).click();
}

// The reporter of a case adds a message (so the case has one unread).
async function reporterWrites(server, receipt, keys, caseId, text) {
  const rep = await reporterLogin(server, receipt);
  const view = (await call(server, 'GET', '/api/v1/reporter/case', { token: rep.token })).body;
  const K = mc.openWrap(mc.fromB64(view.wrap.wrap), keys.boxPublicKey, keys.boxSecretKey);
  const m = mc.encryptMessage({ caseId, author: 'reporter', prev: '', text }, mc.caseSubkeys(K).msg, keys.signSecretKey);
  const res = await call(server, 'POST', '/api/v1/reporter/case/messages', { token: rep.token,
    body: { ciphertext: m.ciphertext, signature: m.signature } });
  assert.equal(res.status, 201);
}

describe('the staff pages', () => {
  let desk;
  let browser;
  let eline;
  let admin;
  let inviteLink = null; // the invite the admin test makes, for the enrolment test
  const cases = {};
  before(async () => {
    desk = await startDesk({ settings: { contact_email: CONTACT.email, contact_phone: CONTACT.phone, contact_url: CONTACT.url } });
    browser = await launch();
    [eline, admin] = addAccounts(desk.db, [
      { name: 'Eline Adviser', role: 'adviser', organisations: ['bzk', 'fin'], topics: ['*'], passphrase: PASSPHRASE },
      { name: 'Ada Admin', role: 'admin', organisations: [], topics: [], passphrase: PASSPHRASE }]);
    // Three cases: an English one, a Dutch one at Finance with a message
    // from the reporter, and one received ten days ago (acknowledgement overdue).
    const a = await submitReport(desk.server, { organisation: 'bzk', topic: 'racism' });
    const b = await submitReport(desk.server, { organisation: 'fin', topic: 'racism',
      report: sampleReport({ lang: 'nl', what: 'Een collega maakte opmerkingen over mijn afkomst.', when: '2026-03' }) });
    const c = await submitReport(desk.server, { organisation: 'bzk', topic: 'racism' });
    for (const x of [a, b, c]) assert.equal(x.res.status, 201, JSON.stringify(x.res.body));
    Object.assign(cases, { a: a.res.body.case_id, b: b.res.body.case_id, c: c.res.body.case_id });
    await reporterWrites(desk.server, b.receipt, b.keys, cases.b, 'Er is nog iets gebeurd.');
    const hex = (id) => Buffer.from(id, 'base64url').toString('hex');
    psql(desk.db, `UPDATE cases SET received_on = current_date - 10 WHERE id = '\\x${hex(cases.c)}';
      UPDATE cases SET received_on = current_date - 1, status = 'in_progress' WHERE id = '\\x${hex(cases.a)}';`);
  });
  after(async () => {
    await browser?.close();
    await desk?.server.stop();
  });

  test('the inbox: references, search, filters, order, unread; the case view and the close-case form', async () => {
    const { page, problems, context } = await watchedPage(browser, desk.server.url, { viewport: { width: 1280, height: 900 } });
    await page.goto('/adviser.html');
    await ready(page);
    await signIn(page, eline, desk.db);
    await page.getByRole('heading', { level: 1, name: 'Meldingen' }).waitFor({ timeout: 60000 });
    await page.locator('#inbox-table').waitFor();
    const refs = () => page.locator('#inbox-table tbody tr td:first-child').evaluateAll((tds) =>
      tds.map((td) => td.querySelector('button')?.lastChild.textContent ?? td.textContent));

    // Every case by its reference; nearest deadline first (the overdue one).
    assert.deepEqual((await refs()).sort(), [ref(cases.a), ref(cases.b), ref(cases.c)].sort());
    assert.equal((await refs())[0], ref(cases.c), 'the overdue case comes first');
    assert.equal(await page.locator('#inbox-count').textContent(), '3 van 3 meldingen getoond.');
    assert.equal(await page.locator('.mp-notice--warning').filter({ hasText: 'over de termijn' }).textContent(),
      '1 melding is over de termijn.', 'singular');
    // Unread: the Dutch case has the reporter's message, highlighted.
    const rowB = page.locator(`#inbox-table tr[data-case="${ref(cases.b)}"]`);
    assert.match(await rowB.getAttribute('class'), /mp-row--unread/);
    assert.equal(await rowB.locator('.mp-tag--unread').textContent(), '1 nieuw bericht');
    const rowA = page.locator(`#inbox-table tr[data-case="${ref(cases.a)}"]`);
    assert.equal(await rowA.getAttribute('class'), null);
    assert.ok((await rowA.textContent()).includes('geen'));
    // The reference opens the case; its name says so.
    assert.equal(await page.getByRole('button', { name: `Melding openen ${ref(cases.b)}` }).count(), 1);
    // Both deadlines, the overdue one flagged.
    assert.equal(await page.locator(`#inbox-table tr[data-case="${ref(cases.c)}"] td`).nth(4).locator('.mp-tag--overdue').textContent(), 'te laat');
    assert.match(await page.locator(`#inbox-table tr[data-case="${ref(cases.a)}"] td`).nth(4).textContent(), /^Bevestigen: gedaanTerugkoppelen: \d/);
    await screenshot(page, 'adviser-inbox-nl');
    assert.deepEqual(await axe(page), [], 'inbox');

    // Search by reference: its beginning, any case, with or without the dash.
    const search = page.getByLabel('Zoeken op kenmerk');
    await search.fill(ref(cases.b).slice(0, 4).toLowerCase());
    assert.ok((await refs()).includes(ref(cases.b)));
    assert.ok((await refs()).every((r) => r.startsWith(ref(cases.b).slice(0, 4))));
    await search.fill(ref(cases.a).replace('-', ' '));
    assert.deepEqual(await refs(), [ref(cases.a)]);
    assert.equal(await page.locator('#inbox-count').textContent(), '1 van 3 meldingen getoond.');
    assert.equal(await search.evaluate((el) => el === document.activeElement), true, 'the search keeps focus');
    // A beginning no reference has, and text that is no reference at all, find nothing.
    const firsts = new Set([cases.a, cases.b, cases.c].map((id) => ref(id)[0]));
    await search.fill(`${[...'0123456789ABCDEF'].find((d) => !firsts.has(d))}0`);
    await page.getByText('Geen meldingen passen bij deze zoekopdracht en filters.').waitFor();
    await search.fill('ZZZZ-ZZZZ');
    await page.getByText('Geen meldingen passen bij deze zoekopdracht en filters.').waitFor();
    assert.equal(await page.locator('#inbox-count').textContent(), '0 van 3 meldingen getoond.');
    await search.fill('');

    // Filter by organisation and by status; order by received date and by unread.
    await page.getByLabel('Organisatie', { exact: true }).selectOption('fin');
    assert.deepEqual(await refs(), [ref(cases.b)]);
    await page.getByLabel('Organisatie', { exact: true }).selectOption('');
    await page.getByLabel('Status', { exact: true }).selectOption('in_progress');
    assert.deepEqual(await refs(), [ref(cases.a)]);
    await page.getByLabel('Status', { exact: true }).selectOption('');
    await page.getByLabel('Volgorde').selectOption('received');
    assert.equal((await refs()).at(-1), ref(cases.c), 'the oldest case last');
    assert.equal((await refs())[0], ref(cases.b), 'received today, newest first');
    await page.getByLabel('Volgorde').selectOption('unread');
    assert.equal((await refs())[0], ref(cases.b));
    await page.getByLabel('Alleen met ongelezen berichten').check();
    assert.deepEqual(await refs(), [ref(cases.b)]);
    await page.getByLabel('Alleen met ongelezen berichten').uncheck();
    assert.equal((await refs()).length, 3);

    // The case view: reference in the heading, language and month in words.
    await page.getByRole('button', { name: `Melding openen ${ref(cases.b)}` }).click();
    await page.getByRole('heading', { level: 1, name: `Melding ${ref(cases.b)}` }).waitFor();
    await page.getByText('Een collega maakte opmerkingen over mijn afkomst.').waitFor({ timeout: 20000 });
    assert.equal(await page.locator('#case-lang').textContent(), 'Taal van de melder: Nederlands');
    const facts = await page.locator('dl.mp-dl').nth(1).evaluate((dl) => Object.fromEntries(
      [...dl.querySelectorAll('dt')].map((dt) => [dt.textContent, dt.nextElementSibling.textContent])));
    assert.equal(facts['Wanneer was het?'], 'maart 2026');
    assert.equal(facts['Taal van de melder'], 'Nederlands');
    assert.equal(facts['Uitgesloten door de melder'], 'niemand');
    assert.ok(!Object.values(facts).some((v) => /^(null|undefined|-|—)$/.test(v.trim())), JSON.stringify(facts));

    // Closing without the facts: each error at its field, focus on the first.
    await page.getByLabel('Status', { exact: true }).selectOption('closed');
    await page.getByRole('button', { name: 'Status opslaan' }).click();
    const category = page.locator('#category');
    await page.locator('#category[aria-invalid="true"]').waitFor();
    assert.equal(await category.evaluate((el) => el === document.activeElement), true, 'focus on the first bad field');
    assert.match(await category.getAttribute('aria-describedby'), /category-error/);
    assert.equal(await page.locator('#category-error').textContent(), 'Fout: Kies een categorie om de melding af te sluiten.');
    assert.equal(await page.locator('#outcome').getAttribute('aria-invalid'), 'true');
    assert.match(await page.locator('#outcome').getAttribute('aria-describedby'), /outcome-error/);
    assert.deepEqual(await axe(page), [], 'with the errors');
    await category.selectOption('racism');
    await page.getByRole('button', { name: 'Status opslaan' }).click();
    // Racism needs a ground: the fieldset says so and its first box has focus.
    await page.locator('#grounds[aria-invalid="true"]').waitFor();
    assert.match(await page.locator('#grounds').getAttribute('aria-describedby'), /grounds-error/);
    assert.equal(await page.locator('#grounds-0').evaluate((el) => el === document.activeElement), true);
    assert.equal(await page.locator('#primary-ground').isDisabled(), true, 'no primary ground before a ground is ticked');
    // The primary ground is chosen among the ticked grounds only.
    await page.getByLabel('Herkomst of ras').check();
    await page.getByLabel('Godsdienst of levensovertuiging').check();
    const primaryOptions = await page.locator('#primary-ground option').evaluateAll((os) => os.map((o) => o.value));
    assert.deepEqual(primaryOptions, ['', 'origin_race', 'religion_belief']);
    await page.getByLabel('Belangrijkste grond').selectOption('religion_belief');
    await page.getByLabel('Godsdienst of levensovertuiging').uncheck();
    assert.deepEqual(await page.locator('#primary-ground option').evaluateAll((os) => os.map((o) => o.value)), ['', 'origin_race']);
    assert.equal(await page.locator('#primary-ground').inputValue(), '', 'an unticked primary ground is dropped');
    await page.getByLabel('Belangrijkste grond').selectOption('origin_race');
    await page.getByLabel('Uitkomst').selectOption('advice');
    await page.getByRole('button', { name: 'Status opslaan' }).click();
    await page.getByText('De status is opgeslagen.').waitFor();
    await screenshot(page, 'adviser-case-nl');
    const { token } = await login(desk.server, desk.db, eline);
    const saved = (await call(desk.server, 'GET', `/api/v1/adviser/cases/${cases.b}`, { token })).body;
    assert.equal(saved.status, 'closed');
    assert.deepEqual(saved.classification, { category: 'racism', grounds: ['origin_race'], primary_ground: 'origin_race', outcome: 'advice' });
    assert.deepEqual(await axe(page), [], 'case view');
    // Once closed, the status block says the deadlines are met instead of showing them.
    const block = await page.locator('#case-deadlines').textContent();
    assert.match(block, /Bevestiging uiterlijkbevestigd/);
    assert.match(block, /Terugkoppeling uiterlijkniet meer nodig: de melding is afgesloten/);

    // English: the language name in English.
    await page.getByRole('button', { name: 'English' }).click();
    assert.equal(await page.locator('#case-lang').textContent(), 'Reporter\'s language: Dutch');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('at 360 px the inbox scrolls in its own region and breaks no word inside', async () => {
    const { page, problems, context } = await watchedPage(browser, desk.server.url, { viewport: { width: 360, height: 780 } });
    await page.goto('/adviser.html');
    await ready(page);
    await signIn(page, eline, desk.db);
    await page.locator('#inbox-table').waitFor({ timeout: 60000 });
    assert.ok(await overflow(page) <= 0, `the page overflows by ${await overflow(page)}px`);
    assert.deepEqual(await brokenWords(page, '#inbox-table'), []);
    await screenshot(page, 'adviser-inbox-360');
    assert.deepEqual(await axe(page), [], '360 px');
    await page.getByRole('button', { name: `Melding openen ${ref(cases.c)}` }).click();
    await page.getByRole('heading', { level: 1, name: `Melding ${ref(cases.c)}` }).waitFor();
    await page.getByText('A colleague made remarks about my origin in a meeting.').waitFor({ timeout: 20000 });
    assert.equal(await page.locator('#case-lang').textContent(), 'Taal van de melder: Engels');
    assert.ok(await overflow(page) <= 0, `the case overflows by ${await overflow(page)}px`);
    await screenshot(page, 'adviser-case-360');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('admin: pickers with errors at the fields, certificates for key roles, copy, confirmations', async () => {
    const { page, problems, context } = await watchedPage(browser, desk.server.url, { viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-write']);
    // The desk's Permissions-Policy denies reading the clipboard, so the
    // test records what the page writes to it.
    await page.addInitScript(() => {
      const write = navigator.clipboard.writeText.bind(navigator.clipboard);
      navigator.clipboard.writeText = (text) => { window.copiedText = text; return write(text); };
    });
    await page.goto('/admin.html');
    await ready(page);
    await signIn(page, admin, desk.db);
    await page.getByRole('heading', { level: 1, name: 'Beheer' }).waitFor({ timeout: 60000 });
    await page.locator('#accounts').waitFor();
    const certOf = async (name) => page.locator('#accounts tbody tr').filter({ hasText: name }).locator('td').nth(4).textContent();
    assert.equal(await certOf('Ada Admin'), 'niet nodig voor deze rol');
    assert.match(await certOf('Eline Adviser'), /^geldig tot \d{1,2} [a-z]+ \d{4}$/);
    // No "deactivate" on one's own row: another administrator does that.
    const own = page.locator('#accounts tbody tr').filter({ hasText: 'Ada Admin' });
    assert.equal(await own.getByRole('button', { name: 'Ada Admin deactiveren' }).count(), 0);
    assert.equal(await own.locator('#own-account').textContent(), 'Uw eigen account: een andere beheerder kan het deactiveren.');
    assert.equal(await page.getByRole('button', { name: 'Eline Adviser deactiveren' }).count(), 1);
    // Scopes in words, not codes.
    assert.match(await page.locator('#accounts tbody tr').filter({ hasText: 'Eline Adviser' }).locator('td').nth(2).textContent(),
      /Ministerie van Binnenlandse Zaken en Koninkrijksrelaties, Ministerie van Financiën\s*Alle onderwerpen/);

    // An empty form: the errors at their fields, focus on the first.
    await page.getByRole('button', { name: 'Account aanmaken' }).click();
    await page.locator('#acc-email[aria-invalid="true"]').waitFor();
    assert.equal(await page.locator('#acc-email').evaluate((el) => el === document.activeElement), true);
    assert.equal(await page.locator('#acc-name').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('#acc-orgs').getAttribute('aria-invalid'), 'true');
    assert.match(await page.locator('#acc-orgs').getAttribute('aria-describedby'), /acc-orgs-error/);
    assert.equal(await page.locator('#acc-topics').getAttribute('aria-invalid'), 'true');
    assert.deepEqual(await axe(page), [], 'with the errors');
    // Organisations and topics picked from lists; "all" turns the list off.
    await page.getByLabel('E-mailadres').fill('nieuwe.collega@example.nl');
    await page.getByLabel('Naam', { exact: true }).fill('Nora Nieuw');
    await page.locator('#acc-orgs').getByLabel('Ministerie van Financiën').check();
    await page.locator('#acc-orgs').getByLabel('Ministerie van Defensie').check();
    await page.locator('#acc-topics').getByLabel('Alle onderwerpen').check();
    assert.equal(await page.locator('#acc-topics input:disabled').count() > 0, true, 'single topics off under "all"');
    await page.getByRole('button', { name: 'Account aanmaken' }).click();
    await page.getByText('Het account is aangemaakt.').waitFor();
    const link = (await page.locator('#invite-link').textContent()).trim();
    assert.match(link, /\/enrol\.html#invite=[A-Za-z0-9_-]+$/);
    inviteLink = link;
    await page.getByRole('button', { name: 'Link kopiëren' }).click();
    await page.getByText('De link is gekopieerd.').waitFor();
    assert.equal(await page.evaluate(() => window.copiedText), link);
    await screenshot(page, 'admin-accounts-nl');
    // The README's picture: the invite with its copy button, and the pickers below.
    await page.locator('#invite-link').scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollBy(0, document.querySelector('.mp-notice--ok:has(#invite-link)').getBoundingClientRect().top - 24));
    await page.screenshot({ path: join(SHOTS, 'admin-accounts-readme.png') });
    const { token } = await login(desk.server, desk.db, admin);
    const accounts = (await call(desk.server, 'GET', '/api/v1/admin/accounts?limit=200', { token })).body.accounts;
    const nora = accounts.find((x) => x.name === 'Nora Nieuw');
    assert.deepEqual(nora.scope, { organisations: ['def', 'fin'], topics: '*' });
    // Roles without keys have no scope to pick.
    await page.getByLabel('Rol', { exact: true }).selectOption('analyst');
    assert.equal(await page.locator('#acc-orgs').count(), 0);
    await page.getByLabel('Rol', { exact: true }).selectOption('adviser');

    // Deactivating asks first; Cancel changes nothing and returns focus.
    const deactivate = page.getByRole('button', { name: 'Anna Adviser deactiveren' });
    await deactivate.click();
    const question = page.getByRole('alertdialog', { name: 'Anna Adviser deactiveren?' });
    await question.waitFor();
    assert.equal(await question.evaluate((el) => el === document.activeElement), true);
    assert.match(await question.textContent(), /kan niet ongedaan worden gemaakt/);
    await screenshot(page, 'admin-confirm-nl');
    assert.deepEqual(await axe(page), [], 'with the question');
    await question.getByRole('button', { name: 'Annuleren' }).click();
    assert.equal(await deactivate.evaluate((el) => el === document.activeElement), true);
    const status = async () => (await call(desk.server, 'GET', '/api/v1/admin/accounts?limit=200', { token }))
      .body.accounts.find((x) => x.name === 'Anna Adviser').status;
    assert.equal(await status(), 'active');
    await deactivate.click();
    await page.getByRole('button', { name: 'Ja, Anna Adviser deactiveren' }).click();
    await page.getByText('Het account is gedeactiveerd.').waitFor();
    assert.equal(await status(), 'deactivated');
    assert.equal(await page.locator('#accounts tbody tr').filter({ hasText: 'Anna Adviser' }).locator('td').nth(3).textContent(), 'gedeactiveerd');

    // Organisations: field errors, and retiring asks first.
    await page.getByRole('button', { name: 'Organisaties' }).click();
    await page.getByRole('button', { name: 'Toevoegen' }).waitFor();
    await page.getByLabel('Code', { exact: true }).fill('BZK!');
    await page.getByRole('button', { name: 'Toevoegen' }).click();
    await page.locator('#organisations-id[aria-invalid="true"]').waitFor();
    assert.equal(await page.locator('#organisations-id').evaluate((el) => el === document.activeElement), true);
    for (const id of ['organisations-nl', 'organisations-en', 'organisations-headcount'])
      assert.equal(await page.locator(`#${id}`).getAttribute('aria-invalid'), 'true', id);
    await page.getByRole('button', { name: 'Ministerie van Algemene Zaken buiten gebruik stellen' }).click();
    await page.getByRole('alertdialog', { name: 'Ministerie van Algemene Zaken buiten gebruik stellen?' }).waitFor();
    await page.getByRole('button', { name: 'Annuleren' }).click();
    assert.ok((await call(desk.server, 'GET', '/api/v1/desk')).body.organisations.some((o) => o.id === 'az'), 'still active');
    assert.deepEqual(await axe(page), [], 'organisations');
    await screenshot(page, 'admin-organisations-nl');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('the admin page at 360 px', async () => {
    const { page, problems, context } = await watchedPage(browser, desk.server.url, { viewport: { width: 360, height: 780 } });
    await page.goto('/admin.html');
    await ready(page);
    await signIn(page, admin, desk.db);
    await page.locator('#accounts').waitFor({ timeout: 60000 });
    assert.ok(await overflow(page) <= 0, `the page overflows by ${await overflow(page)}px`);
    assert.deepEqual(await brokenWords(page, '#accounts thead'), []);
    await screenshot(page, 'admin-accounts-360');
    assert.deepEqual(await axe(page), []);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('enrolment at 360 px: Dutch words proposed, the TOTP secret in groups of four', async () => {
    assert.ok(inviteLink, 'the admin test made an invite');
    const { page, problems, context } = await watchedPage(browser, desk.server.url, { viewport: { width: 360, height: 780 } });
    await page.goto(new URL(inviteLink).pathname + new URL(inviteLink).hash);
    await ready(page);
    const proposed = (await page.locator('#proposed').textContent()).trim().split(' ');
    assert.equal(proposed.length, 6);
    for (const w of proposed) assert.match(w, /^[a-z]{5,8}$/);
    assert.match(await page.getByText('willekeurig gekozen uit 7776 Nederlandse woorden').textContent(), /Nederlandse/);
    assert.ok(await overflow(page) <= 0, `the page overflows by ${await overflow(page)}px`);
    await screenshot(page, 'enrol-passphrase-360');
    assert.deepEqual(await axe(page), []);
    await page.getByLabel('Ik heb deze wachtzin opgeschreven').check();
    await page.getByRole('button', { name: 'Sleutels aanmaken' }).click();
    await page.locator('svg.mp-qr').waitFor({ timeout: 60000 });
    const secret = (await page.locator('#totp-secret').textContent()).trim();
    assert.match(secret, /^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/);
    assert.match(await page.locator('#totp-secret').getAttribute('aria-describedby'), /totp-secret-hint/);
    assert.ok(await overflow(page) <= 0, `the page overflows by ${await overflow(page)}px`);
    await screenshot(page, 'enrol-totp-360');
    assert.deepEqual(await axe(page), []);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('the desk\'s contact information: in GET /api/v1/desk, every footer and the privacy statement', async () => {
    const deskInfo = (await call(desk.server, 'GET', '/api/v1/desk')).body;
    assert.deepEqual(deskInfo.contact, CONTACT);
    const { page, problems, context } = await watchedPage(browser, desk.server.url);
    for (const path of ['/', '/report.html', '/followup.html', '/adviser.html', '/admin.html', '/stats.html', '/enrol.html',
      '/accessibility.html', '/privacy.html']) {
      await page.goto(path);
      await ready(page);
      const footer = page.locator('#mp-footer-contact');
      await footer.waitFor();
      assert.equal(await footer.getByRole('link', { name: CONTACT.email }).getAttribute('href'), `mailto:${CONTACT.email}`, path);
      assert.equal(await footer.getByRole('link', { name: CONTACT.phone }).getAttribute('href'), 'tel:+31701234567', path);
      assert.equal(await footer.getByRole('link', { name: CONTACT.url }).getAttribute('href'), CONTACT.url, path);
    }
    // The privacy statement (the page we are on) has a section of its own.
    await page.getByRole('heading', { level: 2, name: 'Contact' }).waitFor();
    assert.equal(await page.locator('#statement-contact a').count(), 3);
    await screenshot(page, 'privacy-contact-nl');
    assert.deepEqual(await axe(page), []);
    assert.deepEqual(problems, []);
    await context.close();
  });
});
