// reporter.test.mjs - anonymous reports end to end (issue 3): submission,
// routing, the reporter's follow-up, attachments, and every refusal.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { env, pgDump, psql, startServer, waitFor } from './lib/harness.mjs';
import {
  addAccounts, call, mc, newDesk, pins, prepareReport, recoverySecretKey, reporterLogin,
  sampleReport, submitReport,
} from './lib/fixtures.mjs';

function serverKey() {
  return mc.fromB64(readFileSync(`${env.secrets}/server_key`, 'utf8').trim());
}

// A challenge as the server makes them (backend/crypto/challenge.c), with a chosen
// expiry: lets a test present an expired one without waiting.
function forgeChallenge({ expires, difficulty = 4, kind = 1, key = serverKey() }) {
  const s = mc.libsodium();
  const c = new Uint8Array(32);
  c.set(s.randombytes_buf(16), 0);
  new DataView(c.buffer).setUint32(16, expires);
  c[20] = difficulty;
  c[21] = kind;
  const sub = s.crypto_kdf_derive_from_key(32, 1, 'meldchal', key);
  c.set(s.crypto_generichash(16, c.subarray(0, 22), sub).subarray(0, 10), 22);
  return { challenge: mc.toB64(c), difficulty, expires_in: 0 };
}

function counts(db) {
  return psql(db, `SELECT (SELECT count(*) FROM cases) || ' ' || (SELECT count(*) FROM key_wraps)
    || ' ' || (SELECT count(*) FROM challenges) || ' ' || (SELECT count(*) FROM sessions)
    || ' ' || (SELECT count(*) FROM case_exclusions)`);
}

// Open a case the way the reporter's page does, checking every step.
function openAsReporter(caseView, keys) {
  assert.equal(caseView.wrap.recipient, 'reporter');
  const K = mc.openWrap(mc.fromB64(caseView.wrap.wrap), keys.boxPublicKey, keys.boxSecretKey);
  const sub = mc.caseSubkeys(K);
  assert.ok(mc.checkKeyCommitment(sub.report, mc.fromB64(caseView.key_commitment)));
  const report = mc.decryptReport(mc.fromB64(caseView.report_ciphertext), {
    organisation: caseView.organisation, topic: caseView.topic,
    reporterSignPublicKey: keys.signPublicKey }, sub.report);
  return { K, sub, report };
}

describe('reporter journey', () => {
  let desk;
  before(async () => { desk = await newDesk(); });
  after(async () => { await desk.server.stop(); });

  test('routing lists the certified advisers of the tier with their certificates', async () => {
    const { body } = await call(desk.server, 'GET', '/api/v1/routing?organisation=bzk&topic=racism');
    const names = body.advisers.map((a) => a.name).sort();
    assert.deepEqual(names, ['Anna Adviser', 'Bert Adviser']);
    for (const a of body.advisers) {
      assert.equal(a.tier, 1);
      const key = mc.currentKey(a);
      assert.ok(mc.verifyAdviserKey(a, key, mc.fromB64(desk.pins.certification), { today: mc.todayUtc() }));
    }
    assert.deepEqual(body.coordinators.map((c) => c.name).sort(), ['Cora Coordinator', 'Dirk Central']);
    // Nobody covers fin/integrity but the central coordinator: tier 3.
    const fallback = (await call(desk.server, 'GET', '/api/v1/routing?organisation=fin&topic=integrity')).body;
    assert.deepEqual(fallback.advisers.map((a) => [a.name, a.tier]), [['Dirk Central', 3]]);
    // bzk/integrity: Bert covers all topics of bzk.
    const bzk = (await call(desk.server, 'GET', '/api/v1/routing?organisation=bzk&topic=integrity')).body;
    assert.deepEqual(bzk.advisers.map((a) => a.name), ['Bert Adviser']);
  });

  test('submit, log in with the receipt, read and decrypt, message, 5 MiB attachment', async () => {
    const { res, receipt, keys, K } = await submitReport(desk.server);
    assert.equal(res.status, 201);
    const { case_id: caseId, token, proof } = res.body;
    assert.equal(mc.fromB64(caseId).length, 16);
    assert.ok(mc.verifyProof(proof, mc.fromB64(desk.pins.signing)), 'proof verifies under the pinned key');
    assert.equal(proof.case_id, caseId);

    // Each routed adviser, and the recovery key, can open the case key.
    const wraps = psql(desk.db, `SELECT 'adviser:' || account_id || ':' || encode(wrap, 'hex') FROM key_wraps
      UNION ALL SELECT 'recovery::' || encode(recovery_wrap, 'hex') FROM cases
      UNION ALL SELECT 'reporter::' || encode(reporter_wrap, 'hex') FROM cases ORDER BY 1`).split('\n');
    assert.equal(wraps.length, 4);
    for (const person of desk.people.slice(0, 2)) {
      const line = wraps.find((w) => w.startsWith(`adviser:${person.id}:`));
      const opened = mc.openWrap(Buffer.from(line.split(':')[2], 'hex'),
        person.keys.encryptionPublicKey, person.keys.encryptionSecretKey);
      assert.ok(mc.equalBytes(opened, K));
    }
    const rec = wraps.find((w) => w.startsWith('recovery::'));
    const recSk = recoverySecretKey();
    const recPk = mc.libsodium().crypto_scalarmult_base(recSk);
    assert.ok(mc.equalBytes(mc.openWrap(Buffer.from(rec.split(':')[2], 'hex'), recPk, recSk), K));
    assert.equal(psql(desk.db, 'SELECT encode(recovery_public_key, \'hex\') FROM cases'),
      Buffer.from(recPk).toString('hex'), 'the recovery wrap is stored with its key');
    const own = wraps.find((w) => w.startsWith('reporter::'));
    assert.ok(mc.equalBytes(mc.openWrap(Buffer.from(own.split(':')[2], 'hex'), keys.boxPublicKey,
      keys.boxSecretKey), K), 'the reporter wrap opens with the receipt\'s box key');

    // Later visit: only the receipt.
    const login = await reporterLogin(desk.server, receipt);
    assert.equal(login.res.status, 200);
    const view = (await call(desk.server, 'GET', '/api/v1/reporter/case', { token: login.token })).body;
    assert.equal(view.case_id, caseId);
    assert.equal(view.status, 'new');
    assert.equal(view.organisation, 'bzk');
    assert.equal(view.topic, 'racism');
    assert.ok(mc.verifyProof(view.proof, mc.fromB64(desk.pins.signing)));
    const { sub, report } = openAsReporter(view, keys);
    assert.equal(report.what, sampleReport().what);
    const received = new Date(`${view.received_on}T00:00:00Z`);
    assert.equal(view.acknowledge_by, new Date(received.getTime() + 7 * 86400000).toISOString().slice(0, 10));
    assert.deepEqual(view.advisers.map((a) => a.name).sort(), ['Anna Adviser', 'Bert Adviser']);

    const msg = mc.encryptMessage({ caseId, author: 'reporter', prev: '', text: 'More details follow.' },
      sub.msg, keys.signSecretKey);
    const posted = await call(desk.server, 'POST', '/api/v1/reporter/case/messages',
      { token: login.token, body: { ciphertext: msg.ciphertext, signature: msg.signature } });
    assert.equal(posted.status, 201);
    assert.equal(posted.body.seq, 1);

    const bytes = new Uint8Array(randomBytes(5 * 1024 * 1024));
    const att = mc.encryptAttachment({ caseId, author: 'reporter', name: 'evidence.pdf',
      type: 'application/pdf', bytes }, sub.msg);
    const up = await call(desk.server, 'POST', '/api/v1/reporter/case/attachments', {
      token, raw: att.stream, headers: { 'content-type': 'application/octet-stream',
        'x-meldpunt-attachment-id': att.attachmentId, 'x-meldpunt-meta': att.meta } });
    assert.equal(up.status, 201);
    assert.equal(up.body.id, att.attachmentId);

    const again = (await call(desk.server, 'GET', '/api/v1/reporter/case', { token: login.token })).body;
    assert.equal(again.messages.length, 1);
    const m = again.messages[0];
    assert.equal(m.author, 'reporter');
    const plain = mc.decryptMessage({ caseId, author: 'reporter', ciphertext: m.ciphertext,
      signature: m.signature }, sub.msg, [keys.signPublicKey]);
    assert.equal(plain.text, 'More details follow.');
    assert.equal(again.attachments.length, 1);
    const a = again.attachments[0];
    assert.equal(a.padded_size, mc.paddedAttachmentSize(bytes.length));
    const down = await call(desk.server, 'GET', `/api/v1/reporter/case/attachments/${a.id}`, { token: login.token });
    assert.equal(down.status, 200);
    assert.equal(down.headers.get('content-type'), 'application/octet-stream');
    assert.equal(down.headers.get('content-disposition'), 'attachment');
    const file = mc.decryptAttachment({ caseId, author: 'reporter', attachmentId: a.id,
      stream: down.body, meta: a.meta }, sub.msg);
    assert.equal(file.name, 'evidence.pdf');
    assert.ok(mc.equalBytes(file.bytes, bytes), 'attachment byte-identical');
  });

  test('an excluded adviser gets no wrap and never sees the case listed as a holder', async () => {
    const bert = desk.people[1];
    const { res } = await submitReport(desk.server, { excluded: [bert.id] });
    assert.equal(res.status, 201);
    const caseHex = Buffer.from(mc.fromB64(res.body.case_id)).toString('hex');
    assert.equal(psql(desk.db, `SELECT count(*) FROM key_wraps WHERE case_id = '\\x${caseHex}'
      AND account_id = '${bert.id}'`), '0');
    assert.equal(psql(desk.db, `SELECT count(*) FROM case_exclusions WHERE case_id = '\\x${caseHex}'
      AND account_id = '${bert.id}'`), '1');
  });

  test('an excluded coordinator is stored as excluded', async () => {
    const cora = desk.people[2];
    const { res } = await submitReport(desk.server, { excluded: [cora.id] });
    assert.equal(res.status, 201);
    assert.equal(psql(desk.db, `SELECT count(*) FROM case_exclusions WHERE account_id = '${cora.id}'`), '1');
  });

  test('an Idempotency-Key retry returns the same case and proof with a new token', async () => {
    const prepared = await prepareReport(desk.server);
    const headers = { 'idempotency-key': `retry-${Date.now()}` };
    const first = await call(desk.server, 'POST', '/api/v1/reports', { body: prepared.body, headers });
    const second = await call(desk.server, 'POST', '/api/v1/reports', { body: prepared.body, headers });
    assert.equal(first.status, 201);
    assert.equal(second.status, 201);
    assert.equal(second.body.case_id, first.body.case_id);
    assert.deepEqual(second.body.proof, first.body.proof);
    assert.notEqual(second.body.token, first.body.token);
    const other = await prepareReport(desk.server);
    const third = await call(desk.server, 'POST', '/api/v1/reports', { body: other.body, headers });
    assert.equal(third.status, 409);
    assert.equal(third.body.error.code, 'idempotency_mismatch');
  });

  test('a refused submission keeps no Idempotency-Key: the corrected retry is stored', async () => {
    const first = await submitReport(desk.server);
    const headers = { 'idempotency-key': `refused-${Date.now()}` };
    const reused = await prepareReport(desk.server);
    reused.body.lookup_id = first.body.lookup_id;
    const refused = await call(desk.server, 'POST', '/api/v1/reports', { body: reused.body, headers });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'lookup_id_used');
    const corrected = await prepareReport(desk.server);
    const stored = await call(desk.server, 'POST', '/api/v1/reports', { body: corrected.body, headers });
    assert.equal(stored.status, 201, JSON.stringify(stored.body));
    assert.notEqual(stored.body.case_id, first.res.body.case_id);
  });
});

describe('refusals change nothing', () => {
  let desk;
  before(async () => { desk = await newDesk(); });
  after(async () => { await desk.server.stop(); });

  // Prepare a good report, spoil it, send it, expect status and code, and
  // check that no row was written anywhere.
  async function refused(spoil, status, code, { field, prepare = {} } = {}) {
    const prepared = await prepareReport(desk.server, prepare);
    const body = structuredClone(prepared.body);
    const rawBody = spoil(body, prepared) ?? body;
    const before = counts(desk.db);
    const res = await call(desk.server, 'POST', '/api/v1/reports', { body: rawBody });
    assert.equal(res.status, status, `${code}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error.code, code);
    if (field !== undefined) assert.equal(res.body.error.field, field);
    assert.equal(counts(desk.db), before, 'nothing stored');
    return prepared;
  }
  const adviserWrap = (b) => b.key_wraps.find((w) => w.recipient.startsWith('adviser:'));

  test('missing challenge', () => refused((b) => { delete b.challenge; }, 400, 'invalid_field', { field: 'challenge' }));
  test('expired challenge', () => refused(() => {}, 409, 'challenge_invalid',
    { prepare: { challenge: forgeChallenge({ expires: Math.floor(Date.now() / 1000) - 5 }) } }));
  test('challenge not made by this desk', () => refused(() => {}, 409, 'challenge_invalid',
    { prepare: { challenge: forgeChallenge({ expires: Math.floor(Date.now() / 1000) + 60, key: new Uint8Array(32) }) } }));
  test('reused challenge', async () => {
    const first = await submitReport(desk.server);
    assert.equal(first.res.status, 201);
    await refused(() => {}, 409, 'challenge_invalid', { prepare: { challenge: first.challenge } });
  });
  test('insufficient work', () => refused((b, p) => {
    const c = mc.fromB64(p.challenge.challenge);
    for (let i = 0; ; i++) {
      const nonce = new Uint8Array(8);
      new DataView(nonce.buffer).setUint32(0, i);
      if (!mc.powValid(c, nonce, p.challenge.difficulty)) { b.pow_nonce = mc.toB64(nonce); return; }
    }
  }, 400, 'pow_invalid'));
  test('unknown organisation', () => refused((b) => { b.organisation = 'nope'; }, 400, 'invalid_field', { field: 'organisation' }));
  test('unknown topic', () => refused((b) => { b.topic = 'nope'; }, 400, 'invalid_field', { field: 'topic' }));
  test('an adviser wrap for an adviser outside the routing', async () => {
    const [outsider] = addAccounts(desk.db, [{ name: 'Otto Outside', role: 'adviser', organisations: ['fin'], topics: ['*'] }]);
    await refused((b, p) => {
      b.key_wraps.push(mc.wrapObject(`adviser:${outsider.id}`, outsider.keys.encryptionPublicKey, p.K));
    }, 409, 'routing_changed');
  });
  test('a routed adviser neither wrapped nor excluded', () => refused((b) => {
    b.key_wraps.splice(b.key_wraps.indexOf(adviserWrap(b)), 1);
  }, 409, 'routing_changed'));
  test('a wrapped adviser also listed as excluded', () => refused((b) => {
    b.excluded = [adviserWrap(b).recipient.slice(8)];
  }, 400, 'invalid_field', { field: 'key_wraps' }));
  test('no adviser wrap at all', () => refused((b) => {
    b.excluded = b.key_wraps.filter((w) => w.recipient.startsWith('adviser:')).map((w) => w.recipient.slice(8));
    b.key_wraps = b.key_wraps.filter((w) => !w.recipient.startsWith('adviser:'));
  }, 400, 'invalid_field', { field: 'key_wraps' }));
  test('two reporter wraps', () => refused((b) => {
    b.key_wraps.push(b.key_wraps.find((w) => w.recipient === 'reporter'));
  }, 400, 'invalid_field', { field: 'key_wraps' }));
  test('a missing recovery wrap', () => refused((b) => {
    b.key_wraps = b.key_wraps.filter((w) => w.recipient !== 'recovery');
  }, 400, 'invalid_field', { field: 'key_wraps' }));
  test('a recovery wrap for another key', () => refused((b, p) => {
    const other = mc.libsodium().crypto_box_keypair();
    b.key_wraps = b.key_wraps.filter((w) => w.recipient !== 'recovery');
    b.key_wraps.push(mc.wrapObject('recovery', other.publicKey, p.K));
  }, 409, 'key_changed'));
  test('an adviser wrap for a key that is not the current certified one', () => refused((b, p) => {
    const w = adviserWrap(b);
    const other = mc.libsodium().crypto_box_keypair();
    Object.assign(w, mc.wrapObject(w.recipient, other.publicKey, p.K));
  }, 409, 'key_changed'));
  test('wrong key size', () => refused((b) => { b.lookup_id = mc.toB64(new Uint8Array(31)); }, 400, 'invalid_field', { field: 'lookup_id' }));
  test('wrong wrap size', () => refused((b) => { adviserWrap(b).wrap = mc.toB64(new Uint8Array(79)); }, 400, 'invalid_field', { field: 'key_wraps' }));
  test('wrong commitment size', () => refused((b) => { b.key_commitment = mc.toB64(new Uint8Array(33)); }, 400, 'invalid_field', { field: 'key_commitment' }));
  test('report not padded to whole blocks', () => refused((b) => {
    b.report_ciphertext = mc.toB64(new Uint8Array(4096 + 41));
  }, 400, 'invalid_field', { field: 'report_ciphertext' }));
  test('invalid base64', () => refused((b) => { b.reporter_sign_public_key = '***not-base64***'; }, 400, 'invalid_field', { field: 'reporter_sign_public_key' }));
  test('padded base64 is not the SPEC encoding', () => refused((b) => { b.key_commitment += '='; }, 400, 'invalid_field', { field: 'key_commitment' }));
  test('base64 with a non-ASCII character', () => refused((b) => {
    b.reporter_sign_public_key = `\u00e9${b.reporter_sign_public_key.slice(2)}`;
  }, 400, 'invalid_field', { field: 'reporter_sign_public_key' }));
  test('a report ciphertext with a non-ASCII character', () => refused((b) => {
    b.report_ciphertext = `${b.report_ciphertext.slice(0, 100)}\u00e9${b.report_ciphertext.slice(102)}`;
  }, 400, 'invalid_field', { field: 'report_ciphertext' }));
  test('a report ciphertext in the standard base64 alphabet', () => refused((b) => {
    b.report_ciphertext = `+/${b.report_ciphertext.slice(2)}`;
  }, 400, 'invalid_field', { field: 'report_ciphertext' }));
  test('a report ciphertext with bits set after its last byte', () => refused((b) => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const text = b.report_ciphertext;
    assert.notEqual(text.length % 4, 0, 'the report does not end on a whole group');
    const last = alphabet[alphabet.indexOf(text.at(-1)) | 1];
    b.report_ciphertext = text.slice(0, -1) + last;
  }, 400, 'invalid_field', { field: 'report_ciphertext' }));
  test('a low-order reporter box key', () => refused((b) => {
    b.reporter_box_public_key = mc.toB64(new Uint8Array(32));
    b.key_wraps.find((w) => w.recipient === 'reporter').public_key = b.reporter_box_public_key;
  }, 400, 'invalid_field', { field: 'reporter_box_public_key' }));
  test('extra unknown fields', () => refused((b) => { b.note = 'hello'; }, 400, 'invalid_field'));
  test('wrong types', () => refused((b) => { b.excluded = 'nobody'; }, 400, 'invalid_field', { field: 'excluded' }));
  test('malformed JSON', () => refused((b) => `${JSON.stringify(b).slice(0, -1)}`, 400, 'invalid_json'));
  test('a reused lookup_id', async () => {
    const first = await submitReport(desk.server);
    assert.equal(first.res.status, 201);
    await refused((b) => { b.lookup_id = first.body.lookup_id; }, 409, 'lookup_id_used');
  });
  test('a body over the limit gets 413', async () => {
    const before = counts(desk.db);
    const res = await call(desk.server, 'POST', '/api/v1/reports', { body: `{"x":"${'a'.repeat(1100000)}"}` });
    assert.equal(res.status, 413);
    assert.equal(res.body.error.code, 'too_large');
    assert.equal(counts(desk.db), before);
  });
});

describe('reporter session and follow-up refusals', () => {
  let desk; let a; let b;
  before(async () => {
    desk = await newDesk();
    a = await submitReport(desk.server);
    b = await submitReport(desk.server);
    assert.equal(a.res.status, 201);
    assert.equal(b.res.status, 201);
  });
  after(async () => { await desk.server.stop(); });

  test('wrong signature, unknown id and replayed challenge all give the same 401', async () => {
    const keys = a.keys;
    const ch = (await call(desk.server, 'POST', '/api/v1/reporter/challenge',
      { body: { lookup_id: mc.toB64(keys.lookupId) } })).body;
    const wrongKey = mc.receiptKeys(mc.newReceipt());
    const bad = await call(desk.server, 'POST', '/api/v1/reporter/session', { body: {
      lookup_id: mc.toB64(keys.lookupId), challenge: ch.challenge,
      signature: mc.toB64(mc.reporterLoginSignature(mc.fromB64(ch.challenge), wrongKey.signSecretKey)) } });
    const unknown = await call(desk.server, 'POST', '/api/v1/reporter/session', { body: {
      lookup_id: mc.toB64(wrongKey.lookupId), challenge: ch.challenge,
      signature: mc.toB64(mc.reporterLoginSignature(mc.fromB64(ch.challenge), wrongKey.signSecretKey)) } });
    const good = { lookup_id: mc.toB64(keys.lookupId), challenge: ch.challenge,
      signature: mc.toB64(mc.reporterLoginSignature(mc.fromB64(ch.challenge), keys.signSecretKey)) };
    const ok = await call(desk.server, 'POST', '/api/v1/reporter/session', { body: good });
    const replay = await call(desk.server, 'POST', '/api/v1/reporter/session', { body: good });
    assert.equal(ok.status, 200);
    for (const r of [bad, unknown, replay]) {
      assert.equal(r.status, 401);
      assert.deepEqual(r.body, bad.body);
    }
    assert.equal(bad.body.error.code, 'unauthorized');
  });

  test('an expired reporter challenge is refused', async () => {
    const ch = forgeChallenge({ expires: Math.floor(Date.now() / 1000) - 1, kind: 2, difficulty: 0 });
    const r = await call(desk.server, 'POST', '/api/v1/reporter/session', { body: {
      lookup_id: mc.toB64(a.keys.lookupId), challenge: ch.challenge,
      signature: mc.toB64(mc.reporterLoginSignature(mc.fromB64(ch.challenge), a.keys.signSecretKey)) } });
    assert.equal(r.status, 401);
  });

  test('a proof-of-work challenge is no login challenge', async () => {
    const ch = (await call(desk.server, 'POST', '/api/v1/challenges')).body;
    const r = await call(desk.server, 'POST', '/api/v1/reporter/session', { body: {
      lookup_id: mc.toB64(a.keys.lookupId), challenge: ch.challenge,
      signature: mc.toB64(mc.reporterLoginSignature(mc.fromB64(ch.challenge), a.keys.signSecretKey)) } });
    assert.equal(r.status, 401);
  });

  test("a reporter token reads its own case only", async () => {
    const tokenA = (await reporterLogin(desk.server, a.receipt)).token;
    const viewA = (await call(desk.server, 'GET', '/api/v1/reporter/case', { token: tokenA })).body;
    assert.equal(viewA.case_id, a.res.body.case_id);
    // B's attachment is invisible to A's token.
    const subB = mc.caseSubkeys(b.K);
    const att = mc.encryptAttachment({ caseId: b.res.body.case_id, author: 'reporter', name: 'b.txt',
      type: 'text/plain', bytes: mc.utf8('b') }, subB.msg);
    const up = await call(desk.server, 'POST', '/api/v1/reporter/case/attachments', {
      token: b.res.body.token, raw: att.stream, headers: { 'content-type': 'application/octet-stream',
        'x-meldpunt-attachment-id': att.attachmentId, 'x-meldpunt-meta': att.meta } });
    assert.equal(up.status, 201);
    const steal = await call(desk.server, 'GET', `/api/v1/reporter/case/attachments/${att.attachmentId}`, { token: tokenA });
    assert.equal(steal.status, 404);
    assert.equal(steal.body.error.code, 'not_found');
  });

  test('no token, a bad token and a logged-out token get 401', async () => {
    assert.equal((await call(desk.server, 'GET', '/api/v1/reporter/case')).status, 401);
    assert.equal((await call(desk.server, 'GET', '/api/v1/reporter/case', { token: 'x' })).status, 401);
    const t = (await reporterLogin(desk.server, a.receipt)).token;
    assert.equal((await call(desk.server, 'DELETE', '/api/v1/reporter/session', { token: t })).status, 204);
    assert.equal((await call(desk.server, 'GET', '/api/v1/reporter/case', { token: t })).status, 401);
  });

  test('a message with a bad signature is refused and not stored', async () => {
    const token = (await reporterLogin(desk.server, a.receipt)).token;
    const sub = mc.caseSubkeys(a.K);
    const other = mc.receiptKeys(mc.newReceipt());
    const msg = mc.encryptMessage({ caseId: a.res.body.case_id, author: 'reporter', prev: '', text: 'x' },
      sub.msg, other.signSecretKey);
    const before = psql(desk.db, 'SELECT count(*) FROM messages');
    const r = await call(desk.server, 'POST', '/api/v1/reporter/case/messages',
      { token, body: { ciphertext: msg.ciphertext, signature: msg.signature } });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'bad_signature');
    // A message signed for another case does not verify either.
    const moved = mc.encryptMessage({ caseId: b.res.body.case_id, author: 'reporter', prev: '', text: 'x' },
      sub.msg, a.keys.signSecretKey);
    const r2 = await call(desk.server, 'POST', '/api/v1/reporter/case/messages',
      { token, body: { ciphertext: moved.ciphertext, signature: moved.signature } });
    assert.equal(r2.status, 400);
    assert.equal(psql(desk.db, 'SELECT count(*) FROM messages'), before);
  });

  test('attachment bodies that are not whole stream chunks, too big, or reuse an id', async () => {
    const token = (await reporterLogin(desk.server, a.receipt)).token;
    const sub = mc.caseSubkeys(a.K);
    const att = mc.encryptAttachment({ caseId: a.res.body.case_id, author: 'reporter', name: 'a.txt',
      type: 'text/plain', bytes: mc.utf8('hello') }, sub.msg);
    // Keep-alive asked for, so the connection each answer announces is the server's choice.
    const headers = { 'content-type': 'application/octet-stream', connection: 'keep-alive',
      'x-meldpunt-attachment-id': att.attachmentId, 'x-meldpunt-meta': att.meta };
    const before = psql(desk.db, 'SELECT count(*) FROM attachments');
    const cut = await call(desk.server, 'POST', '/api/v1/reporter/case/attachments',
      { token, raw: att.stream.subarray(0, att.stream.length - 1), headers });
    assert.equal(cut.status, 400);
    assert.equal(cut.body.error.code, 'invalid_stream');
    // Refused unread: the answer says the connection closes, so no client
    // sends its next request down a socket about to be closed.
    assert.equal(cut.headers.get('connection'), 'close');
    const headerOnly = await call(desk.server, 'POST', '/api/v1/reporter/case/attachments',
      { token, raw: att.stream.subarray(0, 24), headers });
    assert.equal(headerOnly.status, 400);
    const wrongType = await call(desk.server, 'POST', '/api/v1/reporter/case/attachments',
      { token, raw: att.stream, headers: { ...headers, 'content-type': 'application/json' } });
    assert.equal(wrongType.status, 415);
    const noMeta = await call(desk.server, 'POST', '/api/v1/reporter/case/attachments',
      { token, raw: att.stream, headers: { ...headers, 'x-meldpunt-meta': 'AAAA' } });
    assert.equal(noMeta.status, 400);
    assert.equal(noMeta.body.error.field, 'X-Meldpunt-Meta');
    assert.equal(psql(desk.db, 'SELECT count(*) FROM attachments'), before);
    const ok = await call(desk.server, 'POST', '/api/v1/reporter/case/attachments', { token, raw: att.stream, headers });
    assert.equal(ok.status, 201);
    assert.equal(ok.headers.get('connection'), 'keep-alive');
    const dup = await call(desk.server, 'POST', '/api/v1/reporter/case/attachments', { token, raw: att.stream, headers });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error.code, 'attachment_id_used');
    assert.equal(dup.headers.get('connection'), 'close', 'refused before its body was read');
    const noSession = await call(desk.server, 'POST', '/api/v1/reporter/case/attachments', { raw: att.stream, headers });
    assert.equal(noSession.status, 401);
    assert.equal(noSession.headers.get('connection'), 'close', 'refused before its body was read');
    assert.equal(psql(desk.db, 'SELECT count(*) FROM attachments'), String(Number(before) + 1));
  });
});

describe('limits', () => {
  test('attachment and case byte limits are enforced before reading', async () => {
    const desk = await newDesk({ settings: { attachment_bytes: String(2 * 65536), case_bytes: String(3 * 65536) } });
    try {
      const s = await submitReport(desk.server);
      const sub = mc.caseSubkeys(s.K);
      const upload = (size) => {
        const att = mc.encryptAttachment({ caseId: s.res.body.case_id, author: 'reporter', name: 'f',
          type: 'application/octet-stream', bytes: new Uint8Array(size) }, sub.msg);
        return call(desk.server, 'POST', '/api/v1/reporter/case/attachments', {
          token: s.res.body.token, raw: att.stream, headers: { 'content-type': 'application/octet-stream',
            'x-meldpunt-attachment-id': att.attachmentId, 'x-meldpunt-meta': att.meta } });
      };
      const big = await upload(3 * 65536);
      assert.equal(big.status, 413);
      assert.equal(big.body.error.code, 'too_large');
      assert.equal((await upload(65536 + 1)).status, 201);	// pads to 2 blocks
      const full = await upload(65536 + 1);
      assert.equal(full.status, 413);
      assert.equal(full.body.error.code, 'case_quota');
      assert.equal((await upload(10)).status, 201);	// 1 block still fits
    } finally {
      await desk.server.stop();
    }
  });
});

describe('no plaintext, receipt or client address anywhere', () => {
  test('a canary in report, message, file name and content is in no dump or log', async () => {
    const canary = `CANARY-${mc.toB64(mc.libsodium().randombytes_buf(9))}`;
    const desk = await newDesk();
    try {
      const s = await submitReport(desk.server, { report: sampleReport({ what: `It happened: ${canary}` }) });
      assert.equal(s.res.status, 201);
      const { token } = await reporterLogin(desk.server, s.receipt);
      const caseId = s.res.body.case_id;
      const sub = mc.caseSubkeys(s.K);
      const msg = mc.encryptMessage({ caseId, author: 'reporter', prev: '', text: `msg ${canary}` },
        sub.msg, s.keys.signSecretKey);
      assert.equal((await call(desk.server, 'POST', '/api/v1/reporter/case/messages',
        { token, body: { ciphertext: msg.ciphertext, signature: msg.signature } })).status, 201);
      const att = mc.encryptAttachment({ caseId, author: 'reporter', name: `${canary}.txt`,
        type: 'text/plain', bytes: mc.utf8(`file ${canary}`) }, sub.msg);
      assert.equal((await call(desk.server, 'POST', '/api/v1/reporter/case/attachments', {
        token, raw: att.stream, headers: { 'content-type': 'application/octet-stream',
          'x-meldpunt-attachment-id': att.attachmentId, 'x-meldpunt-meta': att.meta } })).status, 201);
      await call(desk.server, 'GET', '/api/v1/reporter/case', { token, headers: { 'user-agent': `UA-${canary}` } });
      await desk.server.stop();

      const dump = pgDump(desk.db);
      const daemonLog = desk.server.log();
      const pgLog = readFileSync(`${env.pghost}/postgres.log`, 'latin1');
      const receiptForms = [s.receipt, mc.normaliseReceipt(s.receipt)];
      for (const [name, text] of [['pg_dump', dump], ['daemon log', daemonLog], ['PostgreSQL log', pgLog]]) {
        assert.ok(!text.includes(canary), `canary in ${name}`);
        assert.ok(!text.includes('CANARY'), `canary prefix in ${name}`);
        for (const r of receiptForms) assert.ok(!text.includes(r), `receipt in ${name}`);
        assert.ok(!text.includes(token), `token in ${name}`);
        assert.ok(!text.includes('127.0.0.1'), `client address in ${name}`);
      }
      // The dump does hold the ciphertext: the test looks in the right place.
      assert.ok(dump.includes(Buffer.from(mc.fromB64(s.body.report_ciphertext)).subarray(0, 16).toString('hex')));
    } finally {
      await desk.server.stop();
    }
  });
});

describe('crash safety', () => {
  test('SIGKILL during 50 concurrent submissions loses no acknowledged report and leaves none half-written', async () => {
    const desk = await newDesk({ settings: { threads: '64' } });
    let server = desk.server;
    const prepared = [];
    for (let i = 0; i < 50; i++) prepared.push(await prepareReport(server));
    const acknowledged = [];
    const sends = prepared.map(async (p, i) => {
      await new Promise((r) => setTimeout(r, i * 2));
      try {
        const res = await call(server, 'POST', '/api/v1/reports', { body: p.body });
        if (res.status === 201) acknowledged.push({ p, caseId: res.body.case_id });
      } catch { /* connection cut by the kill: not acknowledged */ }
    });
    // Kill while submissions are in flight, once some have been answered.
    await waitFor(() => acknowledged.length >= 5, { timeout: 30000, interval: 5 });
    await server.kill();
    await Promise.all(sends);
    server = await startServer({ db: desk.db });
    try {
      for (const { p, caseId } of acknowledged) {
        const { token } = await reporterLogin(server, p.receipt);
        const view = (await call(server, 'GET', '/api/v1/reporter/case', { token })).body;
        assert.equal(view.case_id, caseId);
        const { report } = openAsReporter(view, p.keys);
        assert.equal(report.what, sampleReport().what);
      }
      // Every stored case is whole: adviser, reporter and recovery wraps.
      const partial = psql(desk.db, `SELECT count(*) FROM cases c WHERE
        c.reporter_wrap IS NULL OR c.recovery_wrap IS NULL
        OR (SELECT count(*) FROM key_wraps w WHERE w.case_id = c.id) < 1`);
      assert.equal(partial, '0');
      const stored = Number(psql(desk.db, 'SELECT count(*) FROM cases'));
      assert.ok(stored >= acknowledged.length);
      assert.ok(acknowledged.length > 0, 'some submissions were acknowledged before the kill');
    } finally {
      await server.stop();
    }
  });
});

describe('proof-of-work difficulty', () => {
  test('rises by one per doubling of the last hour\'s submissions past the ceiling', async () => {
    const desk = await newDesk({ settings: { pow_ceiling: '10', pow_difficulty: '4' } });
    let server = desk.server;
    try {
      assert.equal((await call(server, 'POST', '/api/v1/challenges')).body.difficulty, 4);
      // 45 spent challenges this hour: past 10, 20 and 40, so d + 3.
      psql(desk.db, `INSERT INTO challenges (challenge, kind, difficulty, expires_at, used)
        SELECT gen_random_bytes(32), 'pow', 4, now() + interval '5 minutes', true
        FROM generate_series(1, 45)`.replace('gen_random_bytes(32)',
        "decode(md5(random()::text) || md5(random()::text), 'hex')"));
      await server.stop();
      server = await startServer({ db: desk.db, settings: { pow_ceiling: '10', pow_difficulty: '4' } });
      const ch = (await call(server, 'POST', '/api/v1/challenges')).body;
      assert.equal(ch.difficulty, 7);
      assert.equal((await call(server, 'GET', '/api/v1/desk')).body.pow_difficulty, 7);
      // The work is checked at the challenge's own difficulty.
      const s = await submitReport(server, { challenge: ch });
      assert.equal(s.res.status, 201);
    } finally {
      await server.stop();
    }
  });
});

describe('per-client limits', () => {
  test('challenges are limited per client; one client\'s refusal leaves the desk open to others', async () => {
    const desk = await newDesk({ settings: { client_challenges: '3', trusted_proxies: '127.0.0.1' } });
    try {
      const ask = (addr) => call(desk.server, 'POST', '/api/v1/challenges',
        { headers: { 'x-forwarded-for': `203.0.113.9, ${addr}` } });
      for (let i = 0; i < 3; i++) assert.equal((await ask('192.0.2.10')).status, 200);
      const refused = await ask('192.0.2.10');
      assert.equal(refused.status, 429);
      assert.equal(refused.body.error.code, 'rate_limited');
      assert.ok(Number(refused.headers.get('retry-after')) > 0);
      assert.equal((await ask('198.51.100.7')).status, 200, 'another client is served');
      // No address, forwarded or not, reaches the log.
      const log = desk.server.log();
      for (const a of ['192.0.2.10', '198.51.100.7', '203.0.113.9']) assert.ok(!log.includes(a));
    } finally {
      await desk.server.stop();
    }
  });

  // Issue 13.9: wrong receipts used to get 401 without end.
  test('the 31st failed reporter login from one client in 15 minutes gets 429, before any work', async () => {
    const desk = await newDesk({ settings: { trusted_proxies: '127.0.0.1' } });
    try {
      const a = await submitReport(desk.server);
      assert.equal(a.res.status, 201);
      const from = (addr) => ({ 'x-forwarded-for': `203.0.113.9, ${addr}` });
      const challenge = (addr, keys) => call(desk.server, 'POST', '/api/v1/reporter/challenge',
        { body: { lookup_id: mc.toB64(keys.lookupId) }, headers: from(addr) });
      const signed = (ch, keys) => ({ lookup_id: mc.toB64(keys.lookupId), challenge: ch,
        signature: mc.toB64(mc.reporterLoginSignature(mc.fromB64(ch), keys.signSecretKey)) });
      const session = (addr, body) => call(desk.server, 'POST', '/api/v1/reporter/session',
        { body, headers: from(addr) });
      const login = async (addr, keys) => {
        const ch = await challenge(addr, keys);
        return ch.status === 200 ? session(addr, signed(ch.body.challenge, keys)) : ch;
      };
      const wrongReceipt = async (addr) => {
        const r = await login(addr, mc.receiptKeys(mc.newReceipt()));
        assert.equal(r.status, 401);
      };
      const isLimited = (r) => {
        assert.equal(r.status, 429);
        assert.equal(r.body.error.code, 'rate_limited');
        const retry = Number(r.headers.get('retry-after'));
        assert.ok(retry > 0 && retry <= 900, `Retry-After ${retry}`);
      };

      for (let i = 0; i < 30; i++) await wrongReceipt('192.0.2.20');
      const ch = (await challenge('192.0.2.21', a.keys)).body.challenge;
      isLimited(await session('192.0.2.20', signed(ch, mc.receiptKeys(mc.newReceipt()))));
      // The right receipt too, and the challenge endpoint.
      isLimited(await session('192.0.2.20', signed(ch, a.keys)));
      isLimited(await challenge('192.0.2.20', a.keys));
      // Before any work: a body that does not parse still gets 429, and the
      // challenge refused above was not spent -- another client uses it.
      isLimited(await call(desk.server, 'POST', '/api/v1/reporter/session',
        { body: '{', headers: from('192.0.2.20') }));
      assert.equal((await session('192.0.2.21', signed(ch, a.keys))).status, 200, 'another client is served');

      // A success resets nothing: 29 failures, a login, one failure more.
      for (let i = 0; i < 29; i++) await wrongReceipt('192.0.2.30');
      assert.equal((await login('192.0.2.30', a.keys)).status, 200);
      await wrongReceipt('192.0.2.30');
      isLimited(await login('192.0.2.30', a.keys));

      const log = desk.server.log();
      for (const addr of ['192.0.2.20', '192.0.2.21', '192.0.2.30', '203.0.113.9']) assert.ok(!log.includes(addr));
    } finally {
      await desk.server.stop();
    }
  });

  test('the bound is a setting', async () => {
    const desk = await newDesk({ settings: { reporter_login_failures: '2' } });
    try {
      const wrong = mc.receiptKeys(mc.newReceipt());
      const attempt = async () => {
        const ch = (await call(desk.server, 'POST', '/api/v1/reporter/challenge',
          { body: { lookup_id: mc.toB64(wrong.lookupId) } })).body.challenge;
        return call(desk.server, 'POST', '/api/v1/reporter/session', { body: { lookup_id: mc.toB64(wrong.lookupId),
          challenge: ch, signature: mc.toB64(mc.reporterLoginSignature(mc.fromB64(ch), wrong.signSecretKey)) } });
      };
      assert.equal((await attempt()).status, 401);
      assert.equal((await attempt()).status, 401);
      const r = await call(desk.server, 'POST', '/api/v1/reporter/challenge',
        { body: { lookup_id: mc.toB64(wrong.lookupId) } });
      assert.equal(r.status, 429);
    } finally {
      await desk.server.stop();
    }
  });
});
