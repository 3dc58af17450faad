// cases.test.mjs - case handling rules (issue 4): deadlines and overdue
// flags, exclusions by the reporter, sharing, notes keys and holders,
// inbox paging.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { psql } from './lib/harness.mjs';
import { call, mc, newDesk, submitReport } from './lib/fixtures.mjs';
import { caseHex, login } from './lib/accounts.mjs';
import { notesKeyBody, openAsAdviser, PEOPLE } from './lib/people.mjs';

const addDays = (day, n) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);
const addMonths = (day, n) => {
  const d = new Date(`${day}T00:00:00Z`);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, d.getUTCDate()));
  // PostgreSQL clamps to the month's last day.
  if (target.getUTCDate() !== d.getUTCDate()) target.setUTCDate(0);
  return target.toISOString().slice(0, 10);
};

describe('case handling', () => {
  let desk; let anna; let bert; let cora; let fay; let dirk;
  before(async () => {
    const people = PEOPLE.map((p) => (p.name === 'Dirk Central' ? { ...p, passphrase: 'dirk central test passphrase' } : p));
    desk = await newDesk({ accounts: people });
    const s = async (i) => ({ ...(await login(desk.server, desk.db, desk.people[i])), account: desk.people[i] });
    [anna, bert, cora, dirk, fay] = [await s(0), await s(1), await s(2), await s(3), await s(5)];
  });
  after(async () => { await desk.server.stop(); });

  test('deadlines and overdue flags for cases received 6, 8 and 95 days ago', async () => {
    const ids = [];
    for (const days of [6, 8, 95]) {
      const { res } = await submitReport(desk.server);
      ids.push(res.body.case_id);
      psql(desk.db, `UPDATE cases SET received_on = current_date - ${days} WHERE id = ${caseHex(res.body.case_id)}`);
    }
    const today = psql(desk.db, "SELECT to_char(current_date, 'YYYY-MM-DD')");
    const list = (await call(desk.server, 'GET', '/api/v1/adviser/cases', { token: anna.token })).body.cases;
    const flags = ids.map((id) => {
      const c = list.find((x) => x.case_id === id);
      assert.equal(c.acknowledge_by, addDays(c.received_on, 7));
      assert.equal(c.feedback_by, addMonths(c.received_on, 3));
      return [c.received_on, c.acknowledge_overdue, c.feedback_overdue];
    });
    assert.deepEqual(flags, [[addDays(today, -6), false, false], [addDays(today, -8), true, false],
      [addDays(today, -95), true, true]]);
    // The inbox is newest first; a reply clears the acknowledgement flag,
    // a feedback message the feedback flag.
    assert.deepEqual(list.slice(-3).map((c) => c.case_id), ids);
    const old = ids[2];
    const view = (await call(desk.server, 'GET', `/api/v1/adviser/cases/${old}`, { token: anna.token })).body;
    const { sub } = openAsAdviser(view, anna.account, anna.secretKey);
    const sign = mc.adviserSigningKeys(anna.secretKey);
    const author = `adviser:${anna.account.id}`;
    const m = mc.encryptMessage({ caseId: old, author, prev: '', text: 'Our findings.' }, sub.msg, sign.signSecretKey);
    assert.equal((await call(desk.server, 'POST', `/api/v1/adviser/cases/${old}/messages`, { token: anna.token,
      body: { ciphertext: m.ciphertext, signature: m.signature, feedback: true } })).status, 201);
    const after1 = (await call(desk.server, 'GET', `/api/v1/adviser/cases/${old}`, { token: anna.token })).body;
    assert.equal(after1.acknowledge_overdue, false);
    assert.equal(after1.feedback_overdue, false);
    assert.equal(after1.messages[0].feedback, true);
    // Coordinators see the same deadlines in their overview.
    const cl = (await call(desk.server, 'GET', '/api/v1/adviser/cases', { token: cora.token })).body.cases;
    assert.equal(cl.find((c) => c.case_id === ids[1]).acknowledge_overdue, true);
    // Paging: limit and next.
    const p1 = (await call(desk.server, 'GET', '/api/v1/adviser/cases?limit=2', { token: anna.token })).body;
    assert.equal(p1.cases.length, 2);
    const p2 = (await call(desk.server, 'GET', `/api/v1/adviser/cases?limit=2&after=${p1.next}`, { token: anna.token })).body;
    assert.deepEqual([...p1.cases, ...p2.cases].map((c) => c.case_id), list.slice(0, 4).map((c) => c.case_id));
    assert.equal((await call(desk.server, 'GET', '/api/v1/adviser/cases?limit=201', { token: anna.token })).status, 400);
    const closedOnly = (await call(desk.server, 'GET', '/api/v1/adviser/cases?status=closed', { token: anna.token })).body;
    assert.deepEqual(closedOnly.cases, []);
  });

  test('an excluded adviser cannot open, list or be shared the case; an excluded coordinator does not see it', async () => {
    const { res } = await submitReport(desk.server, { excluded: [bert.account.id, cora.account.id] });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const caseId = res.body.case_id;
    const r = await call(desk.server, 'GET', `/api/v1/adviser/cases/${caseId}`, { token: bert.token });
    assert.equal(r.status, 404);
    assert.ok(!(await call(desk.server, 'GET', '/api/v1/adviser/cases', { token: bert.token })).body.cases
      .some((c) => c.case_id === caseId));
    assert.ok(!(await call(desk.server, 'GET', '/api/v1/adviser/cases', { token: cora.token })).body.cases
      .some((c) => c.case_id === caseId));
    assert.equal((await call(desk.server, 'GET', `/api/v1/adviser/cases/${caseId}`, { token: cora.token })).status, 404);
    // The central coordinator was not excluded: metadata only.
    const meta = await call(desk.server, 'GET', `/api/v1/adviser/cases/${caseId}`, { token: dirk.token });
    assert.equal(meta.status, 200);
    assert.equal(meta.body.has_wrap, false);
    // Anna may not share it with Bert.
    const view = (await call(desk.server, 'GET', `/api/v1/adviser/cases/${caseId}`, { token: anna.token })).body;
    assert.deepEqual(view.excluded, [bert.account.id, cora.account.id].sort());
    const { K } = openAsAdviser(view, anna.account, anna.secretKey);
    const colleagues = (await call(desk.server, 'GET', '/api/v1/adviser/colleagues', { token: anna.token })).body.colleagues;
    const bertEntry = colleagues.find((c) => c.id === bert.account.id);
    const w = mc.wrapForAdviser(K, bertEntry, mc.fromB64(desk.pins.certification));
    const shared = await call(desk.server, 'POST', `/api/v1/adviser/cases/${caseId}/share`, { token: anna.token,
      body: { adviser_id: bert.account.id, public_key: w.public_key, wrap: w.wrap } });
    assert.equal(shared.status, 409);
    assert.equal(shared.body.error.code, 'excluded_by_reporter');
  });

  test('sharing: a colleague gets the case key (and the notes key), checked against the current key', async () => {
    const { res } = await submitReport(desk.server);
    const caseId = res.body.case_id;
    const view = (await call(desk.server, 'GET', `/api/v1/adviser/cases/${caseId}`, { token: anna.token })).body;
    const { K } = openAsAdviser(view, anna.account, anna.secretKey);
    const sign = mc.adviserSigningKeys(anna.secretKey);
    // Notes key first: holders must be exactly the wrap holders plus recovery.
    const partial = notesKeyBody(view, desk.pins, sign.signSecretKey);
    partial.body.wraps = partial.body.wraps.slice(1);
    assert.equal((await call(desk.server, 'POST', `/api/v1/adviser/cases/${caseId}/note-wraps`, { token: anna.token,
      body: partial.body })).body.error.code, 'holders_changed');
    const badSig = notesKeyBody(view, desk.pins, sign.signSecretKey);
    badSig.body.notes_key_signature = mc.toB64(new Uint8Array(64));
    assert.equal((await call(desk.server, 'POST', `/api/v1/adviser/cases/${caseId}/note-wraps`, { token: anna.token,
      body: badSig.body })).body.error.code, 'bad_signature');
    const { N, body } = notesKeyBody(view, desk.pins, sign.signSecretKey);
    assert.equal((await call(desk.server, 'POST', `/api/v1/adviser/cases/${caseId}/note-wraps`, { token: anna.token,
      body })).status, 204);
    const colleagues = (await call(desk.server, 'GET', '/api/v1/adviser/colleagues', { token: anna.token })).body.colleagues;
    assert.ok(colleagues.length > 0, 'colleagues to check');
    assert.ok(colleagues.every((c) => mc.verifyAdviserKey(c, mc.currentKey(c), mc.fromB64(desk.pins.certification))));
    const fayEntry = colleagues.find((c) => c.id === fay.account.id);
    const w = mc.wrapForAdviser(K, fayEntry, mc.fromB64(desk.pins.certification));
    const url = `/api/v1/adviser/cases/${caseId}/share`;
    const noNote = await call(desk.server, 'POST', url, { token: anna.token,
      body: { adviser_id: fay.account.id, public_key: w.public_key, wrap: w.wrap } });
    assert.equal(noNote.status, 409);
    assert.equal(noNote.body.error.code, 'holders_changed');
    const other = mc.newAdviserKeys();
    const stale = await call(desk.server, 'POST', url, { token: anna.token, body: { adviser_id: fay.account.id,
      public_key: mc.toB64(other.encryptionPublicKey), wrap: mc.toB64(mc.wrapKey(K, other.encryptionPublicKey)),
      note_wrap: mc.toB64(mc.wrapKey(N, other.encryptionPublicKey)) } });
    assert.equal(stale.body.error.code, 'key_changed');
    assert.equal((await call(desk.server, 'GET', `/api/v1/adviser/cases/${caseId}`, { token: fay.token })).status, 404);
    const ok = await call(desk.server, 'POST', url, { token: anna.token, body: { adviser_id: fay.account.id,
      public_key: w.public_key, wrap: w.wrap,
      note_wrap: mc.toB64(mc.wrapKey(N, mc.fromB64(w.public_key))) } });
    assert.equal(ok.status, 204, JSON.stringify(ok.body));
    const fview = (await call(desk.server, 'GET', `/api/v1/adviser/cases/${caseId}`, { token: fay.token })).body;
    const opened = openAsAdviser(fview, fay.account, fay.secretKey);
    assert.ok(mc.equalBytes(opened.K, K));
    const fN = mc.openWrap(mc.fromB64(fview.note_wrap.wrap), fay.account.keys.encryptionPublicKey, fay.secretKey);
    assert.ok(mc.verifyNotesKeyCommitment(caseId, fN, fview.notes_key_commitment, fview.notes_key_signature,
      [sign.signPublicKey]));
    // A metadata-only coordinator cannot change the case.
    assert.equal((await call(desk.server, 'PATCH', `/api/v1/adviser/cases/${caseId}`, { token: cora.token,
      body: { status: 'in_progress' } })).status, 403);
  });
});
