// recovery.test.mjs - keys and recovery (issue 7): the recovery key in
// threshold shares, the offline rewrap, recovery exports and imports, and
// adviser key rotation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { env, psql } from './lib/harness.mjs';
import { addAccounts, call, mc, newDesk, pins, submitReport } from './lib/fixtures.mjs';
import { certifyAll, keysBinary, login } from './lib/accounts.mjs';
import { notesKeyBody, openAsAdviser } from './lib/people.mjs';

// valgrind checks the tool's memory in the normal build; the sanitizer
// build checks itself (ASan cannot run under valgrind).
function keys(args, { valgrind: wanted = false } = {}) {
  const valgrind = wanted && !env.sanitized;
  const cmd = valgrind ? 'valgrind' : keysBinary();
  const argv = valgrind ? ['--error-exitcode=99', '--leak-check=full', '--errors-for-leak-kinds=definite',
    '-q', keysBinary(), ...args] : args;
  return spawnSync(cmd, argv, { encoding: 'utf8' });
}

// A desk whose recovery key exists only as 5 shares (any 3 recover it).
function splitDesk() {
  const shares = mkdtempSync(join(env.tmp, 'shares-'));
  const r = keys(['recovery', 'new', '--shares', '5', '--threshold', '3', '--out', `${shares}/split`]);
  assert.equal(r.status, 0, r.stderr);
  const secrets = mkdtempSync(join(env.tmp, 'secrets-'));
  for (const f of readdirSync(env.secrets)) copyFileSync(join(env.secrets, f), join(secrets, f));
  copyFileSync(`${shares}/split/recovery_key.pub`, join(secrets, 'recovery_key.pub'));
  const deskPins = { ...pins(), recovery: readFileSync(`${shares}/split/recovery_key.pub`, 'utf8').trim() };
  return { dir: `${shares}/split`, secrets, deskPins, stdout: r.stdout };
}

const share = (split, i) => ['--share', `${split.dir}/share-${i}.json`];

describe('recovery after a lost passphrase', () => {
  let desk; let split; let anna; let cora; let ada; let nina; let annaSession; let coraToken;
  const cases = [];
  before(async () => {
    split = splitDesk();
    desk = await newDesk({ settings: { secrets_dir: split.secrets }, accounts: [
      { name: 'Anna Adviser', role: 'adviser', organisations: ['bzk'], topics: ['*'], passphrase: 'anna adviser test passphrase' },
      { name: 'Cora Coordinator', role: 'coordinator', organisations: ['bzk'], topics: ['*'], passphrase: 'cora coordinator test passphrase' },
      { name: 'Ada Admin', role: 'admin', organisations: [], topics: [], passphrase: 'ada admin test passphrase' },
    ] });
    [anna, cora, ada] = desk.people;
    annaSession = await login(desk.server, desk.db, anna);
    assert.equal(annaSession.res.status, 200);
    const sign = mc.adviserSigningKeys(annaSession.secretKey);
    for (let i = 0; i < 5; i++) {
      const s = await submitReport(desk.server, { deskPins: split.deskPins,
        report: { v: 1, what: `Report number ${i}`, when: '2026-09', where: 'office', who: 'x',
          wish: 'advice', lang: 'en', excluded: [] } });
      assert.equal(s.res.status, 201);
      const caseId = s.res.body.case_id;
      const view = (await call(desk.server, 'GET', `/api/v1/adviser/cases/${caseId}`, { token: annaSession.token })).body;
      const { sub } = openAsAdviser(view, anna, annaSession.secretKey);
      const author = `adviser:${anna.id}`;
      const m = mc.encryptMessage({ caseId, author, prev: '', text: `Reply ${i}` }, sub.msg, sign.signSecretKey);
      assert.equal((await call(desk.server, 'POST', `/api/v1/adviser/cases/${caseId}/messages`, {
        token: annaSession.token, body: { ciphertext: m.ciphertext, signature: m.signature, feedback: false } })).status, 201);
      const { N, body } = notesKeyBody(view, split.deskPins, sign.signSecretKey);
      assert.equal((await call(desk.server, 'POST', `/api/v1/adviser/cases/${caseId}/note-wraps`,
        { token: annaSession.token, body })).status, 204);
      const note = mc.encryptNote({ caseId, adviserId: anna.id, prev: '', text: `Note ${i}` }, N, sign.signSecretKey);
      assert.equal((await call(desk.server, 'POST', `/api/v1/adviser/cases/${caseId}/notes`,
        { token: annaSession.token, body: { ciphertext: note.ciphertext, signature: note.signature } })).status, 201);
      cases.push({ caseId, i });
    }
    // Anna loses her passphrase. A new adviser takes over.
    [nina] = addAccounts(desk.db, [{ name: 'Nina New', role: 'adviser', organisations: ['bzk'], topics: ['*'],
      passphrase: 'nina new adviser passphrase' }]);
    coraToken = (await login(desk.server, desk.db, cora)).token;
  });
  after(async () => { await desk.server.stop(); });

  let exported;
  let ninaEntry;	// Nina's colleague entry, as the officers get it
  test('the coordinator exports, three of five shares re-wrap, the import succeeds', async () => {
    const res = await call(desk.server, 'POST', '/api/v1/adviser/recovery-exports',
      { token: coraToken, body: { case_ids: cases.map((c) => c.caseId) } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    exported = res.body;
    assert.equal(exported.cases.length, 5);
    for (const c of exported.cases) assert.ok(c.recovery_note_wrap, 'notes keys are recoverable too');
    const work = mkdtempSync(join(env.tmp, 'rewrap-'));
    writeFileSync(`${work}/export.json`, JSON.stringify(exported));
    const colleagues = (await call(desk.server, 'GET', '/api/v1/adviser/colleagues', { token: coraToken })).body;
    ninaEntry = JSON.stringify(colleagues.colleagues.find((e) => e.id === nina.id));
    writeFileSync(`${work}/nina.json`, ninaEntry);
    const r = keys(['recovery', 'rewrap', ...share(split, 1), ...share(split, 3), ...share(split, 5),
      '--in', `${work}/export.json`, '--to', `${work}/nina.json`,
      '--cert-key', `${env.offline}/desk_certification_key.pub`, '--out', `${work}/import.json`], { valgrind: true });
    assert.equal(r.status, 0, `${r.error ?? ''} ${r.signal ?? ''} ${r.stderr}`);
    const body = JSON.parse(readFileSync(`${work}/import.json`, 'utf8'));
    assert.equal(body.adviser_id, nina.id);
    assert.equal(body.wraps.length, 5);
    const shareText = readFileSync(`${split.dir}/share-1.json`, 'utf8');
    const shareValue = JSON.parse(shareText).share;
    assert.ok(!r.stdout.includes(shareValue) && !r.stderr.includes(shareValue), 'no share in the output');
    const imp = await call(desk.server, 'POST', `/api/v1/adviser/recovery-exports/${exported.export_id}/import`,
      { token: coraToken, body });
    assert.equal(imp.status, 204, JSON.stringify(imp.body));
    assert.ok(!desk.server.log().includes(shareValue));
  });

  test('the new adviser decrypts all five reports, their messages and their notes', async () => {
    const s = await login(desk.server, desk.db, nina);
    assert.equal(s.res.status, 200);
    const list = (await call(desk.server, 'GET', '/api/v1/adviser/cases', { token: s.token })).body;
    assert.equal(list.cases.filter((c) => c.has_wrap).length, 5);
    for (const { caseId, i } of cases) {
      const view = (await call(desk.server, 'GET', `/api/v1/adviser/cases/${caseId}`, { token: s.token })).body;
      const { report, sub } = openAsAdviser(view, nina, s.secretKey);
      assert.equal(report.what, `Report number ${i}`);
      const author = `adviser:${anna.id}`;
      const signKeys = mc.authorSignKeys(author, { advisers: view.advisers,
        pinnedCertPublicKey: mc.fromB64(desk.pins.certification), createdOn: view.messages[0].created_on });
      const msg = mc.decryptMessage({ caseId, author, ciphertext: view.messages[0].ciphertext,
        signature: view.messages[0].signature }, sub.msg, signKeys);
      assert.equal(msg.text, `Reply ${i}`);
      const N = mc.openWrap(mc.fromB64(view.note_wrap.wrap), nina.keys.encryptionPublicKey, s.secretKey);
      assert.ok(mc.verifyNotesKeyCommitment(caseId, N, view.notes_key_commitment, view.notes_key_signature, signKeys));
      const note = mc.decryptNote({ caseId, adviserId: anna.id, ciphertext: view.notes[0].ciphertext,
        signature: view.notes[0].signature }, N, signKeys);
      assert.equal(note.text, `Note ${i}`);
    }
  });

  test('two shares of a 3-of-5 split fail clearly; a damaged share is named; another split is refused', () => {
    const work = mkdtempSync(join(env.tmp, 'bad-'));
    writeFileSync(`${work}/export.json`, JSON.stringify(exported));
    writeFileSync(`${work}/nina.json`, '{}');
    const base = ['--in', `${work}/export.json`, '--to', `${work}/nina.json`,
      '--cert-key', `${env.offline}/desk_certification_key.pub`, '--out', `${work}/out.json`];
    // The target check comes first; give a valid target for these cases.
    assert.ok(ninaEntry, 'the first test wrote Nina\'s entry');
    writeFileSync(`${work}/nina.json`, ninaEntry);
    const two = keys(['recovery', 'rewrap', ...share(split, 1), ...share(split, 2), ...base]);
    assert.notEqual(two.status, 0);
    assert.match(two.stderr, /2 shares given, 3 needed/);
    const damaged = JSON.parse(readFileSync(`${split.dir}/share-2.json`, 'utf8'));
    damaged.share = damaged.share.slice(0, 5) + (damaged.share[5] === 'A' ? 'B' : 'A') + damaged.share.slice(6);
    writeFileSync(`${work}/share-2-damaged.json`, JSON.stringify(damaged));
    const bad = keys(['recovery', 'rewrap', ...share(split, 1), '--share', `${work}/share-2-damaged.json`,
      ...share(split, 3), ...base]);
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /share-2-damaged\.json is damaged/);
    const other = splitDesk();
    const mixed = keys(['recovery', 'rewrap', ...share(split, 1), ...share(split, 2), ...share(other, 3), ...base]);
    assert.notEqual(mixed.status, 0);
    assert.match(mixed.stderr, /belongs to another split/);
    // A target whose certificate does not verify is refused before any work.
    const forged = JSON.parse(ninaEntry);
    forged.scope = { organisations: '*', topics: '*' };
    writeFileSync(`${work}/forged.json`, JSON.stringify(forged));
    const f = keys(['recovery', 'rewrap', ...share(split, 1), ...share(split, 2), ...share(split, 3),
      ...base.map((a) => (a.endsWith('nina.json') ? `${work}/forged.json` : a))]);
    assert.notEqual(f.status, 0);
    assert.match(f.stderr, /certificate does not verify/);
  });

  test('the import refuses other cases, and inactive, uncertified, out-of-scope or excluded advisers', async () => {
    const [fay, uma, xavi] = addAccounts(desk.db, [
      { name: 'Fay Finance', role: 'adviser', organisations: ['fin'], topics: ['*'] },
      { name: 'Uma Uncertified', role: 'adviser', organisations: ['bzk'], topics: ['*'], certify: false },
      { name: 'Xavi Excluded', role: 'adviser', organisations: ['bzk'], topics: ['*'] },
    ]);
    const excludedCase = await submitReport(desk.server, { deskPins: split.deskPins, excluded: [xavi.id] });
    assert.equal(excludedCase.res.status, 201);
    const exp = await call(desk.server, 'POST', '/api/v1/adviser/recovery-exports',
      { token: coraToken, body: { case_ids: [excludedCase.res.body.case_id] } });
    assert.equal(exp.status, 201);
    const fake = (person, caseId) => ({ adviser_id: person.id, wraps: [{ case_id: caseId,
      public_key: mc.toB64(person.keys.encryptionPublicKey), wrap: mc.toB64(new Uint8Array(80)), note_wrap: null }] });
    const before = psql(desk.db, 'SELECT count(*) FROM key_wraps');
    const attempt = (id, body) => call(desk.server, 'POST', `/api/v1/adviser/recovery-exports/${id}/import`,
      { token: coraToken, body });
    const ex = await attempt(exp.body.export_id, fake(xavi, excludedCase.res.body.case_id));
    assert.equal(ex.status, 409);
    assert.equal(ex.body.error.code, 'excluded_by_reporter');
    assert.equal((await attempt(exported.export_id, fake(fay, cases[0].caseId))).status, 400, 'out of scope');
    assert.equal((await attempt(exported.export_id, fake(uma, cases[0].caseId))).status, 400, 'uncertified');
    assert.equal((await attempt(exported.export_id, fake(nina, excludedCase.res.body.case_id))).status, 400,
      'a case the export did not contain');
    const adaToken = (await login(desk.server, desk.db, ada)).token;
    assert.equal((await call(desk.server, 'POST', `/api/v1/admin/accounts/${xavi.id}/deactivate`, { token: adaToken })).status, 204);
    assert.equal((await attempt(exported.export_id, fake(xavi, cases[0].caseId))).status, 400, 'inactive');
    const wrongKey = fake(nina, cases[0].caseId);
    wrongKey.wraps[0].public_key = mc.toB64(mc.newAdviserKeys().encryptionPublicKey);
    assert.equal((await attempt(exported.export_id, wrongKey)).body.error.code, 'key_changed');
    assert.equal(psql(desk.db, 'SELECT count(*) FROM key_wraps'), before, 'nothing stored');
    // An adviser cannot export, and a coordinator cannot export cases outside their organisations.
    assert.equal((await call(desk.server, 'POST', '/api/v1/adviser/recovery-exports',
      { token: annaSession.token, body: { case_ids: [cases[0].caseId] } })).status, 403);
    const fin = await submitReport(desk.server, { deskPins: split.deskPins, organisation: 'fin', topic: 'racism' });
    assert.equal((await call(desk.server, 'POST', '/api/v1/adviser/recovery-exports',
      { token: coraToken, body: { case_ids: [cases[0].caseId, fin.res.body.case_id] } })).status, 404);
  });
});

describe('adviser key rotation', () => {
  test('after rotation the adviser reads every old case with the new key; the old key opens no stored wrap', async () => {
    const desk = await newDesk({ accounts: [
      { name: 'Rita Rotate', role: 'adviser', organisations: ['bzk'], topics: ['*'], passphrase: 'rita rotates her adviser key' },
      { name: 'Ada Admin', role: 'admin', organisations: [], topics: [], passphrase: 'ada admin test passphrase' },
    ] });
    try {
      const [rita, ada] = desk.people;
      const ids = [];
      for (let i = 0; i < 3; i++) ids.push((await submitReport(desk.server)).res.body.case_id);
      const s = await login(desk.server, desk.db, rita);
      const oldSk = s.secretKey;
      // Notes key on one case, so note wraps rotate too.
      const view0 = (await call(desk.server, 'GET', `/api/v1/adviser/cases/${ids[0]}`, { token: s.token })).body;
      const { body: nk } = notesKeyBody(view0, desk.pins, mc.adviserSigningKeys(oldSk).signSecretKey);
      assert.equal((await call(desk.server, 'POST', `/api/v1/adviser/cases/${ids[0]}/note-wraps`, { token: s.token, body: nk })).status, 204);

      const fresh = mc.newAdviserKeys();
      const pre = (await call(desk.server, 'POST', '/api/v1/adviser/prelogin', { body: { email: rita.email } })).body;
      const { kek } = mc.derivePassphraseKeys(rita.passphrase, mc.fromB64(pre.salt), pre.opslimit, pre.memlimit);
      const esk = mc.sealSecretKey(fresh.encryptionSecretKey, rita.id, fresh.encryptionPublicKey, kek);
      const added = await call(desk.server, 'POST', '/api/v1/adviser/keys', { token: s.token, body: {
        encryption_public_key: mc.toB64(fresh.encryptionPublicKey), sign_public_key: mc.toB64(fresh.signPublicKey),
        encrypted_secret_key: mc.toB64(esk) } });
      assert.equal(added.status, 204, desk.server.log());
      // Not yet certified: no swap.
      const early = await call(desk.server, 'PUT', '/api/v1/adviser/keys', { token: s.token, body: { wraps: [] } });
      assert.equal(early.status, 409);
      const adaToken = (await login(desk.server, desk.db, ada)).token;
      const certs = await certifyAll(desk.server, adaToken);
      assert.ok(certs.some((c) => c.encryption_public_key === mc.toB64(fresh.encryptionPublicKey)));

      const rewrap = (await call(desk.server, 'GET', '/api/v1/adviser/rewrap', { token: s.token })).body;
      assert.equal(rewrap.wraps.length, 3);
      const wraps = rewrap.wraps.map((w) => {
        const K = mc.openWrap(mc.fromB64(w.wrap), mc.fromB64(w.public_key), oldSk);
        const out = { case_id: w.case_id, public_key: mc.toB64(fresh.encryptionPublicKey),
          wrap: mc.toB64(mc.wrapKey(K, fresh.encryptionPublicKey)), note_wrap: null };
        if (w.note_wrap) {
          const N = mc.openWrap(mc.fromB64(w.note_wrap), mc.fromB64(w.public_key), oldSk);
          out.note_wrap = mc.toB64(mc.wrapKey(N, fresh.encryptionPublicKey));
        }
        return out;
      });
      assert.equal(wraps.filter((w) => w.note_wrap).length, 1, 'the note wrap is re-wrapped too');
      // Wraps sealed to another key than the pending one are refused.
      const stray = mc.newAdviserKeys().encryptionPublicKey;
      const wrong = wraps.map((w) => ({ ...w, public_key: mc.toB64(stray) }));
      const mismatch = await call(desk.server, 'PUT', '/api/v1/adviser/keys', { token: s.token, body: { wraps: wrong } });
      assert.equal(mismatch.status, 409);
      assert.equal(mismatch.body.error.code, 'key_changed');
      // A set that misses a case is refused as a whole.
      const partial = await call(desk.server, 'PUT', '/api/v1/adviser/keys', { token: s.token, body: { wraps: wraps.slice(1) } });
      assert.equal(partial.status, 409);
      assert.equal(partial.body.error.code, 'holders_changed');
      assert.equal((await call(desk.server, 'PUT', '/api/v1/adviser/keys', { token: s.token, body: { wraps } })).status, 204);

      const again = await login(desk.server, desk.db, rita);
      assert.ok(mc.equalBytes(mc.libsodium().crypto_scalarmult_base(again.secretKey), fresh.encryptionPublicKey));
      for (const id of ids) {
        const view = (await call(desk.server, 'GET', `/api/v1/adviser/cases/${id}`, { token: again.token })).body;
        assert.equal(view.wrap_recipient_public_key, mc.toB64(fresh.encryptionPublicKey));
        openAsAdviser(view, rita, again.secretKey);
        const entry = view.holders.find((h) => h.id === rita.id);
        assert.equal(entry.keys.length, 2, 'the old key stays in the entry');
        assert.equal(entry.keys.filter((k) => k.current).length, 1);
      }
      const stored = psql(desk.db, `SELECT encode(wrap, 'hex') FROM key_wraps WHERE account_id = '${rita.id}'
        UNION ALL SELECT encode(wrap, 'hex') FROM note_wraps WHERE account_id = '${rita.id}'`).split('\n');
      assert.equal(stored.length, 4);
      for (const w of stored) {
        assert.throws(() => mc.openWrap(Buffer.from(w, 'hex'), rita.keys.encryptionPublicKey, oldSk));
      }
    } finally {
      await desk.server.stop();
    }
  });
});
