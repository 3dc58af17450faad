// reporter_read.test.mjs - what the reporter has seen, kept in the case on
// the server (issue 18, item 5; docs/protocol.md): GET /api/v1/reporter/case
// carries "read_seq" and the days the desk acknowledged, gave feedback and
// closed; POST /api/v1/reporter/case/read {"seq"} moves the mark forward
// only, up to the last message, and refuses anything else with SPEC 4's
// 400 invalid_field "seq", changing nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { psql } from './lib/harness.mjs';
import { call, mc, newDesk, reporterLogin, submitReport } from './lib/fixtures.mjs';
import { caseHex, login } from './lib/accounts.mjs';
import { openAsAdviser, PEOPLE } from './lib/people.mjs';

describe('the reporter read mark', () => {
  let desk; let anna; let caseId; let token; let other; let otherToken; let sub; let keys;
  const view = async (t = token) => (await call(desk.server, 'GET', '/api/v1/reporter/case', { token: t })).body;
  const read = (body, t = token) => call(desk.server, 'POST', '/api/v1/reporter/case/read', { token: t, body });
  const today = () => psql(desk.db, "SELECT to_char(current_date, 'YYYY-MM-DD')");

  async function adviserReply(text, feedback = false) {
    const v = (await call(desk.server, 'GET', `/api/v1/adviser/cases/${caseId}`, { token: anna.token })).body;
    const { sub: s } = openAsAdviser(v, anna.account, anna.secretKey);
    const sign = mc.adviserSigningKeys(anna.secretKey);
    const m = mc.encryptMessage({ caseId, author: `adviser:${anna.account.id}`, prev: '', text }, s.msg, sign.signSecretKey);
    const r = await call(desk.server, 'POST', `/api/v1/adviser/cases/${caseId}/messages`, { token: anna.token,
      body: { ciphertext: m.ciphertext, signature: m.signature, feedback } });
    assert.equal(r.status, 201);
    return r.body.seq;
  }

  before(async () => {
    desk = await newDesk({ accounts: PEOPLE });
    anna = { ...(await login(desk.server, desk.db, desk.people[0])), account: desk.people[0] };
    const first = await submitReport(desk.server);
    caseId = first.res.body.case_id;
    keys = first.keys;
    sub = first.sub;
    ({ token } = await reporterLogin(desk.server, first.receipt));
    const second = await submitReport(desk.server);
    other = second.res.body.case_id;
    ({ token: otherToken } = await reporterLogin(desk.server, second.receipt));
  });
  after(async () => { await desk.server.stop(); });

  test('a new case: read_seq 0, no acknowledgement, feedback or closing yet', async () => {
    const v = await view();
    assert.equal(v.read_seq, 0);
    assert.equal(v.acknowledged_on, null);
    assert.equal(v.feedback_on, null);
    assert.equal(v.closed_on, null);
    // With no message at all, 0 is the only mark there is.
    assert.equal((await read({ seq: 0 })).status, 204);
    const past = await read({ seq: 1 });
    assert.equal(past.status, 400);
    assert.equal(past.body.error.code, 'invalid_field');
    assert.equal(past.body.error.field, 'seq');
  });

  test('the days the desk acknowledged and gave feedback, from its first reply', async () => {
    assert.equal(await adviserReply('We have received your report.', true), 1);
    const v = await view();
    assert.equal(v.status, 'acknowledged');
    assert.equal(v.acknowledged_on, today());
    assert.equal(v.feedback_on, today());
    assert.equal(v.closed_on, null);
    assert.equal(v.read_seq, 0, 'a reply is new until the reporter has seen it');
  });

  test('bad input gets 400 invalid_field and changes nothing', async () => {
    const m = mc.encryptMessage({ caseId, author: 'reporter', prev: '', text: 'Thank you.' }, sub.msg, keys.signSecretKey);
    const posted = await call(desk.server, 'POST', '/api/v1/reporter/case/messages',
      { token, body: { ciphertext: m.ciphertext, signature: m.signature } });
    assert.equal(posted.body.seq, 2);
    assert.equal((await read({ seq: 1 })).status, 204);
    const before = await view();
    assert.equal(before.read_seq, 1);
    const bad = [
      [{ seq: 3 }, 'seq'], // past the last message
      [{ seq: 2147483647 }, 'seq'],
      [{ seq: -1 }, 'seq'],
      [{ seq: 1.5 }, 'seq'],
      [{ seq: '2' }, 'seq'],
      [{ seq: null }, 'seq'],
      [{ seq: true }, 'seq'],
      [{}, 'seq'],
      [{ seq: 2, extra: 1 }, null],
      [[2], null, 'invalid_json'], // not an object, as everywhere in the API
    ];
    for (const [body, field, code = 'invalid_field'] of bad) {
      const r = await read(body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.error.code, code, JSON.stringify(body));
      if (field) assert.equal(r.body.error.field, field, JSON.stringify(body));
    }
    const broken = await call(desk.server, 'POST', '/api/v1/reporter/case/read', { token, body: '{"seq":2' });
    assert.equal(broken.status, 400);
    assert.equal(broken.body.error.code, 'invalid_json');
    assert.equal((await call(desk.server, 'POST', '/api/v1/reporter/case/read', { body: { seq: 2 } })).status, 401);
    assert.equal((await call(desk.server, 'POST', '/api/v1/reporter/case/read',
      { token: anna.token, body: { seq: 2 } })).status, 401, 'a staff token is no reporter session');
    assert.deepEqual(await view(), before, 'the case is exactly as it was');
  });

  test('the mark moves forward only, and only on its own case', async () => {
    const unread = () => (async () => {
      const list = (await call(desk.server, 'GET', '/api/v1/adviser/cases', { token: anna.token })).body.cases;
      return list.find((c) => c.case_id === caseId).unread;
    })();
    const annaUnread = await unread();
    assert.equal((await read({ seq: 2 })).status, 204);
    assert.equal((await view()).read_seq, 2);
    assert.equal((await read({ seq: 1 })).status, 204);
    assert.equal((await read({ seq: 0 })).status, 204);
    assert.equal((await view()).read_seq, 2, 'never backwards');
    assert.equal((await view(otherToken)).read_seq, 0, 'the other case keeps its own mark');
    assert.equal(psql(desk.db, `SELECT reporter_read_seq FROM cases WHERE id = ${caseHex(other)}`), '0');
    assert.equal(await unread(), annaUnread, "the adviser's unread count is the adviser's own");
    // A later reply is new again until seen.
    assert.equal(await adviserReply('A question for you.'), 3);
    assert.equal((await view()).read_seq, 2);
    assert.equal((await read({ seq: 3 })).status, 204);
    assert.equal((await view()).read_seq, 3);
  });

  test('closing shows the day it closed', async () => {
    const closed = await call(desk.server, 'PATCH', `/api/v1/adviser/cases/${caseId}`, { token: anna.token, body: {
      status: 'closed', classification: { category: 'racism', grounds: ['origin_race'],
        primary_ground: 'origin_race', outcome: 'advice' } } });
    assert.equal(closed.status, 204);
    const v = await view();
    assert.equal(v.status, 'closed');
    assert.equal(v.closed_on, today());
    assert.equal(v.acknowledged_on, today());
  });
});
