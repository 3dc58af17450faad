// adviser.test.mjs - advisers, coordinators and admins (issue 4): the full
// handling of a report through the API with the shared crypto module,
// deadlines, notes, sharing and exclusions.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { psql } from './lib/harness.mjs';
import { call, mc, newDesk, reporterLogin, submitReport } from './lib/fixtures.mjs';
import { caseHex, certifyAll, enrol, login } from './lib/accounts.mjs';
import { notesKeyBody, openAsAdviser, PEOPLE } from './lib/people.mjs';

describe('full handling of a report', () => {
  let desk; let admin;
  before(async () => {
    desk = await newDesk({ accounts: PEOPLE });
    admin = (await login(desk.server, desk.db, desk.people[4])).token;
  });
  after(async () => { await desk.server.stop(); });

  test('enrol, certify, submit, read, reply, note, classify, close', async () => {
    const { server, db, pins } = desk;
    // The admin creates the account; the invitee enrols and confirms TOTP.
    const created = await call(server, 'POST', '/api/v1/admin/accounts', { token: admin, body: {
      email: 'Eva.Enrolled@Example.nl', name: 'Eva Enrolled', role: 'adviser',
      organisations: ['bzk'], topics: ['racism'] } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const eva = await enrol(server, created.body.invite_token);
    assert.equal(eva.id, created.body.id);
    assert.equal(eva.email, 'eva.enrolled@example.nl');
    assert.match(eva.totpUri, /^otpauth:\/\/totp\/Meldpunt:eva\.enrolled@example\.nl\?secret=[A-Z2-7]+&issuer=Meldpunt&algorithm=SHA1&digits=6&period=30$/);

    // Not routed until certified.
    let routing = (await call(server, 'GET', '/api/v1/routing?organisation=bzk&topic=racism')).body;
    assert.ok(!routing.advisers.some((a) => a.id === eva.id), 'uncertified: not routed');
    const certs = await certifyAll(server, admin);
    assert.deepEqual(certs.map((c) => c.id), [eva.id]);
    routing = (await call(server, 'GET', '/api/v1/routing?organisation=bzk&topic=racism')).body;
    const entry = routing.advisers.find((a) => a.id === eva.id);
    assert.ok(entry, 'certified: routed');
    assert.ok(mc.verifyAdviserKey(entry, mc.currentKey(entry), mc.fromB64(pins.certification)));

    // The reporter submits (wraps for Anna, Bert and Eva).
    const { res, receipt, keys: rkeys } = await submitReport(server);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const caseId = res.body.case_id;

    // The reporter adds a message and a file before anyone answers.
    const rep = await reporterLogin(server, receipt);
    const rview = (await call(server, 'GET', '/api/v1/reporter/case', { token: rep.token })).body;
    const rK = mc.openWrap(mc.fromB64(rview.wrap.wrap), rkeys.boxPublicKey, rkeys.boxSecretKey);
    const rsub = mc.caseSubkeys(rK);
    const rmsg = mc.encryptMessage({ caseId, author: 'reporter', prev: '', text: 'Here is the e-mail.' },
      rsub.msg, rkeys.signSecretKey);
    assert.equal((await call(server, 'POST', '/api/v1/reporter/case/messages', { token: rep.token,
      body: { ciphertext: rmsg.ciphertext, signature: rmsg.signature } })).status, 201);
    const fileBytes = new Uint8Array(randomBytes(70000));
    const att = mc.encryptAttachment({ caseId, author: 'reporter', name: 'mail.eml', type: 'message/rfc822',
      bytes: fileBytes }, rsub.msg);
    assert.equal((await call(server, 'POST', '/api/v1/reporter/case/attachments', { token: rep.token,
      raw: att.stream, headers: { 'content-type': 'application/octet-stream',
        'x-meldpunt-attachment-id': att.attachmentId, 'x-meldpunt-meta': att.meta } })).status, 201);

    // Eva logs in and sees the case in her inbox.
    const session = await login(server, db, eva);
    assert.equal(session.res.status, 200, JSON.stringify(session.res.body));
    assert.equal(session.res.body.adviser.certified, true);
    const token = session.token;
    const sign = mc.adviserSigningKeys(session.secretKey);
    assert.ok(mc.equalBytes(sign.signPublicKey, eva.keys.signPublicKey));
    const inbox = (await call(server, 'GET', '/api/v1/adviser/cases', { token })).body;
    const row = inbox.cases.find((c) => c.case_id === caseId);
    assert.ok(row, 'in the inbox');
    assert.equal(row.status, 'new');
    assert.equal(row.has_wrap, true);
    assert.equal(row.unread, 1);

    // Opens it: report, reporter message and file decrypt.
    const view = (await call(server, 'GET', `/api/v1/adviser/cases/${caseId}`, { token })).body;
    assert.equal(view.wrap.recipient, `adviser:${eva.id}`);
    const { sub, report } = openAsAdviser(view, eva, session.secretKey);
    assert.equal(report.wish, 'advice');
    assert.equal(view.messages.length, 1);
    const got = mc.decryptMessage({ caseId, author: 'reporter', ciphertext: view.messages[0].ciphertext,
      signature: view.messages[0].signature }, sub.msg, [mc.fromB64(view.reporter_sign_public_key)]);
    assert.equal(got.text, 'Here is the e-mail.');
    const a = view.attachments[0];
    const down = await call(server, 'GET', `/api/v1/adviser/cases/${caseId}/attachments/${a.id}`, { token });
    assert.equal(down.status, 200);
    const file = mc.decryptAttachment({ caseId, author: 'reporter', attachmentId: a.id, stream: down.body,
      meta: a.meta }, sub.msg);
    assert.ok(mc.equalBytes(file.bytes, fileBytes));
    assert.deepEqual(view.holders.map((h) => h.name).sort(), ['Anna Adviser', 'Bert Adviser', 'Eva Enrolled']);
    assert.equal(view.note_wrap, null);
    assert.deepEqual(view.classification, { category: null, grounds: [], primary_ground: null, outcome: null });

    // Reads and replies: the first adviser message acknowledges.
    assert.equal((await call(server, 'POST', `/api/v1/adviser/cases/${caseId}/read`, { token,
      body: { seq: 1 } })).status, 204);
    const author = `adviser:${eva.id}`;
    const reply = mc.encryptMessage({ caseId, author, prev: got.id, text: 'Thank you, I will call you.' },
      sub.msg, sign.signSecretKey);
    const posted = await call(server, 'POST', `/api/v1/adviser/cases/${caseId}/messages`, { token,
      body: { ciphertext: reply.ciphertext, signature: reply.signature, feedback: false } });
    assert.equal(posted.status, 201, JSON.stringify(posted.body));
    assert.equal(posted.body.seq, 2);
    const forged = mc.encryptMessage({ caseId, author, prev: '', text: 'x' }, sub.msg, rkeys.signSecretKey);
    assert.equal((await call(server, 'POST', `/api/v1/adviser/cases/${caseId}/messages`, { token,
      body: { ciphertext: forged.ciphertext, signature: forged.signature } })).body.error.code, 'bad_signature');

    // An adviser-sent file.
    const back = mc.encryptAttachment({ caseId, author, name: 'advice.txt', type: 'text/plain',
      bytes: new Uint8Array([1, 2, 3]) }, sub.msg);
    const upload = (file) => call(server, 'POST', `/api/v1/adviser/cases/${caseId}/attachments`, { token,
      raw: file.stream, headers: { 'content-type': 'application/octet-stream',
        'x-meldpunt-attachment-id': file.attachmentId, 'x-meldpunt-meta': file.meta } });
    assert.equal((await upload(back)).status, 201);
    const lastEntry = () => JSON.parse(psql(db, "SELECT convert_from(entry, 'UTF8') FROM audit_log ORDER BY seq DESC LIMIT 1"));
    assert.deepEqual(lastEntry(), { ...lastEntry(), action: 'attachment', actor: eva.id, case_id: caseId });
    // Stored and audited, or neither: an audit entry that cannot be written
    // leaves no attachment behind.
    psql(db, `CREATE FUNCTION test_no_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit refused'; END $$;
      CREATE TRIGGER test_no_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION test_no_audit()`);
    const files = psql(db, 'SELECT count(*) FROM attachments');
    const lost = mc.encryptAttachment({ caseId, author, name: 'lost.txt', type: 'text/plain',
      bytes: new Uint8Array([4]) }, sub.msg);
    try {
      assert.equal((await upload(lost)).status, 503);
    } finally {
      psql(db, 'DROP TRIGGER test_no_audit ON audit_log; DROP FUNCTION test_no_audit()');
    }
    assert.equal(psql(db, 'SELECT count(*) FROM attachments'), files);
    assert.equal((await upload(lost)).status, 201, 'the same file once the audit works');

    // A note under a fresh notes key.
    const again = (await call(server, 'GET', `/api/v1/adviser/cases/${caseId}`, { token })).body;
    assert.equal(again.status, 'acknowledged');
    assert.equal(again.acknowledge_overdue, false);
    const { N, body: nk } = notesKeyBody(again, pins, sign.signSecretKey);
    const nw = await call(server, 'POST', `/api/v1/adviser/cases/${caseId}/note-wraps`, { token, body: nk });
    assert.equal(nw.status, 204, JSON.stringify(nw.body));
    assert.equal((await call(server, 'POST', `/api/v1/adviser/cases/${caseId}/note-wraps`, { token, body: nk }))
      .body.error.code, 'notes_key_exists');
    const note = mc.encryptNote({ caseId, adviserId: eva.id, prev: '', text: 'Reporter sounded credible.' },
      N, sign.signSecretKey);
    const postedNote = await call(server, 'POST', `/api/v1/adviser/cases/${caseId}/notes`, { token,
      body: { ciphertext: note.ciphertext, signature: note.signature } });
    assert.equal(postedNote.status, 201, JSON.stringify(postedNote.body));
    const withNote = (await call(server, 'GET', `/api/v1/adviser/cases/${caseId}`, { token })).body;
    const myNoteKey = mc.openWrap(mc.fromB64(withNote.note_wrap.wrap), eva.keys.encryptionPublicKey,
      session.secretKey);
    assert.ok(mc.verifyNotesKeyCommitment(caseId, myNoteKey, withNote.notes_key_commitment,
      withNote.notes_key_signature, [sign.signPublicKey]));
    const readNote = mc.decryptNote({ caseId, adviserId: eva.id, ciphertext: withNote.notes[0].ciphertext,
      signature: withNote.notes[0].signature }, myNoteKey, [sign.signPublicKey]);
    assert.equal(readNote.text, 'Reporter sounded credible.');

    // The reporter reads the reply, verified against Eva's certified key ...
    const rcase = (await call(server, 'GET', '/api/v1/reporter/case', { token: rep.token })).body;
    assert.equal(rcase.status, 'acknowledged');
    assert.ok(!('notes' in rcase) && !('note_wrap' in rcase), 'no notes for the reporter');
    const evaEntry = rcase.advisers.find((e) => e.id === eva.id);
    const signKeys = mc.authorSignKeys(author, { advisers: rcase.advisers,
      pinnedCertPublicKey: mc.fromB64(pins.certification), createdOn: rcase.messages[1].created_on });
    assert.ok(signKeys.length >= 1 && evaEntry);
    const heard = mc.decryptMessage({ caseId, author, ciphertext: rcase.messages[1].ciphertext,
      signature: rcase.messages[1].signature }, rsub.msg, signKeys);
    assert.equal(heard.text, 'Thank you, I will call you.');
    // ... and nothing the reporter holds opens a note.
    for (const key of [rK, rsub.msg, rsub.report]) {
      assert.throws(() => mc.decryptNote({ caseId, adviserId: eva.id, ciphertext: withNote.notes[0].ciphertext,
        signature: withNote.notes[0].signature }, key, [sign.signPublicKey]));
    }
    assert.throws(() => mc.openWrap(mc.fromB64(withNote.note_wrap.wrap), rkeys.boxPublicKey, rkeys.boxSecretKey));

    // Classify and close: closing needs the classification.
    const early = await call(server, 'PATCH', `/api/v1/adviser/cases/${caseId}`, { token, body: { status: 'closed' } });
    assert.equal(early.status, 400);
    assert.equal(early.body.error.code, 'classification_required');
    const noGround = await call(server, 'PATCH', `/api/v1/adviser/cases/${caseId}`, { token, body: {
      status: 'closed', classification: { category: 'racism', grounds: [], outcome: 'advice' } } });
    assert.equal(noGround.body.error.code, 'classification_required');
    const closed = await call(server, 'PATCH', `/api/v1/adviser/cases/${caseId}`, { token, body: {
      status: 'closed', classification: { category: 'racism', grounds: ['origin_race'],
        primary_ground: 'origin_race', outcome: 'advice' } } });
    assert.equal(closed.status, 204, JSON.stringify(closed.body));
    assert.equal(psql(db, `SELECT organisation || ' ' || topic || ' ' || category || ' ' || primary_ground
      || ' ' || outcome FROM case_facts`), 'bzk racism racism origin_race advice');
    const final = (await call(server, 'GET', `/api/v1/adviser/cases/${caseId}`, { token })).body;
    assert.equal(final.status, 'closed');
    assert.deepEqual(final.classification, { category: 'racism', grounds: ['origin_race'],
      primary_ground: 'origin_race', outcome: 'advice' });
    // Reopen and close again: the facts are stored once.
    assert.equal((await call(server, 'PATCH', `/api/v1/adviser/cases/${caseId}`, { token,
      body: { status: 'in_progress' } })).status, 204);
    assert.equal((await call(server, 'PATCH', `/api/v1/adviser/cases/${caseId}`, { token,
      body: { status: 'new' } })).body.error.code, 'invalid_transition');
    assert.equal((await call(server, 'PATCH', `/api/v1/adviser/cases/${caseId}`, { token,
      body: { status: 'closed' } })).status, 204);
    assert.equal(psql(db, 'SELECT count(*) FROM case_facts'), '1');
    assert.equal(psql(db, `SELECT status FROM cases WHERE id = ${caseHex(caseId)}`), 'closed');
  });
});
