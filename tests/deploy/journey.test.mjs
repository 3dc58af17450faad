// journey.test.mjs - the desk as installed from the package, through nginx
// over TLS (tests/deploy/run starts it all and sets the environment): the
// first admin from `meldpuntd create-admin`, an adviser enrolled and
// certified offline with the installed meldpunt-keys, then the reporter's
// and the adviser's journeys over https://, the headers nginx passes and
// adds, its limits, the onion site, and the desk answering after one of its
// two instances stops. The requests carry a canary in every place a log
// line could copy from (user agent, referrer, query, X-Forwarded-For);
// run greps every log for it afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SECURITY_HEADERS, waitFor } from '../api/lib/harness.mjs';
import { call, mc, pins, reporterLogin, submitReport } from '../api/lib/fixtures.mjs';
import { certifyAll, enrol, login } from '../api/lib/accounts.mjs';
import { openAsAdviser } from '../api/lib/people.mjs';

const must = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run through tests/deploy/run`);
  return v;
};
const desk = { url: must('MELDPUNT_DEPLOY_URL') };		// https://127.0.0.1:PORT
const onion = { url: must('MELDPUNT_DEPLOY_ONION_URL') };	// nginx's onion site
const redirect = must('MELDPUNT_DEPLOY_HTTP_URL');		// plain HTTP on nginx
const onionHost = must('MELDPUNT_DEPLOY_ONION_HOST');
const invite = must('MELDPUNT_DEPLOY_INVITE');
const db = must('MELDPUNT_DEPLOY_DB');
const canary = must('MELDPUNT_DEPLOY_CANARY');
const instancePid = Number(must('MELDPUNT_DEPLOY_STOP_PID'));

// What a visitor sends that a careless log would keep.
const traced = {
  'user-agent': `Mozilla/5.0 ${canary}`,
  referer: `https://${canary}.example/`,
  'x-forwarded-for': `203.0.113.77, ${canary}`,
};

function assertPassedThrough(res, what) {
  for (const [name, value] of Object.entries(SECURITY_HEADERS))
    assert.equal(res.headers.get(name), value, `${name} on ${what}`);
  assert.match(res.headers.get('permissions-policy') ?? '', /camera=\(\)/, `permissions-policy on ${what}`);
  // nginx names itself but no version (server_tokens off).
  assert.equal(res.headers.get('server'), 'nginx', `no version in Server on ${what}`);
}

let admin; let adviser; let adviserToken; let adminToken;

test('the first admin enrols with the invite of meldpuntd create-admin, over TLS', async () => {
  await mc.ready();
  const a = await enrol(desk, invite, { passphrase: 'deployment test admin passphrase' });
  assert.equal(a.role, 'admin');
  admin = { ...a, passphrase: 'deployment test admin passphrase' };
  const s = await login(desk, db, admin);
  assert.equal(s.res.status, 200, JSON.stringify(s.res.body));
  adminToken = s.token;
  assertPassedThrough(s.res, 'login');
  assert.equal(s.res.headers.get('strict-transport-security'), 'max-age=31536000; includeSubDomains');
  assert.equal(s.res.headers.get('cache-control'), 'no-store');
});

test('the admin sets up an organisation, a topic and an adviser; offline certification', async () => {
  const org = await call(desk, 'POST', '/api/v1/admin/organisations', { token: adminToken, body: {
    id: 'bzk', name: { nl: 'Binnenlandse Zaken', en: 'Interior' }, headcount: 5000 } });
  assert.equal(org.status, 201, JSON.stringify(org.body));
  const topic = await call(desk, 'POST', '/api/v1/admin/topics', { token: adminToken, body: {
    id: 'racism', name: { nl: 'Racisme', en: 'Racism' } } });
  assert.equal(topic.status, 201, JSON.stringify(topic.body));
  const created = await call(desk, 'POST', '/api/v1/admin/accounts', { token: adminToken, body: {
    email: 'vera.vertrouwenspersoon@example.nl', name: 'Vera Vertrouwenspersoon', role: 'adviser',
    organisations: ['bzk'], topics: ['racism'] } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  adviser = await enrol(desk, created.body.invite_token, { passphrase: 'deployment test adviser passphrase' });
  // The certification officer's round with the installed meldpunt-keys.
  const certs = await certifyAll(desk, adminToken);
  assert.deepEqual(certs.map((c) => c.id), [adviser.id]);
  const routing = (await call(desk, 'GET', '/api/v1/routing?organisation=bzk&topic=racism')).body;
  const entry = routing.advisers.find((x) => x.id === adviser.id);
  assert.ok(entry, 'certified and routed');
  assert.ok(mc.verifyAdviserKey(entry, mc.currentKey(entry), mc.fromB64(pins().certification)));
});

let caseId; let receipt;

test('a reporter submits and comes back with the receipt, over TLS', async () => {
  const sent = await submitReport(desk, { headers: traced });
  assert.equal(sent.res.status, 201, JSON.stringify(sent.res.body));
  assertPassedThrough(sent.res, 'submission');
  caseId = sent.res.body.case_id;
  receipt = sent.receipt;
  assert.ok(mc.verifyProof(sent.res.body.proof, mc.fromB64(pins().signing)), 'proof under the pinned key');
  const rep = await reporterLogin(desk, receipt);
  assert.equal(rep.res.status, 200);
  const view = await call(desk, 'GET', '/api/v1/reporter/case', { token: rep.token, headers: traced });
  assert.equal(view.status, 200);
  assert.equal(view.body.case_id, caseId);
  const K = mc.openWrap(mc.fromB64(view.body.wrap.wrap), rep.keys.boxPublicKey, rep.keys.boxSecretKey);
  const report = mc.decryptReport(mc.fromB64(view.body.report_ciphertext), {
    organisation: 'bzk', topic: 'racism', reporterSignPublicKey: rep.keys.signPublicKey },
  mc.caseSubkeys(K).report);
  assert.equal(report.wish, 'advice');
});

test('the adviser opens the case, answers, and the reporter reads the answer', async () => {
  const s = await login(desk, db, adviser);
  assert.equal(s.res.status, 200, JSON.stringify(s.res.body));
  adviserToken = s.token;
  const inbox = (await call(desk, 'GET', '/api/v1/adviser/cases', { token: adviserToken })).body;
  assert.ok(inbox.cases.some((c) => c.case_id === caseId), 'in the inbox');
  const view = (await call(desk, 'GET', `/api/v1/adviser/cases/${caseId}`, { token: adviserToken })).body;
  const { sub, report } = openAsAdviser(view, adviser, s.secretKey);
  assert.equal(report.where, 'Team meeting, The Hague office');
  const sign = mc.adviserSigningKeys(s.secretKey);
  const reply = mc.encryptMessage({ caseId, author: `adviser:${adviser.id}`, prev: '',
    text: 'Thank you for your report; I will call you.' }, sub.msg, sign.signSecretKey);
  const posted = await call(desk, 'POST', `/api/v1/adviser/cases/${caseId}/messages`, { token: adviserToken,
    body: { ciphertext: reply.ciphertext, signature: reply.signature, feedback: false } });
  assert.equal(posted.status, 201, JSON.stringify(posted.body));

  const rep = await reporterLogin(desk, receipt);
  const rview = (await call(desk, 'GET', '/api/v1/reporter/case', { token: rep.token })).body;
  const K = mc.openWrap(mc.fromB64(rview.wrap.wrap), rep.keys.boxPublicKey, rep.keys.boxSecretKey);
  const got = mc.decryptMessage({ caseId, author: `adviser:${adviser.id}`,
    ciphertext: rview.messages[0].ciphertext, signature: rview.messages[0].signature },
  mc.caseSubkeys(K).msg, [sign.signPublicKey]);
  assert.equal(got.text, 'Thank you for your report; I will call you.');
});

test('an attachment passes nginx; a JSON body over the daemon\'s limit is refused by nginx', async () => {
  const rep = await reporterLogin(desk, receipt);
  const rview = (await call(desk, 'GET', '/api/v1/reporter/case', { token: rep.token })).body;
  const K = mc.openWrap(mc.fromB64(rview.wrap.wrap), rep.keys.boxPublicKey, rep.keys.boxSecretKey);
  const bytes = new Uint8Array(3 * 1024 * 1024).fill(7);
  const att = mc.encryptAttachment({ caseId, author: 'reporter', name: 'notes.txt', type: 'text/plain',
    bytes }, mc.caseSubkeys(K).msg);
  const up = await call(desk, 'POST', '/api/v1/reporter/case/attachments', { token: rep.token,
    raw: att.stream, headers: { 'content-type': 'application/octet-stream',
      'x-meldpunt-attachment-id': att.attachmentId, 'x-meldpunt-meta': att.meta } });
  assert.equal(up.status, 201, 'a 3 MiB attachment (over the JSON limit) is let through');
  const big = await call(desk, 'POST', '/api/v1/reports', { raw: 'x'.repeat(1024 * 1024 + 1),
    headers: { 'content-type': 'application/json' } });
  assert.equal(big.status, 413);
});

test('pages: security headers pass through, HSTS and Onion-Location added, HTTP redirects', async () => {
  const page = await fetch(`${desk.url}/?q=${canary}`, { headers: traced });
  assert.equal(page.status, 200);
  assertPassedThrough(page, 'the start page');
  assert.equal(page.headers.get('strict-transport-security'), 'max-age=31536000; includeSubDomains');
  assert.equal(page.headers.get('onion-location'), `http://${onionHost}/?q=${canary}`);
  assert.match(await page.text(), /<html/);
  const plain = await fetch(`${redirect}/report.html`, { redirect: 'manual', headers: traced });
  assert.equal(plain.status, 301);
  assert.match(plain.headers.get('location'), /^https:\/\/[^/]+\/report\.html$/);
});

test('the onion site serves the same desk, without HSTS or Onion-Location', async () => {
  const page = await fetch(`${onion.url}/`, { headers: traced });
  assert.equal(page.status, 200);
  assertPassedThrough(page, 'the onion start page');
  assert.equal(page.headers.get('strict-transport-security'), null);
  assert.equal(page.headers.get('onion-location'), null);
  const routing = await call(onion, 'GET', '/api/v1/routing?organisation=bzk&topic=racism');
  assert.equal(routing.status, 200);
  assert.ok(routing.body.advisers.some((a) => a.id === adviser.id));
});

test('one instance stops: nginx sends everything to the other', async () => {
  process.kill(instancePid, 'SIGTERM');
  await waitFor(() => { try { process.kill(instancePid, 0); return false; } catch { return true; } },
    { timeout: 30000 });
  for (let i = 0; i < 12; i++) {
    const r = await call(desk, 'GET', '/api/v1/routing?organisation=bzk&topic=racism', { headers: traced });
    assert.equal(r.status, 200, `request ${i} after the stop`);
  }
  const again = await submitReport(desk);
  assert.equal(again.res.status, 201, 'a submission after the stop');
  const s = await login(desk, db, admin);
  assert.equal(s.res.status, 200, 'sessions live in the database: any instance serves them');
});
