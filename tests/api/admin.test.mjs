// admin.test.mjs - bootstrap and administration (issue 4): create-admin,
// accounts, invites, scopes, certification, organisations and topics.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { env, psql } from './lib/harness.mjs';
import { call, certSecretKey, mc, newDesk } from './lib/fixtures.mjs';
import { certifyAll, certifyOffline, enrol, keysBinary, login } from './lib/accounts.mjs';
import { PEOPLE } from './lib/people.mjs';

const routed = async (server, org, topic) => (await call(server, 'GET',
  `/api/v1/routing?organisation=${org}&topic=${topic}`)).body.advisers.map((a) => a.id);

describe('administration', () => {
  let desk; let admin;
  before(async () => {
    desk = await newDesk({ accounts: PEOPLE.filter((p) => p.role !== 'admin') });
  });
  after(async () => { await desk.server.stop(); });

  test('create-admin prints a one-time invite; the admin enrols and logs in without keys', async () => {
    const r = spawnSync(env.binary, ['-c', desk.server.confPath, 'create-admin', '--email', 'Root@Example.nl',
      '--name', 'Root Admin'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const token = r.stdout.match(/invite token[^:]*: (\S+)/)[1];
    assert.match(r.stdout, new RegExp(`enrolment link: /enrol\\.html#invite=${token}`));
    const account = await enrol(desk.server, token, { passphrase: 'root admin test passphrase' });
    assert.equal(account.role, 'admin');
    assert.equal(account.email, 'root@example.nl');
    // The invite is single use.
    assert.equal((await call(desk.server, 'POST', '/api/v1/enrol/info', { body: { invite_token: token } })).status, 401);
    const s = await login(desk.server, desk.db, account);
    assert.equal(s.res.status, 200);
    assert.equal(s.res.body.encrypted_secret_key, null);
    assert.equal(s.res.body.adviser.role, 'admin');
    admin = s.token;
    // The same email twice is refused.
    const dup = spawnSync(env.binary, ['-c', desk.server.confPath, 'create-admin', '--email', 'root@example.nl',
      '--name', 'Again'], { encoding: 'utf8' });
    assert.equal(dup.status, 1);
  });

  test('accounts: create, list with paging, invite, change scope (unroutes), deactivate', async () => {
    const bad = await call(desk.server, 'POST', '/api/v1/admin/accounts', { token: admin, body: {
      email: 'x@example.nl', name: 'X', role: 'adviser', organisations: ['nope'], topics: ['*'] } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, 'organisations');
    const created = await call(desk.server, 'POST', '/api/v1/admin/accounts', { token: admin, body: {
      email: 'pia@example.nl', name: 'Pia Probe', role: 'coordinator', organisations: ['fin', 'bzk', 'fin'],
      topics: '*' } });
    assert.equal(created.status, 201);
    assert.equal((await call(desk.server, 'POST', '/api/v1/admin/accounts', { token: admin, body: {
      email: 'PIA@example.nl', name: 'Pia Two', role: 'adviser', organisations: ['bzk'], topics: ['*'] } })).status, 409);
    const list = (await call(desk.server, 'GET', '/api/v1/admin/accounts?limit=3', { token: admin })).body;
    assert.equal(list.accounts.length, 3);
    const rest = (await call(desk.server, 'GET', `/api/v1/admin/accounts?after=${list.next}`, { token: admin })).body;
    const all = [...list.accounts, ...rest.accounts];
    const pia = all.find((a) => a.id === created.body.id);
    assert.deepEqual(pia.scope, { organisations: ['bzk', 'fin'], topics: '*' });
    assert.equal(pia.status, 'invited');
    assert.ok(!('auth_hash' in pia) && !('salt' in pia));
    // A new invite replaces the old one.
    const again = await call(desk.server, 'POST', `/api/v1/admin/accounts/${pia.id}/invite`, { token: admin });
    assert.equal(again.status, 201);
    assert.equal((await call(desk.server, 'POST', '/api/v1/enrol/info', { body: { invite_token: created.body.invite_token } })).status, 401);
    assert.equal((await call(desk.server, 'POST', '/api/v1/enrol/info', { body: { invite_token: again.body.invite_token } })).body.name, 'Pia Probe');

    // Bert is routed for bzk; a scope change unroutes him until re-certified.
    const bert = desk.people[1];
    assert.ok((await routed(desk.server, 'bzk', 'integrity')).includes(bert.id));
    assert.equal((await call(desk.server, 'PATCH', `/api/v1/admin/accounts/${bert.id}`, { token: admin,
      body: { organisations: ['bzk', 'fin'] } })).status, 204);
    assert.ok(!(await routed(desk.server, 'bzk', 'integrity')).includes(bert.id));
    const pending = (await call(desk.server, 'GET', '/api/v1/admin/certificates/pending', { token: admin })).body;
    const req = pending.find((p) => p.id === bert.id);
    assert.deepEqual(req.scope, { organisations: ['bzk', 'fin'], topics: '*' });
    assert.equal(req.fingerprint, mc.fingerprint(bert.keys.encryptionPublicKey, bert.keys.signPublicKey));
    await certifyAll(desk.server, admin);
    assert.ok((await routed(desk.server, 'fin', 'integrity')).includes(bert.id));

    // Deactivation: wraps go, the account leaves the routing.
    psql(desk.db, 'SELECT 1');
    assert.equal((await call(desk.server, 'POST', `/api/v1/admin/accounts/${bert.id}/deactivate`, { token: admin })).status, 204);
    assert.ok(!(await routed(desk.server, 'fin', 'integrity')).includes(bert.id));
    assert.equal((await call(desk.server, 'POST', `/api/v1/admin/accounts/${bert.id}/deactivate`, { token: admin })).status, 404);
  });

  test('an uncertified account is not routed; a certificate for another key or scope is refused', async () => {
    const created = await call(desk.server, 'POST', '/api/v1/admin/accounts', { token: admin, body: {
      email: 'quinten@example.nl', name: 'Quinten Queue', role: 'adviser', organisations: ['ocw'], topics: ['racism'] } });
    const q = await enrol(desk.server, created.body.invite_token);
    assert.ok(!(await routed(desk.server, 'ocw', 'racism')).includes(q.id));
    const pending = (await call(desk.server, 'GET', '/api/v1/admin/certificates/pending', { token: admin })).body;
    const mine = pending.filter((p) => p.id === q.id);
    assert.equal(mine.length, 1);
    const notAfter = new Date(Date.now() + 200 * 86400000).toISOString().slice(0, 10);
    const url = `/api/v1/admin/accounts/${q.id}/certificate`;
    const fields = { id: q.id, name: 'Quinten Queue', role: 'adviser', organisations: ['ocw'], topics: ['racism'],
      notAfter, encryptionPublicKey: q.keys.encryptionPublicKey, signPublicKey: q.keys.signPublicKey };
    const other = mc.newAdviserKeys();
    const wrongKey = mc.signCertificate({ ...fields, encryptionPublicKey: other.encryptionPublicKey,
      signPublicKey: other.signPublicKey }, certSecretKey());
    const wrongScope = mc.signCertificate({ ...fields, organisations: '*' }, certSecretKey());
    const wrongSigner = mc.signCertificate(fields, mc.libsodium().crypto_sign_keypair().privateKey);
    for (const cert of [wrongKey, wrongScope, wrongSigner]) {
      const r = await call(desk.server, 'PUT', url, { token: admin, body: { not_after: notAfter, certificate: mc.toB64(cert) } });
      assert.equal(r.status, 400);
      assert.equal(r.body.error.code, 'bad_signature');
    }
    assert.ok(!(await routed(desk.server, 'ocw', 'racism')).includes(q.id));
    // desk certify shows the fingerprint; the import makes the account routed.
    const { certs, output } = certifyOffline(mine, { notAfter });
    assert.match(output, new RegExp(mc.fingerprint(q.keys.encryptionPublicKey, q.keys.signPublicKey)));
    const ok = await call(desk.server, 'PUT', url, { token: admin, body: { not_after: certs[0].not_after,
      certificate: certs[0].certificate } });
    assert.equal(ok.status, 204, JSON.stringify(ok.body));
    assert.ok((await routed(desk.server, 'ocw', 'racism')).includes(q.id));
    // Without --yes and without a terminal, nothing is certified.
    const dir = env.tmp;
    const r = spawnSync(keysBinary(), ['desk', 'certify', '--in', '/dev/null', '--key', `${env.offline}/desk_certification_key`,
      '--not-after', notAfter, '--out', `${dir}/x.json`], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.throws(() => execFileSync(keysBinary(), ['desk', 'certify', '--in', 'x'], { stdio: 'ignore' }));
  });

  test('enrolment refuses a low-order key and a key already registered; admins take no scope', async () => {
    const created = await call(desk.server, 'POST', '/api/v1/admin/accounts', { token: admin, body: {
      email: 'rik@example.nl', name: 'Rik Refused', role: 'adviser', organisations: ['bzk'], topics: ['*'] } });
    const salt = mc.newSalt();
    const base = { invite_token: created.body.invite_token, salt: mc.toB64(salt), opslimit: 3, memlimit: 64 * 1024 * 1024,
      auth_key: mc.toB64(new Uint8Array(32).fill(3)), sign_public_key: mc.toB64(new Uint8Array(32).fill(4)),
      encrypted_secret_key: mc.toB64(new Uint8Array(72)) };
    const zero = await call(desk.server, 'POST', '/api/v1/enrol', { body: { ...base,
      encryption_public_key: mc.toB64(new Uint8Array(32)) } });
    assert.equal(zero.status, 400);
    assert.equal(zero.body.error.field, 'encryption_public_key');
    const taken = await call(desk.server, 'POST', '/api/v1/enrol', { body: { ...base,
      encryption_public_key: mc.toB64(desk.people[0].keys.encryptionPublicKey) } });
    assert.equal(taken.status, 400);
    assert.equal(taken.body.error.field, 'encryption_public_key');
    const weak = await call(desk.server, 'POST', '/api/v1/enrol', { body: { ...base, opslimit: 2,
      encryption_public_key: mc.toB64(mc.newAdviserKeys().encryptionPublicKey) } });
    assert.equal(weak.body.error.field, 'opslimit');
    const noKey = await call(desk.server, 'POST', '/api/v1/enrol', { body: { invite_token: created.body.invite_token,
      salt: base.salt, opslimit: 3, memlimit: base.memlimit, auth_key: base.auth_key } });
    assert.equal(noKey.status, 400);
    const adm = await call(desk.server, 'POST', '/api/v1/admin/accounts', { token: admin, body: {
      email: 'second.admin@example.nl', name: 'Second Admin', role: 'admin', organisations: ['*'], topics: '*' } });
    assert.equal(adm.status, 201);
    const info = (await call(desk.server, 'POST', '/api/v1/enrol/info', { body: { invite_token: adm.body.invite_token } })).body;
    assert.deepEqual(info.scope, { organisations: [], topics: [] });
  });

  test('organisations and topics: add, rename, retire; never deleted', async () => {
    const add = await call(desk.server, 'POST', '/api/v1/admin/organisations', { token: admin, body: {
      id: 'rvo', name: { nl: 'Rijksdienst', en: 'Agency' }, headcount: 120 } });
    assert.equal(add.status, 201);
    assert.equal((await call(desk.server, 'POST', '/api/v1/admin/organisations', { token: admin, body: {
      id: 'rvo', name: { nl: 'x', en: 'y' } } })).status, 409);
    assert.equal((await call(desk.server, 'PATCH', '/api/v1/admin/organisations/rvo', { token: admin, body: {
      name: { nl: 'Rijksdienst voor Ondernemend Nederland', en: 'Netherlands Enterprise Agency' }, headcount: 130 } })).status, 204);
    let desc = (await call(desk.server, 'GET', '/api/v1/desk')).body;
    assert.equal(desc.organisations.find((o) => o.id === 'rvo').name.en, 'Netherlands Enterprise Agency');
    assert.equal((await call(desk.server, 'PATCH', '/api/v1/admin/organisations/rvo', { token: admin,
      body: { retired: true } })).status, 204);
    desc = (await call(desk.server, 'GET', '/api/v1/desk')).body;
    assert.ok(!desc.organisations.some((o) => o.id === 'rvo'));
    const orgs = (await call(desk.server, 'GET', '/api/v1/admin/organisations', { token: admin })).body.organisations;
    assert.deepEqual(orgs.find((o) => o.id === 'rvo'), { id: 'rvo', name: { nl: 'Rijksdienst voor Ondernemend Nederland',
      en: 'Netherlands Enterprise Agency' }, retired: true, headcount: 130 });
    assert.equal((await call(desk.server, 'PATCH', '/api/v1/admin/organisations/nope', { token: admin,
      body: { retired: true } })).status, 404);
    assert.equal((await call(desk.server, 'POST', '/api/v1/admin/topics', { token: admin, body: {
      id: 'safety', name: { nl: 'Veiligheid', en: 'Safety' } } })).status, 201);
    assert.equal((await call(desk.server, 'PATCH', '/api/v1/admin/topics/safety', { token: admin,
      body: { retired: true } })).status, 204);
    const topics = (await call(desk.server, 'GET', '/api/v1/admin/topics', { token: admin })).body.topics;
    assert.equal(topics.find((t) => t.id === 'safety').retired, true);
    assert.equal((await call(desk.server, 'DELETE', '/api/v1/admin/topics/safety', { token: admin })).status, 405);
    assert.ok(Number(psql(desk.db, "SELECT count(*) FROM audit_log WHERE convert_from(entry, 'UTF8') LIKE '%organisation_%'")) >= 3);
  });
});
