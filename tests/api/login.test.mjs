// login.test.mjs - adviser login (issue 4): prelogin, one 401 for every
// failure, TOTP steps used once, failure counters and 429, logout, idle and
// absolute timeouts, deactivation, passphrase and TOTP changes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { env, psql } from './lib/harness.mjs';
import { call, mc, newDesk } from './lib/fixtures.mjs';
import { freshCode, login, MEM, OPS, passphraseKeys } from './lib/accounts.mjs';
import { currentStep, secretFromUri, totpCode } from './lib/totp.mjs';

const person = (name, role = 'adviser') => ({ name, role, organisations: role === 'admin' ? [] : ['bzk'],
  topics: role === 'admin' ? [] : ['*'], passphrase: `${name.toLowerCase()} test passphrase` });

describe('adviser login', () => {
  let desk; let p;
  before(async () => {
    desk = await newDesk({ accounts: [person('Gina'), person('Hugo'), person('Iris'), person('Joop'),
      person('Kees'), person('Lena'), person('Mira', 'admin'), person('Nora'), person('Otto')] });
    p = Object.fromEntries(desk.people.map((a) => [a.name.split(' ')[0].toLowerCase(), a]));
  });
  after(async () => { await desk.server.stop(); });

  const attempt = (email, authKey, totp) => call(desk.server, 'POST', '/api/v1/adviser/session',
    { body: { email, auth_key: mc.toB64(authKey), totp } });

  test('prelogin: the account salt, case-insensitive; a stable stand-in for unknown emails', async () => {
    const known = await call(desk.server, 'POST', '/api/v1/adviser/prelogin', { body: { email: p.gina.email.toUpperCase() } });
    assert.equal(known.status, 200);
    assert.deepEqual(known.body, { salt: mc.toB64(p.gina.salt), opslimit: OPS, memlimit: MEM });
    const email = 'nobody.at.all@example.nl';
    const unknown = await call(desk.server, 'POST', '/api/v1/adviser/prelogin', { body: { email } });
    const preloginKey = mc.fromB64(readFileSync(`${env.secrets}/prelogin_key`, 'utf8').trim());
    assert.deepEqual(unknown.body, { salt: mc.toB64(mc.preloginFakeSalt(email, preloginKey)), opslimit: OPS, memlimit: MEM });
    const twice = await call(desk.server, 'POST', '/api/v1/adviser/prelogin', { body: { email: 'Nobody.At.All@example.nl' } });
    assert.deepEqual(twice.body, unknown.body);
  });

  test('unknown email, wrong key, wrong TOTP and a reused TOTP step fail alike', async () => {
    const { authKey } = await passphraseKeys(desk.server, p.gina);
    const good = await login(desk.server, desk.db, p.gina);
    assert.equal(good.res.status, 200);
    const usedStep = Number(psql(desk.db, `SELECT totp_last_step FROM accounts WHERE id = '${p.gina.id}'`));
    const failures = [
      await attempt('nobody@example.nl', authKey, totpCode(p.gina.totpSecret)),
      await attempt(p.gina.email, new Uint8Array(32), freshCode(desk.db, p.gina)),
      await attempt(p.gina.email, authKey, totpCode(p.gina.totpSecret, currentStep() - 5)),
      await attempt(p.gina.email, authKey, totpCode(p.gina.totpSecret, usedStep)),
    ];
    const bodies = failures.map((f) => JSON.stringify(f.body));
    for (const f of failures) assert.equal(f.status, 401);
    assert.equal(new Set(bodies).size, 1, bodies.join('\n'));
    assert.deepEqual(failures[0].body, { error: { code: 'unauthorized', message: failures[0].body.error.message } });
    // Failures are audited without addresses; the counter of the email grew.
    assert.ok(Number(psql(desk.db, "SELECT count(*) FROM audit_log WHERE convert_from(entry, 'UTF8') LIKE '%login_failed%'")) >= 4);
    assert.equal(psql(desk.db, "SELECT count(*) FROM audit_log WHERE convert_from(entry, 'UTF8') LIKE '%127.0.0.1%'"), '0');
  });

  test('the sixth failure from one client in 15 minutes gives 429 even with the right credentials', async () => {
    const { authKey } = await passphraseKeys(desk.server, p.hugo);
    for (let i = 0; i < 5; i++) {
      const r = await attempt(p.hugo.email, new Uint8Array(32), '000000');
      assert.equal(r.status, 401);
    }
    const limited = await attempt(p.hugo.email, authKey, freshCode(desk.db, p.hugo));
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error.code, 'rate_limited');
    const retry = Number(limited.headers.get('retry-after'));
    assert.ok(retry > 0 && retry <= 900, `Retry-After ${retry}`);
    // Unknown emails alike.
    for (let i = 0; i < 5; i++) assert.equal((await attempt('ghost@example.nl', authKey, '123456')).status, 401);
    assert.equal((await attempt('ghost@example.nl', authKey, '123456')).status, 429);
    // Another account still logs in from the same client.
    const iris = await login(desk.server, desk.db, p.iris);
    assert.equal(iris.res.status, 200);
  });

  test('fifty failures for one email from anywhere give 429 (a PostgreSQL counter)', async () => {
    const key = mc.libsodium().crypto_generichash(32, mc.utf8(p.joop.email.toLowerCase()),
      mc.fromB64(readFileSync(`${env.secrets}/server_key`, 'utf8').trim()));
    psql(desk.db, `INSERT INTO counters (key, window_start, count) VALUES
      ('\\x${Buffer.from(key).toString('hex')}', now(), 50)`);
    const r = await login(desk.server, desk.db, p.joop);
    assert.equal(r.res.status, 429);
    assert.ok(Number(r.res.headers.get('retry-after')) > 0);
    psql(desk.db, 'DELETE FROM counters');
    assert.equal((await login(desk.server, desk.db, p.joop)).res.status, 200);
  });

  test('logout clears the site and ends the token', async () => {
    const { token } = await login(desk.server, desk.db, p.kees);
    assert.equal((await call(desk.server, 'GET', '/api/v1/adviser/cases', { token })).status, 200);
    const out = await call(desk.server, 'DELETE', '/api/v1/adviser/session', { token });
    assert.equal(out.status, 204);
    assert.equal(out.headers.get('clear-site-data'), '"*"');
    assert.equal((await call(desk.server, 'GET', '/api/v1/adviser/cases', { token })).status, 401);
  });

  test('sessions end after 30 minutes idle and after 12 hours', async () => {
    const a = await login(desk.server, desk.db, p.lena);
    const b = await login(desk.server, desk.db, p.lena);
    const hash = (t) => {
      const h = mc.libsodium().crypto_generichash(32, mc.fromB64(t), mc.libsodium().crypto_kdf_derive_from_key(32, 1,
        'meldtokn', mc.fromB64(readFileSync(`${env.secrets}/server_key`, 'utf8').trim())));
      return `'\\x${Buffer.from(h).toString('hex')}'`;
    };
    psql(desk.db, `UPDATE sessions SET last_seen = now() - interval '31 minutes' WHERE token_hash = ${hash(a.token)}`);
    psql(desk.db, `UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token_hash = ${hash(b.token)}`);
    assert.equal((await call(desk.server, 'GET', '/api/v1/adviser/cases', { token: a.token })).status, 401);
    assert.equal((await call(desk.server, 'GET', '/api/v1/adviser/cases', { token: b.token })).status, 401);
    const c = await login(desk.server, desk.db, p.lena);
    assert.equal(psql(desk.db, `SELECT extract(epoch FROM expires_at - created_at)::int FROM sessions
      WHERE token_hash = ${hash(c.token)}`), String(12 * 3600));
  });

  test('deactivation ends the sessions at once', async () => {
    const admin = (await login(desk.server, desk.db, p.mira)).token;
    const { token } = await login(desk.server, desk.db, p.nora);
    const r = await call(desk.server, 'POST', `/api/v1/admin/accounts/${p.nora.id}/deactivate`, { token: admin });
    assert.equal(r.status, 204);
    assert.equal((await call(desk.server, 'GET', '/api/v1/adviser/cases', { token })).status, 401);
    assert.equal((await login(desk.server, desk.db, p.nora)).res.status, 401);
  });

  test('a passphrase change ends the other sessions; the new passphrase logs in', async () => {
    const first = await login(desk.server, desk.db, p.otto);
    const second = await login(desk.server, desk.db, p.otto);
    const { authKey, kek } = await passphraseKeys(desk.server, p.otto);
    const newPass = 'otto has a brand new passphrase';
    const salt = mc.newSalt();
    const next = mc.derivePassphraseKeys(newPass, salt, OPS, MEM);
    const esk = mc.sealSecretKey(first.secretKey, p.otto.id, p.otto.keys.encryptionPublicKey, next.kek);
    const body = { auth_key: mc.toB64(authKey), totp: freshCode(desk.db, p.otto), salt: mc.toB64(salt),
      opslimit: OPS, memlimit: MEM, new_auth_key: mc.toB64(next.authKey), encrypted_secret_key: mc.toB64(esk) };
    const wrong = await call(desk.server, 'PUT', '/api/v1/adviser/passphrase', { token: first.token,
      body: { ...body, auth_key: mc.toB64(new Uint8Array(32)) } });
    assert.equal(wrong.status, 403);
    const r = await call(desk.server, 'PUT', '/api/v1/adviser/passphrase', { token: first.token,
      body: { ...body, totp: freshCode(desk.db, p.otto) } });
    assert.equal(r.status, 204, JSON.stringify(r.body));
    assert.equal((await call(desk.server, 'GET', '/api/v1/adviser/cases', { token: second.token })).status, 401);
    assert.equal((await call(desk.server, 'GET', '/api/v1/adviser/cases', { token: first.token })).status, 200);
    assert.equal((await login(desk.server, desk.db, p.otto)).res.status, 401, 'old passphrase');
    assert.ok(kek);
    const renewed = await login(desk.server, desk.db, { ...p.otto, passphrase: newPass });
    assert.equal(renewed.res.status, 200);
    assert.ok(mc.equalBytes(renewed.secretKey, first.secretKey), 'the same key pair, re-sealed');

    // TOTP re-enrolment ends the other sessions too.
    const other = await login(desk.server, desk.db, { ...p.otto, passphrase: newPass });
    const started = await call(desk.server, 'PUT', '/api/v1/adviser/totp', { token: renewed.token,
      body: { auth_key: mc.toB64(next.authKey), totp: freshCode(desk.db, p.otto) } });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    const secret = secretFromUri(started.body.totp_uri);
    assert.equal((await call(desk.server, 'POST', '/api/v1/adviser/totp/confirm', { token: renewed.token,
      body: { totp: totpCode(secret) } })).status, 204);
    assert.equal((await call(desk.server, 'GET', '/api/v1/adviser/cases', { token: other.token })).status, 401);
    assert.equal((await call(desk.server, 'GET', '/api/v1/adviser/cases', { token: renewed.token })).status, 200);
  });
});
