// audit.test.mjs - the audit log and retention (issue 4, SPEC 5): every
// action chained in canonical JSON; a daily signed head in the sink;
// meldpuntd audit verify names the first broken entry; the purge removes
// every ciphertext of an expired case and keeps its statistical facts. The
// signing and the purge are jobs of their own (issue 16), never the serving
// daemon's: it holds no owner connection.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { adminConninfo, env, psql, startServer } from './lib/harness.mjs';
import { call, mc, newDesk, reporterLogin, submitReport } from './lib/fixtures.mjs';
import { caseHex, login } from './lib/accounts.mjs';
import { notesKeyBody, openAsAdviser, PEOPLE } from './lib/people.mjs';

// A job run beside the serving daemon, with its configuration; extra holds
// what the job's own unit adds (the owner's connection, for the purge).
function meldpuntd(server, args, extra = {}) {
  const r = spawnSync(env.binary, ['-c', server.confPath, ...args], { encoding: 'utf8',
    env: { ...process.env, ...extra, ASAN_OPTIONS: 'detect_leaks=1' } });
  return { status: r.status, out: r.stdout + r.stderr };
}

const sinkOf = (server) => readFileSync(server.confPath, 'utf8').match(/audit_sink = (.*)/)[1];

describe('audit log', () => {
  let desk; let anna;
  before(async () => {
    desk = await newDesk({ accounts: PEOPLE });
    anna = await login(desk.server, desk.db, desk.people[0]);
  });
  after(async () => { await desk.server.stop(); });

  test('actions are chained as canonical JSON without content or addresses', async () => {
    const { res } = await submitReport(desk.server);
    const caseId = res.body.case_id;
    assert.equal((await call(desk.server, 'GET', `/api/v1/adviser/cases/${caseId}`, { token: anna.token })).status, 200);
    assert.equal((await call(desk.server, 'PATCH', `/api/v1/adviser/cases/${caseId}`, { token: anna.token,
      body: { status: 'in_progress' } })).status, 204);
    const rows = psql(desk.db, "SELECT seq || ' ' || encode(prev_hash, 'hex') || ' ' || encode(hash, 'hex') || ' ' || "
      + "encode(entry, 'hex') FROM audit_log ORDER BY seq").split('\n').map((l) => {
      const [seq, prev, hash, entry] = l.split(' ');
      return { seq: Number(seq), prev, hash, entry: Buffer.from(entry, 'hex').toString('utf8') };
    });
    let prev = new Uint8Array(32);
    for (const r of rows) {
      const e = JSON.parse(r.entry);
      assert.equal(mc.canonicalJson(e), r.entry, 'canonical');
      assert.equal(Buffer.from(prev).toString('hex'), r.prev);
      prev = mc.auditHash(prev, r.entry);
      assert.equal(Buffer.from(prev).toString('hex'), r.hash);
      assert.ok(!/127\.0\.0\.1|::1/.test(r.entry));
    }
    const actions = rows.map((r) => JSON.parse(r.entry).action);
    assert.deepEqual(actions.slice(-3), ['login', 'open_case', 'status']);
    const last = JSON.parse(rows.at(-1).entry);
    assert.deepEqual(Object.keys(last), ['action', 'actor', 'at', 'case_id', 'status']);
    assert.equal(last.actor, desk.people[0].id);
    assert.equal(last.case_id, caseId);
  });

  test('verify passes on the untouched log and names a tampered row', async () => {
    // A head for "yesterday": move every entry a day back, then sign.
    psql(desk.db, "UPDATE audit_log SET at = at - interval '1 day'");
    const signed = meldpuntd(desk.server, ['audit', 'sign']);
    assert.equal(signed.status, 0, signed.out);
    assert.match(signed.out, /audit sign: 1 heads signed/);
    const sink = readFileSync(sinkOf(desk.server), 'utf8').trim().split('\n');
    assert.equal(sink.length, 1);
    const head = JSON.parse(sink[0]);
    assert.ok(mc.libsodium().crypto_sign_verify_detached(mc.fromB64(head.signature),
      mc.auditHeadMessage(head.date, mc.fromB64(head.head)), mc.fromB64(desk.pins.signing)));
    const ok = meldpuntd(desk.server, ['audit', 'verify']);
    assert.equal(ok.status, 0, ok.out);
    assert.match(ok.out, /entries and 1 signed heads hold/);

    psql(desk.db, `UPDATE audit_log SET entry = convert_to(replace(convert_from(entry, 'UTF8'), '"actor":"', '"actor":"x'), 'UTF8') WHERE seq = 2`);
    const bad = meldpuntd(desk.server, ['audit', 'verify']);
    assert.equal(bad.status, 1, bad.out);
    assert.match(bad.out, /entry 2 is broken/);
  });
});

describe('retention purge', () => {
  let desk;
  before(async () => { desk = await newDesk({ accounts: PEOPLE, settings: { retention_days: '30' } }); });
  after(async () => { await desk.server.stop(); });

  async function handledCase(closeIt) {
    const anna = await login(desk.server, desk.db, desk.people[0]);
    const { res, receipt, keys } = await submitReport(desk.server);
    const caseId = res.body.case_id;
    const rep = await reporterLogin(desk.server, receipt);
    const rview = (await call(desk.server, 'GET', '/api/v1/reporter/case', { token: rep.token })).body;
    const rK = mc.openWrap(mc.fromB64(rview.wrap.wrap), keys.boxPublicKey, keys.boxSecretKey);
    const att = mc.encryptAttachment({ caseId, author: 'reporter', name: 'x.bin', type: 'application/octet-stream',
      bytes: new Uint8Array(10) }, mc.caseSubkeys(rK).msg);
    assert.equal((await call(desk.server, 'POST', '/api/v1/reporter/case/attachments', { token: rep.token,
      raw: att.stream, headers: { 'content-type': 'application/octet-stream',
        'x-meldpunt-attachment-id': att.attachmentId, 'x-meldpunt-meta': att.meta } })).status, 201);
    const view = (await call(desk.server, 'GET', `/api/v1/adviser/cases/${caseId}`, { token: anna.token })).body;
    const { sub } = openAsAdviser(view, desk.people[0], anna.secretKey);
    const sign = mc.adviserSigningKeys(anna.secretKey);
    const author = `adviser:${desk.people[0].id}`;
    const m = mc.encryptMessage({ caseId, author, prev: '', text: 'reply' }, sub.msg, sign.signSecretKey);
    assert.equal((await call(desk.server, 'POST', `/api/v1/adviser/cases/${caseId}/messages`, { token: anna.token,
      body: { ciphertext: m.ciphertext, signature: m.signature } })).status, 201);
    const { N, body } = notesKeyBody(view, desk.pins, sign.signSecretKey);
    assert.equal((await call(desk.server, 'POST', `/api/v1/adviser/cases/${caseId}/note-wraps`, { token: anna.token, body })).status, 204);
    const note = mc.encryptNote({ caseId, adviserId: desk.people[0].id, prev: '', text: 'n' }, N, sign.signSecretKey);
    assert.equal((await call(desk.server, 'POST', `/api/v1/adviser/cases/${caseId}/notes`, { token: anna.token,
      body: { ciphertext: note.ciphertext, signature: note.signature } })).status, 201);
    if (closeIt) {
      assert.equal((await call(desk.server, 'PATCH', `/api/v1/adviser/cases/${caseId}`, { token: anna.token, body: {
        status: 'closed', classification: { category: 'bullying', grounds: [], outcome: 'mediation' } } })).status, 204);
    }
    return { caseId, token: anna.token, rep };
  }

  const leftovers = (caseId) => psql(desk.db, `SELECT
      (SELECT count(*) FROM key_wraps WHERE case_id = ${caseHex(caseId)}) || ' ' ||
      (SELECT count(*) FROM note_wraps WHERE case_id = ${caseHex(caseId)}) || ' ' ||
      (SELECT count(*) FROM messages WHERE case_id = ${caseHex(caseId)}) || ' ' ||
      (SELECT count(*) FROM notes WHERE case_id = ${caseHex(caseId)}) || ' ' ||
      (SELECT count(*) FROM attachments WHERE case_id = ${caseHex(caseId)}) || ' ' ||
      (SELECT count(*) FROM attachment_chunks k JOIN attachments a ON a.id = k.attachment_id
        WHERE a.case_id = ${caseHex(caseId)}) || ' ' ||
      (SELECT count(*) FROM cases WHERE id = ${caseHex(caseId)} AND (lookup_id IS NOT NULL
        OR report_ciphertext IS NOT NULL OR reporter_sign_public_key IS NOT NULL
        OR reporter_box_public_key IS NOT NULL OR key_commitment IS NOT NULL
        OR proof_signature IS NOT NULL OR notes_key_commitment IS NOT NULL
        OR reporter_wrap IS NOT NULL OR recovery_wrap IS NOT NULL))`);

  test('an expired case loses every ciphertext and keeps its facts; open cases are untouched', async () => {
    const expired = await handledCase(true);
    const recent = await handledCase(true);
    const open = await handledCase(false);
    psql(desk.db, `UPDATE cases SET closed_on = current_date - 31 WHERE id = ${caseHex(expired.caseId)}`);
    psql(desk.db, `UPDATE cases SET closed_on = current_date - 30 WHERE id = ${caseHex(recent.caseId)}`);
    const before1 = leftovers(open.caseId);
    assert.equal(leftovers(expired.caseId), '2 3 1 1 1 1 1');
    // Without the owner's connection the purge refuses, and purges nothing.
    const refused = meldpuntd(desk.server, ['purge']);
    assert.equal(refused.status, 1, refused.out);
    assert.match(refused.out, /purge: admin_database is not set/);
    assert.equal(leftovers(expired.caseId), '2 3 1 1 1 1 1');
    const r = meldpuntd(desk.server, ['purge'], { MELDPUNT_ADMIN_DATABASE: adminConninfo(desk.db) });
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /purge: 1 cases purged/);
    assert.equal(leftovers(expired.caseId), '0 0 0 0 0 0 0');
    assert.equal(leftovers(recent.caseId), before1);
    assert.equal(leftovers(open.caseId), before1);
    assert.equal(psql(desk.db, `SELECT purged_on IS NOT NULL FROM cases WHERE id = ${caseHex(expired.caseId)}`), 't');
    assert.equal(psql(desk.db, "SELECT count(*) FROM case_facts WHERE category = 'bullying'"), '2');
    assert.match(psql(desk.db, "SELECT convert_from(entry, 'UTF8') FROM audit_log ORDER BY seq DESC LIMIT 1"),
      new RegExp(`"action":"purge","actor":"system".*"case_id":"${expired.caseId}"`));
    // Nobody can open, list or reopen it any more; the reporter's session ended.
    assert.equal((await call(desk.server, 'GET', `/api/v1/adviser/cases/${expired.caseId}`, { token: expired.token })).status, 404);
    assert.equal((await call(desk.server, 'PATCH', `/api/v1/adviser/cases/${expired.caseId}`, { token: expired.token,
      body: { status: 'in_progress' } })).status, 404);
    assert.equal((await call(desk.server, 'GET', '/api/v1/reporter/case', { token: expired.rep.token })).status, 401);
    assert.equal((await call(desk.server, 'GET', '/api/v1/reporter/case', { token: open.rep.token })).status, 200);
    assert.equal(meldpuntd(desk.server, ['audit', 'verify']).status, 0);
  });
});

describe('the serving daemon neither signs nor purges', () => {
  test('a desk started with a finished day and an expired case leaves both to the jobs', async () => {
    // The maintenance thread runs its first round before the daemon
    // listens: by the time it is listening, anything that round did is done.
    const first = await newDesk({ accounts: PEOPLE, settings: { retention_days: '30' } });
    const { res } = await submitReport(first.server);
    const caseId = res.body.case_id;
    const anna = await login(first.server, first.db, first.people[0]);
    assert.equal((await call(first.server, 'GET', `/api/v1/adviser/cases/${caseId}`, { token: anna.token })).status, 200);
    assert.equal((await call(first.server, 'PATCH', `/api/v1/adviser/cases/${caseId}`, { token: anna.token, body: {
      status: 'closed', classification: { category: 'bullying', grounds: [], outcome: 'mediation' } } })).status, 204);
    await first.server.stop();
    psql(first.db, "UPDATE audit_log SET at = at - interval '1 day'");
    psql(first.db, `UPDATE cases SET closed_on = current_date - 31 WHERE id = ${caseHex(caseId)}`);
    const server = await startServer({ db: first.db, settings: { retention_days: '30' } });
    try {
      assert.doesNotMatch(readFileSync(server.confPath, 'utf8'), /admin_database/);
      assert.equal(psql(first.db, 'SELECT count(*) FROM audit_heads'), '0');
      assert.equal(existsSync(sinkOf(server)), false, 'no sink written by serve');
      assert.equal(psql(first.db, `SELECT purged_on IS NULL FROM cases WHERE id = ${caseHex(caseId)}`), 't');

      const signed = meldpuntd(server, ['audit', 'sign']);
      assert.equal(signed.status, 0, signed.out);
      assert.match(signed.out, /audit sign: 1 heads signed/);
      assert.equal(psql(first.db, 'SELECT count(*) FROM audit_heads'), '1');
      const purged = meldpuntd(server, ['purge'], { MELDPUNT_ADMIN_DATABASE: adminConninfo(first.db) });
      assert.equal(purged.status, 0, purged.out);
      assert.match(purged.out, /purge: 1 cases purged/);
      assert.equal(psql(first.db, `SELECT purged_on IS NOT NULL FROM cases WHERE id = ${caseHex(caseId)}`), 't');
      // Run again, each job finds nothing left to do.
      assert.match(meldpuntd(server, ['audit', 'sign']).out, /audit sign: 0 heads signed/);
      assert.match(meldpuntd(server, ['purge'], { MELDPUNT_ADMIN_DATABASE: adminConninfo(first.db) }).out,
        /purge: 0 cases purged/);
    } finally {
      await server.stop();
    }
  });
});
