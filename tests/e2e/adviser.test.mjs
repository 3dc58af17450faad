// adviser.test.mjs - the staff side in the browser, against SPEC section 4:
// an adviser logs in (passphrase + TOTP, key derivation with progress),
// finds the reporter's case in the inbox with its deadlines, reads the
// decrypted report, replies, closes it with a classification; the reporter
// comes back with the receipt and reads the reply; logout leaves the tab's
// storage empty. Enrolment from an invite link: the token leaves the
// address bar, a six-word passphrase is proposed, the TOTP secret is shown
// as a QR code, and the account waits for certification, which the test
// then imports.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { addAccounts, certSecretKey, mc, submitReport } from '../api/lib/fixtures.mjs';
import { startDesk, launch, watchedPage, ready, screenshot, axe } from './lib/browser.mjs';

// RFC 6238 TOTP (HMAC-SHA-1, 6 digits, 30 s) for the test's own accounts.
function totp(secret, offset = 0) {
  const step = Math.floor(Date.now() / 30000) + offset;
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const h = createHmac('sha1', Buffer.from(secret)).update(msg).digest();
  const o = h[h.length - 1] & 15;
  return String(((h.readUInt32BE(o) & 0x7fffffff) % 1000000)).padStart(6, '0');
}

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0; let value = 0; const out = [];
  for (const c of text.replace(/=+$/, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(c); bits += 5;
    if (bits >= 8) { out.push((value >>> (bits - 8)) & 255); bits -= 8; }
  }
  return Buffer.from(out);
}

const PASSPHRASE = 'correct horse battery staple meldpunt test';

describe('advisers in the browser', () => {
  let desk;
  let browser;
  let adviser;
  before(async () => {
    desk = await startDesk();
    browser = await launch();
    [adviser] = addAccounts(desk.db, [{ name: 'Eline Adviser', role: 'adviser', organisations: ['az'], topics: ['*'],
      passphrase: PASSPHRASE }]);
  });
  after(async () => {
    await browser?.close();
    await desk?.server.stop();
  });

  test('login, inbox with deadlines, read, reply, close; the reporter reads the reply; logout clears the tab', async () => {
    const { receipt } = await submitReport(desk.server, { organisation: 'az', topic: 'racism' });
    const { page, problems, context } = await watchedPage(browser, desk.server.url);
    await page.goto('/adviser.html');
    await ready(page);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByLabel('Email address').fill(adviser.email);
    await page.getByLabel('Passphrase').fill(PASSPHRASE);
    await page.getByLabel('Code from your authenticator app').fill(totp(adviser.totpSecret));
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.locator('progress').waitFor();
    await page.getByRole('heading', { name: 'Cases' }).waitFor({ timeout: 60000 });
    await page.getByRole('button', { name: 'Open case' }).first().waitFor();
    await screenshot(page, 'adviser-inbox-en');
    assert.deepEqual(await axe(page), []);
    await page.getByRole('button', { name: 'Open case' }).first().click();
    await page.getByText('A colleague made remarks about my origin in a meeting.').waitFor({ timeout: 20000 });
    await page.getByLabel('Reply to the reporter').fill('Thank you. Shall we talk on Tuesday?');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.getByText('Your reply has been sent.').waitFor();
    await page.getByLabel('Status').first().selectOption('closed');
    await page.getByLabel('Category').selectOption('racism');
    await page.getByLabel('Origin or race').check();
    await page.getByLabel('Primary ground').selectOption('origin_race');
    await page.getByLabel('Outcome').selectOption('advice');
    await page.getByRole('button', { name: 'Save status' }).click();
    await page.getByText('The status has been saved.').waitFor();
    await screenshot(page, 'adviser-case-en');
    assert.deepEqual(await axe(page), []);
    await page.getByRole('button', { name: 'Log out' }).click();
    // Logout reloads the page, which forgets the language choice too (Dutch again).
    await page.getByLabel('E-mailadres').waitFor();
    const storage = await page.evaluate(async () => ({ local: localStorage.length, session: sessionStorage.length,
      idb: (await indexedDB.databases()).length }));
    assert.deepEqual(storage, { local: 0, session: 0, idb: 0 });

    await page.goto('/followup.html');
    await ready(page);
    await page.getByLabel('Ontvangstcode').fill(receipt);
    await page.getByRole('button', { name: 'Melding openen' }).click();
    await page.getByText('Thank you. Shall we talk on Tuesday?').waitFor({ timeout: 20000 });
    assert.ok(await page.getByText('Afgesloten', { exact: true }).isVisible());
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('enrolment from an invite link, waiting for certification, then certified', async () => {
    const [admin] = addAccounts(desk.db, [{ name: 'Ada Admin', role: 'admin', passphrase: PASSPHRASE }]);
    const api = async (method, path, body, token) => {
      const res = await fetch(`${desk.server.url}${path}`, { method, headers: { connection: 'close', 'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body ? JSON.stringify(body) : undefined });
      assert.ok(res.ok, `${method} ${path}: ${res.status}`);
      return res.status === 204 ? null : res.json();
    };
    const pre = await api('POST', '/api/v1/adviser/prelogin', { email: admin.email });
    const { authKey } = mc.derivePassphraseKeys(PASSPHRASE, pre.salt, pre.opslimit, pre.memlimit);
    const { token } = await api('POST', '/api/v1/adviser/session', { email: admin.email, auth_key: mc.toB64(authKey), totp: totp(admin.totpSecret) });
    const invite = await api('POST', '/api/v1/admin/accounts', { email: 'new.adviser@example.nl', name: 'Nina Nieuw',
      role: 'adviser', organisations: ['bzk'], topics: ['racism'] }, token);

    const { page, problems, context } = await watchedPage(browser, desk.server.url);
    await page.goto(`/enrol.html#invite=${invite.invite_token}`);
    await ready(page);
    assert.ok(!page.url().includes('#'), 'the invite token is removed from the address bar');
    const proposed = (await page.locator('#proposed').textContent()).trim();
    assert.equal(proposed.split(' ').length, 6);
    // Six words from the curated Dutch list (frontend/src/data/README.md).
    const dutch = new Set(JSON.parse(readFileSync(new URL('../../frontend/src/data/wordlist-nl.json', import.meta.url), 'utf8')));
    for (const word of proposed.split(' ')) assert.ok(dutch.has(word), `${word} is from the Dutch list`);
    await page.getByLabel('Ik heb deze wachtzin opgeschreven').check();
    await page.getByRole('button', { name: 'Sleutels aanmaken' }).click();
    await page.locator('svg.mp-qr').waitFor({ timeout: 60000 });
    await screenshot(page, 'enrol-totp-nl');
    // The secret in groups of four characters, which authenticator apps take with the spaces.
    const shownSecret = (await page.locator('#totp-secret').textContent()).trim();
    assert.match(shownSecret, /^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/);
    assert.ok(shownSecret.split(' ').slice(0, -1).every((g) => g.length === 4));
    const secret = base32Decode(shownSecret.replace(/ /g, ''));
    await page.getByLabel('Code uit de authenticator-app').fill(totp(secret));
    await page.getByRole('button', { name: 'Code bevestigen' }).click();
    await page.getByRole('heading', { name: 'Wacht op certificering' }).waitFor();
    await screenshot(page, 'enrol-waiting-nl');
    assert.deepEqual(await axe(page), []);

    // The offline officer certifies what the pending list shows; the admin imports it.
    const pending = await api('GET', '/api/v1/admin/certificates/pending', undefined, token);
    const p = pending.find((x) => x.id === invite.id);
    assert.ok(p, 'the invitee\'s certificate request is pending');
    assert.equal(p.fingerprint, (await page.locator('#fingerprint').textContent()).trim());
    const notAfter = new Date(Date.now() + 365 * 86400000).toISOString().slice(0, 10);
    const certificate = mc.signCertificate({ id: p.id, name: p.name, role: p.role, organisations: p.scope.organisations,
      topics: p.scope.topics, notAfter, encryptionPublicKey: p.encryption_public_key, signPublicKey: p.sign_public_key }, certSecretKey());
    await api('PUT', `/api/v1/admin/accounts/${p.id}/certificate`, { not_after: notAfter, certificate: mc.toB64(certificate) }, token);
    const routing = await api('GET', '/api/v1/routing?organisation=bzk&topic=racism');
    assert.ok(routing.advisers.some((a) => a.name === 'Nina Nieuw'));
    assert.deepEqual(problems, []);
    await context.close();
  });
});
