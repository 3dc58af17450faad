// accounts.mjs - the client side of enrolment, login and certification,
// built on the one crypto module the pages use.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { env, psql } from './harness.mjs';
import { call, mc } from './fixtures.mjs';
import { currentStep, secretFromUri, totpCode } from './totp.mjs';

export const OPS = 3;
export const MEM = 64 * 1024 * 1024;

// Steps used per account id, so that no test reuses one by accident.
const usedSteps = new Map();
const derived = new Map();

// A TOTP code for an account that the server has not seen yet: the current
// step, the next (one step of skew), or the current after resetting the
// account's last step in the database.
export function freshCode(db, account) {
  const now = currentStep();
  const last = usedSteps.get(account.id) ?? 0;
  let step = now;
  if (now <= last) {
    if (now + 1 > last) step = now + 1;
    else psql(db, `UPDATE accounts SET totp_last_step = 0 WHERE id = '${account.id}'`);
  }
  usedSteps.set(account.id, step);
  return totpCode(account.totpSecret, step);
}

export function forgetSteps(account) {
  usedSteps.delete(account.id);
}

// auth_key and kek of an account's passphrase (derived once per salt).
export async function passphraseKeys(server, account) {
  const pre = await call(server, 'POST', '/api/v1/adviser/prelogin', { body: { email: account.email } });
  const key = `${account.passphrase}|${pre.body.salt}`;
  if (!derived.has(key)) {
    derived.set(key, mc.derivePassphraseKeys(account.passphrase, mc.fromB64(pre.body.salt),
      pre.body.opslimit, pre.body.memlimit));
  }
  return derived.get(key);
}

// Log in; returns {res, token, secretKey (opened and checked)}.
export async function login(server, db, account, { totp } = {}) {
  const { authKey, kek } = await passphraseKeys(server, account);
  const res = await call(server, 'POST', '/api/v1/adviser/session', { body: {
    email: account.email, auth_key: mc.toB64(authKey), totp: totp ?? freshCode(db, account) } });
  let secretKey = null;
  if (res.status === 200 && res.body.encrypted_secret_key) {
    secretKey = mc.openSecretKey(res.body.encrypted_secret_key, res.body.adviser.id,
      mc.fromB64(res.body.encryption_public_key), kek);
  }
  return { res, token: res.body.token, secretKey };
}

// Enrol with an invite as the enrolment page does; returns the account.
export async function enrol(server, inviteToken, { passphrase = 'correct horse battery staple meldpunt test' } = {}) {
  const info = await call(server, 'POST', '/api/v1/enrol/info', { body: { invite_token: inviteToken } });
  if (info.status !== 200) throw new Error(`enrol/info: ${info.status}`);
  const salt = mc.newSalt();
  const { authKey, kek } = mc.derivePassphraseKeys(passphrase, salt, OPS, MEM);
  const keyed = info.body.role === 'adviser' || info.body.role === 'coordinator';
  const keys = keyed ? mc.newAdviserKeys() : null;
  const body = { invite_token: inviteToken, salt: mc.toB64(salt), opslimit: OPS, memlimit: MEM,
    auth_key: mc.toB64(authKey) };
  if (keyed) {
    body.encryption_public_key = mc.toB64(keys.encryptionPublicKey);
    body.sign_public_key = mc.toB64(keys.signPublicKey);
    body.encrypted_secret_key = mc.toB64(mc.sealSecretKey(keys.encryptionSecretKey, info.body.id,
      keys.encryptionPublicKey, kek));
  }
  const started = await call(server, 'POST', '/api/v1/enrol', { body });
  if (started.status !== 200) throw new Error(`enrol: ${started.status} ${JSON.stringify(started.body)}`);
  const totpSecret = secretFromUri(started.body.totp_uri);
  const step = currentStep();
  const confirmed = await call(server, 'POST', '/api/v1/enrol/confirm', { body: {
    invite_token: inviteToken, totp: totpCode(totpSecret, step) } });
  if (confirmed.status !== 204) throw new Error(`enrol/confirm: ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
  const account = { ...info.body, passphrase, totpSecret, keys, totpUri: started.body.totp_uri };
  usedSteps.set(account.id, step);
  return account;
}

// Beside meldpuntd in a build; MELDPUNT_KEYS where they are installed apart
// (tests/deploy: /usr/bin/meldpunt-keys, /usr/sbin/meldpuntd).
export function keysBinary() {
  return process.env.MELDPUNT_KEYS || join(dirname(env.binary), 'meldpunt-keys');
}

// The certification officer's round: pending requests through desk certify.
export function certifyOffline(pending, { notAfter, key = `${env.offline}/desk_certification_key` } = {}) {
  const dir = mkdtempSync(join(env.tmp, 'certify-'));
  writeFileSync(join(dir, 'pending.json'), JSON.stringify(pending));
  const day = notAfter ?? new Date(Date.now() + 365 * 86400000).toISOString().slice(0, 10);
  const r = spawnSync(keysBinary(), ['desk', 'certify', '--in', join(dir, 'pending.json'),
    '--key', key, '--not-after', day, '--out', join(dir, 'certs.json'), '--yes'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`desk certify failed: ${r.stderr}`);
  return { certs: JSON.parse(readFileSync(join(dir, 'certs.json'), 'utf8')), output: r.stderr };
}

// Pending requests from the admin API, certified offline, imported.
export async function certifyAll(server, adminToken) {
  const pending = (await call(server, 'GET', '/api/v1/admin/certificates/pending', { token: adminToken })).body;
  if (!Array.isArray(pending) || pending.length === 0) throw new Error('certifyAll: no certificate request pending');
  const { certs } = certifyOffline(pending);
  if (certs.length !== pending.length) throw new Error(`certifyAll: ${certs.length} certificates for ${pending.length} requests`);
  for (const c of certs) {
    const r = await call(server, 'PUT', `/api/v1/admin/accounts/${c.id}/certificate`,
      { token: adminToken, body: { not_after: c.not_after, certificate: c.certificate } });
    if (r.status !== 204) throw new Error(`certificate import: ${r.status} ${JSON.stringify(r.body)}`);
  }
  return certs;
}

// Bytes of a case id as psql wants them.
export function caseHex(caseId) {
  return `'\\x${Buffer.from(mc.fromB64(caseId)).toString('hex')}'`;
}
