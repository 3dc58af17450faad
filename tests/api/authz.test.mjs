// authz.test.mjs - the authorization matrix (issue 4): every adviser,
// coordinator and admin endpoint with every role and with tokens of the
// wrong kind. Only the intended pairs succeed; a case the caller may not
// see answers exactly as an unknown id.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { call, mc, newDesk, reporterLogin, submitReport } from './lib/fixtures.mjs';
import { login } from './lib/accounts.mjs';
import { PEOPLE } from './lib/people.mjs';

describe('authorization matrix', () => {
  let desk; let tokens; let caseId; let attId; let unknownCase;
  before(async () => {
    desk = await newDesk({ accounts: [...PEOPLE,
      { name: 'Nico Analyst', role: 'analyst', organisations: [], topics: [], passphrase: 'nico analyst test passphrase' }] });
    unknownCase = mc.toB64(new Uint8Array(16).fill(7));
    const [anna, , cora, , ada, fay, nico] = desk.people;
    const { res, receipt } = await submitReport(desk.server);
    caseId = res.body.case_id;
    const rep = await reporterLogin(desk.server, receipt);
    tokens = {
      none: undefined,
      bogus: mc.toB64(new Uint8Array(32).fill(1)),
      reporter: rep.token,
      adviser: (await login(desk.server, desk.db, anna)).token,
      other_adviser: (await login(desk.server, desk.db, fay)).token,
      coordinator: (await login(desk.server, desk.db, cora)).token,
      admin: (await login(desk.server, desk.db, ada)).token,
      analyst: (await login(desk.server, desk.db, nico)).token,
    };
    // An attachment from the reporter, for the download rows.
    const view = (await call(desk.server, 'GET', `/api/v1/adviser/cases/${caseId}`, { token: tokens.adviser })).body;
    assert.ok(view.wrap);
    const att = mc.encryptAttachment({ caseId, author: 'reporter', name: 'a.txt', type: 'text/plain',
      bytes: new Uint8Array([1]) }, mc.caseSubkeys(mc.newCaseKey()).msg);
    const up = await call(desk.server, 'POST', '/api/v1/reporter/case/attachments', { token: rep.token,
      raw: att.stream, headers: { 'content-type': 'application/octet-stream',
        'x-meldpunt-attachment-id': att.attachmentId, 'x-meldpunt-meta': att.meta } });
    assert.equal(up.status, 201);
    attId = att.attachmentId;
  });
  after(async () => { await desk.server.stop(); });

  // [method, path, body, {role: expected status}]; unlisted roles: 401 for
  // none/bogus/reporter, else the row's default.
  const C = () => `/api/v1/adviser/cases/${caseId}`;
  const rows = () => [
    ['GET', '/api/v1/adviser/cases', undefined, { adviser: 200, other_adviser: 200, coordinator: 200, admin: 403, analyst: 403 }],
    ['GET', C(), undefined, { adviser: 200, other_adviser: 404, coordinator: 200, admin: 403, analyst: 403 }],
    ['PATCH', C(), {}, { adviser: 400, other_adviser: 404, coordinator: 403, admin: 403, analyst: 403 }],
    ['POST', `${C()}/messages`, {}, { adviser: 400, other_adviser: 404, coordinator: 403, admin: 403, analyst: 403 }],
    ['POST', `${C()}/read`, { seq: 0 }, { adviser: 204, other_adviser: 404, coordinator: 403, admin: 403, analyst: 403 }],
    ['POST', `${C()}/note-wraps`, {}, { adviser: 400, other_adviser: 404, coordinator: 403, admin: 403, analyst: 403 }],
    ['POST', `${C()}/notes`, {}, { adviser: 400, other_adviser: 404, coordinator: 403, admin: 403, analyst: 403 }],
    ['POST', `${C()}/share`, {}, { adviser: 400, other_adviser: 404, coordinator: 403, admin: 403, analyst: 403 }],
    ['GET', `${C()}/attachments/${attId}`, undefined, { adviser: 200, other_adviser: 404, coordinator: 403, admin: 403, analyst: 403 }],
    ['GET', '/api/v1/adviser/colleagues', undefined, { adviser: 200, other_adviser: 200, coordinator: 200, admin: 403, analyst: 403 }],
    ['GET', '/api/v1/admin/accounts', undefined, { admin: 200, adviser: 403, other_adviser: 403, coordinator: 403, analyst: 403 }],
    ['POST', '/api/v1/admin/accounts', {}, { admin: 400, adviser: 403, other_adviser: 403, coordinator: 403, analyst: 403 }],
    ['PATCH', `/api/v1/admin/accounts/${desk.people[0].id}`, {}, { admin: 204, adviser: 403, other_adviser: 403, coordinator: 403, analyst: 403 }],
    ['POST', `/api/v1/admin/accounts/${desk.people[3].id}/invite`, undefined, { admin: 201, adviser: 403, other_adviser: 403, coordinator: 403, analyst: 403 }],
    ['POST', '/api/v1/admin/accounts/00000000-0000-4000-8000-000000000000/deactivate', undefined, { admin: 404, adviser: 403, other_adviser: 403, coordinator: 403, analyst: 403 }],
    ['GET', '/api/v1/admin/certificates/pending', undefined, { admin: 200, adviser: 403, other_adviser: 403, coordinator: 403, analyst: 403 }],
    ['PUT', `/api/v1/admin/accounts/${desk.people[0].id}/certificate`, {}, { admin: 400, adviser: 403, other_adviser: 403, coordinator: 403, analyst: 403 }],
    ['GET', '/api/v1/admin/organisations', undefined, { admin: 200, adviser: 403, other_adviser: 403, coordinator: 403, analyst: 403 }],
    ['POST', '/api/v1/admin/organisations', {}, { admin: 400, adviser: 403, other_adviser: 403, coordinator: 403, analyst: 403 }],
    ['PATCH', '/api/v1/admin/organisations/bzk', {}, { admin: 204, adviser: 403, other_adviser: 403, coordinator: 403, analyst: 403 }],
    ['GET', '/api/v1/admin/topics', undefined, { admin: 200, adviser: 403, other_adviser: 403, coordinator: 403, analyst: 403 }],
    ['POST', '/api/v1/admin/topics', {}, { admin: 400, adviser: 403, other_adviser: 403, coordinator: 403, analyst: 403 }],
    ['PATCH', '/api/v1/admin/topics/racism', {}, { admin: 204, adviser: 403, other_adviser: 403, coordinator: 403, analyst: 403 }],
    ['PUT', '/api/v1/adviser/passphrase', {}, { adviser: 400, other_adviser: 400, coordinator: 400, admin: 400, analyst: 400 }],
    ['PUT', '/api/v1/adviser/totp', {}, { adviser: 400, other_adviser: 400, coordinator: 400, admin: 400, analyst: 400 }],
    ['GET', '/api/v1/adviser/notifications', undefined, { adviser: 200, other_adviser: 200, coordinator: 200, admin: 403, analyst: 403 }],
    ['PUT', '/api/v1/adviser/notifications', {}, { adviser: 400, other_adviser: 400, coordinator: 400, admin: 403, analyst: 403 }],
    // Reporter endpoints refuse every account token.
    ['GET', '/api/v1/reporter/case', undefined, { reporter: 200, adviser: 401, other_adviser: 401, coordinator: 401, admin: 401, analyst: 401 }],
    ['POST', '/api/v1/reporter/case/read', { seq: 0 }, { reporter: 204, adviser: 401, other_adviser: 401, coordinator: 401, admin: 401, analyst: 401 }],
  ];

  test('every endpoint with every kind of token', async () => {
    const failures = [];
    let checked = 0;
    for (const [method, path, body, expect] of rows()) {
      for (const [role, token] of Object.entries(tokens)) {
        const want = expect[role] ?? 401;
        const r = await call(desk.server, method, path, { token, body });
        if (r.status !== want) failures.push(`${method} ${path} as ${role}: ${r.status}, expected ${want}`);
        checked++;
      }
    }
    assert.deepEqual(failures, []);
    assert.ok(checked > 0, 'pairs checked');
  });

  test('a case routed only to others answers as an unknown id', async () => {
    const hidden = await call(desk.server, 'GET', `/api/v1/adviser/cases/${caseId}`, { token: tokens.other_adviser });
    const unknown = await call(desk.server, 'GET', `/api/v1/adviser/cases/${unknownCase}`, { token: tokens.other_adviser });
    assert.equal(hidden.status, 404);
    assert.equal(JSON.stringify(hidden.body), JSON.stringify(unknown.body));
    const list = (await call(desk.server, 'GET', '/api/v1/adviser/cases', { token: tokens.other_adviser })).body;
    assert.deepEqual(list.cases, []);
  });

  test('a coordinator sees metadata with deadlines, never content', async () => {
    const meta = await call(desk.server, 'GET', `/api/v1/adviser/cases/${caseId}`, { token: tokens.coordinator });
    assert.equal(meta.status, 200);
    assert.equal(meta.body.has_wrap, false);
    assert.ok(meta.body.acknowledge_by && meta.body.feedback_by);
    for (const k of ['report_ciphertext', 'wrap', 'messages', 'attachments', 'notes', 'note_wrap', 'key_commitment', 'proof']) {
      assert.ok(!(k in meta.body), `no ${k}`);
    }
    const list = (await call(desk.server, 'GET', '/api/v1/adviser/cases', { token: tokens.coordinator })).body;
    assert.deepEqual(list.cases.map((c) => [c.case_id, c.has_wrap]), [[caseId, false]]);
  });
});
