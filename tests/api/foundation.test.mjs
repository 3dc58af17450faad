// foundation.test.mjs - the HTTP layer, the desk endpoint, health, outage
// recovery and migrations, against a real meldpuntd and PostgreSQL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  assertSecurityHeaders, clusterCommand, createDatabase, env, migrate, pgDump, psql,
  rawRequest, seedDemo, startServer, waitFor,
} from './lib/harness.mjs';
import { addAccounts, call, mc, prepareReport, recoverySecretKey, reporterLogin } from './lib/fixtures.mjs';

function errorCode(res) {
  const body = JSON.parse(res.body);
  assert.equal(typeof body.error.message, 'string');
  return body.error.code;
}

const get = (path) => `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`;
const post = (path, body, type = 'application/json', extra = '') =>
  `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;
const lookupId = Buffer.alloc(32, 7).toString('base64url');
// A connection per request (see call() in lib/fixtures.mjs).
const fresh = { headers: { connection: 'close' } };

describe('HTTP layer and desk', () => {
  let db; let server;
  before(async () => {
    db = createDatabase();
    seedDemo(db);
    server = await startServer({ db });
  });
  after(async () => { await server.stop(); });

  test('GET /api/v1/desk returns the seeded organisations and topics in nl and en', async () => {
    const res = await fetch(`${server.url}/api/v1/desk`, fresh);
    assert.equal(res.status, 200);
    const desk = await res.json();
    assert.ok(desk.name.nl.length > 0 && desk.name.en.length > 0);
    const bzk = desk.organisations.find((o) => o.id === 'bzk');
    assert.equal(bzk.name.nl, 'Ministerie van Binnenlandse Zaken en Koninkrijksrelaties');
    assert.equal(bzk.name.en, 'Ministry of the Interior and Kingdom Relations');
    assert.equal(desk.organisations.length, 13);
    const ids = desk.organisations.map((o) => o.id);
    assert.deepEqual(ids, [...ids].sort());
    assert.deepEqual(desk.topics.map((t) => t.id).sort(), ['discrimination', 'harassment', 'integrity', 'racism']);
    for (const t of desk.topics) assert.ok(t.name.nl && t.name.en);
    for (const k of ['certification', 'recovery', 'signing']) {
      assert.equal(Buffer.from(desk.keys[k], 'base64url').length, 32);
    }
    assert.equal(desk.limits.json_bytes, 1048576);
    assert.equal(desk.limits.attachment_bytes, 25 * 1048576);
    assert.equal(desk.limits.case_bytes, 100 * 1048576);
    assert.equal(typeof desk.pow_difficulty, 'number');
    // No contact settings configured: an empty contact object, nothing invented.
    assert.deepEqual(desk.contact, {});
  });

  test('a retired organisation is not offered', async () => {
    psql(db, "UPDATE organisations SET retired = true WHERE id = 'az'");
    const desk = await (await fetch(`${server.url}/api/v1/desk`, fresh)).json();
    assert.ok(!desk.organisations.some((o) => o.id === 'az'));
    psql(db, "UPDATE organisations SET retired = false WHERE id = 'az'");
  });

  test('200 carries exactly the SPEC headers', async () => {
    const res = await rawRequest(server.port, get('/api/v1/desk'));
    assert.equal(res.status, 200);
    assertSecurityHeaders(res);
  });

  test('answers and refusals keep the connection open for the next request', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const send = (method, path, body) => new Promise((resolve, reject) => {
      const req = http.request(`${server.url}${path}`, { method, agent,
        headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, connection: res.headers.connection,
          reused: req.reusedSocket, port: req.socket.localPort }));
      });
      req.on('error', reject);
      req.end(body);
    });
    const login = JSON.stringify({ lookup_id: lookupId, challenge: lookupId,
      signature: Buffer.alloc(64).toString('base64url') });
    const answers = [
      await send('GET', '/api/v1/desk'),
      await send('POST', '/api/v1/reporter/session', login),
      await send('POST', '/api/v1/reporter/session', '{'),
      await send('GET', '/api/v1/nothing'),
      await send('GET', '/api/v1/desk'),
    ];
    agent.destroy();
    assert.deepEqual(answers.map((a) => a.status), [200, 401, 400, 404, 200]);
    for (const a of answers) {
      assert.equal(a.connection, 'keep-alive');
      assert.equal(a.port, answers[0].port, 'one connection for all');
    }
    assert.deepEqual(answers.map((a) => a.reused), [false, true, true, true, true]);
  });

  test('malformed JSON gets 400 invalid_json with the SPEC headers', async () => {
    for (const body of ['{"lookup_id":', 'null', '[]', '\xff\xfe', '{"lookup_id":"a\\u0000"}']) {
      const res = await rawRequest(server.port, post('/api/v1/reporter/challenge', body));
      assert.equal(res.status, 400, body);
      assert.equal(errorCode(res), 'invalid_json');
      assertSecurityHeaders(res);
    }
  });

  test('wrong types, bad base64, wrong sizes and unknown keys get 400 invalid_field', async () => {
    const cases = [
      [{ lookup_id: 42 }, 'lookup_id'],
      [{ lookup_id: 'not base64 !' }, 'lookup_id'],
      [{ lookup_id: Buffer.alloc(31).toString('base64url') }, 'lookup_id'],
      [{ lookup_id: Buffer.alloc(32).toString('base64') + '=' }, 'lookup_id'],
      [{}, 'lookup_id'],
      [{ lookup_id: lookupId, extra: 1 }, undefined],
    ];
    for (const [body, field] of cases) {
      const res = await rawRequest(server.port, post('/api/v1/reporter/challenge', JSON.stringify(body)));
      assert.equal(res.status, 400, JSON.stringify(body));
      const err = JSON.parse(res.body).error;
      assert.equal(err.code, 'invalid_field');
      assert.equal(err.field, field);
      assert.ok(!res.body.includes('extra'), 'error body never echoes input');
    }
    const dup = `{"lookup_id":"${lookupId}","lookup_id":"${lookupId}"}`;
    const res = await rawRequest(server.port, post('/api/v1/reporter/challenge', dup));
    assert.equal(res.status, 400);
  });

  test('a JSON body of 2 MiB gets 413 before it is read, and the server keeps serving', async () => {
    const big = `{"lookup_id":"${'A'.repeat(2 * 1048576)}"}`;
    const head = post('/api/v1/reporter/challenge', big).slice(0, -big.length);
    const res = await rawRequest(server.port, head, { body: big });
    assert.equal(res.status, 413);
    assert.equal(errorCode(res), 'too_large');
    assertSecurityHeaders(res);
    assert.equal((await fetch(`${server.url}/api/v1/desk`, fresh)).status, 200);
  });

  test('a missing Content-Length gets 411', async () => {
    const res = await rawRequest(server.port,
      'POST /api/v1/reporter/challenge HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\r\n');
    assert.equal(res.status, 411);
    assert.equal(errorCode(res), 'length_required');
    assertSecurityHeaders(res);
  });

  test('a chunked body without Content-Length gets 411', async () => {
    const res = await rawRequest(server.port, 'POST /api/v1/reporter/challenge HTTP/1.1\r\nHost: x\r\n'
      + 'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n');
    assert.equal(res.status, 411);
  });

  test('a wrong content type gets 415', async () => {
    const res = await rawRequest(server.port, post('/api/v1/reporter/challenge',
      JSON.stringify({ lookup_id: lookupId }), 'text/plain'));
    assert.equal(res.status, 415);
    assert.equal(errorCode(res), 'unsupported_media_type');
    assertSecurityHeaders(res);
  });

  test('an unknown route gets 404, a known path with the wrong method 405', async () => {
    let res = await rawRequest(server.port, get('/api/v1/nothing'));
    assert.equal(res.status, 404);
    assert.equal(errorCode(res), 'not_found');
    assertSecurityHeaders(res);
    res = await rawRequest(server.port, post('/api/v1/desk', '{}'));
    assert.equal(res.status, 405);
    assert.equal(errorCode(res), 'method_not_allowed');
    assertSecurityHeaders(res);
    res = await rawRequest(server.port, 'OPTIONS /api/v1/desk HTTP/1.1\r\nHost: x\r\nOrigin: http://evil.example\r\n'
      + 'Access-Control-Request-Method: POST\r\n\r\n');
    assert.equal(res.status, 405);
    assertSecurityHeaders(res);
  });

  test('paths with .., %00 or 4,000 slashes get 404 and the next request is served', async () => {
    const paths = ['/api/v1/../v1/desk', '/api/v1/desk%00.js', '/%2e%2e/etc/passwd',
      '/' + '/'.repeat(4000), '/api/v1/desk/', '/index.html%00'];
    for (const p of paths) {
      const res = await rawRequest(server.port, get(p));
      assert.equal(res.status, 404, p.slice(0, 40));
      assertSecurityHeaders(res);
      const next = await fetch(`${server.url}/api/v1/desk`, fresh);
      assert.equal(next.status, 200);
    }
  });

  test('a garbage request line gets a JSON 400 with the SPEC headers', async () => {
    const res = await rawRequest(server.port, 'GARBAGE\r\n\r\n');
    assert.equal(res.status, 400);
    assertSecurityHeaders(res);
    assert.equal((await fetch(`${server.url}/healthz`, fresh)).status, 200);
  });

  test('static files come from the fixed list with the security headers', async () => {
    const res = await rawRequest(server.port, get('/'));
    assert.equal(res.status, 200);
    assertSecurityHeaders(res, { api: false });
    assert.match(res.headers.find(([k]) => k === 'content-type')[1], /^text\/html/);
    assert.match(res.body, /Meldpunt/);
    assert.equal((await rawRequest(server.port, get('/index.html'))).status, 200);
    assert.equal((await rawRequest(server.port, get('/manifest.txt'))).status, 404);
    assert.equal((await rawRequest(server.port, get('/build.mjs'))).status, 404);
  });

  test('proof-of-work challenges are fresh 32-byte values with a difficulty', async () => {
    const a = await (await fetch(`${server.url}/api/v1/challenges`, { method: 'POST', ...fresh })).json();
    const b = await (await fetch(`${server.url}/api/v1/challenges`, { method: 'POST', ...fresh })).json();
    assert.equal(Buffer.from(a.challenge, 'base64url').length, 32);
    assert.notEqual(a.challenge, b.challenge);
    assert.equal(typeof a.difficulty, 'number');
    assert.ok(a.expires_in > 0);
  });

  test('a reporter challenge is given for any lookup_id', async () => {
    const res = await fetch(`${server.url}/api/v1/reporter/challenge`, {
      method: 'POST', headers: { connection: 'close', 'content-type': 'application/json' },
      body: JSON.stringify({ lookup_id: lookupId }),
    });
    assert.equal(res.status, 200);
    const { challenge } = await res.json();
    assert.equal(Buffer.from(challenge, 'base64url').length, 32);
  });

  test('the daemon log holds no client address, user agent or body', async () => {
    await fetch(`${server.url}/api/v1/nothing`, { headers: { connection: 'close', 'user-agent': 'canary-agent-7731' } });
    const log = server.log();
    assert.ok(!log.includes('127.0.0.1:'), 'no client address');
    assert.ok(!log.includes('canary-agent-7731'));
    assert.ok(!log.includes(lookupId));
  });
});

describe('PostgreSQL outage', () => {
  test('503 within 2 s while PostgreSQL is down, 200 within 5 s after, same process; submissions too', async () => {
    const dir = join(env.tmp, `pg-outage-${process.pid}`);
    clusterCommand('start', dir);
    let server;
    try {
      clusterCommand('createdb', dir, ['meldpunt']);
      migrate('meldpunt', dir);
      seedDemo('meldpunt', dir);
      await mc.ready();
      addAccounts('meldpunt', [
        { name: 'Olga Outage', role: 'adviser', organisations: ['bzk'], topics: ['racism'] },
      ], dir);
      server = await startServer({ db: 'meldpunt', host: dir });
      assert.equal((await fetch(`${server.url}/healthz`, fresh)).status, 200);
      assert.equal((await fetch(`${server.url}/api/v1/desk`, fresh)).status, 200);
      // The submission writer has its own connection: it too must notice.
      const reports = [];
      for (let i = 0; i < 3; i++) reports.push(await prepareReport(server));
      const submit = (p) => call(server, 'POST', '/api/v1/reports', { body: p.body });
      assert.equal((await submit(reports[0])).status, 201);

      clusterCommand('stop', dir);
      const t0 = Date.now();
      const [health, desk] = await Promise.all([fetch(`${server.url}/healthz`, fresh), fetch(`${server.url}/api/v1/desk`, fresh)]);
      assert.ok(Date.now() - t0 < 2000, 'answered within 2 s');
      assert.equal(health.status, 503);
      assert.equal(desk.status, 503);
      assert.equal((await desk.json()).error.code, 'unavailable');
      const during = await submit(reports[1]);
      assert.equal(during.status, 503);
      assert.equal(during.body.error.code, 'unavailable');
      // The per-client limits live in PostgreSQL (issue 17): what they
      // guard is refused rather than served unchecked.
      const rc = await call(server, 'POST', '/api/v1/reporter/challenge',
        { body: { lookup_id: mc.toB64(new Uint8Array(32)) } });
      assert.equal(rc.status, 503);
      assert.equal(rc.body.error.code, 'unavailable');

      clusterCommand('start', dir);
      const waited = await waitFor(async () => (await fetch(`${server.url}/healthz`, fresh)).status === 200,
        { timeout: 5000 });
      assert.ok(waited <= 5000);
      assert.equal((await fetch(`${server.url}/api/v1/desk`, fresh)).status, 200);
      assert.equal((await submit(reports[2])).status, 201);
      assert.equal((await call(server, 'POST', '/api/v1/challenges')).status, 200);
      assert.equal(process.kill(server.pid, 0), true, 'same daemon process');
    } finally {
      if (server) await server.stop();
      clusterCommand('stop', dir);
    }
  });
});

describe('migrations', () => {
  test('applying them twice changes nothing the second time', () => {
    const db = `m_${process.pid}`;
    psql('postgres', `CREATE DATABASE ${db} OWNER meldpunt`, { user: 'postgres' });
    psql(db, 'REVOKE CREATE ON SCHEMA public FROM PUBLIC; ALTER SCHEMA public OWNER TO meldpunt; GRANT USAGE ON SCHEMA public TO meldpunt_app', { user: 'postgres' });
    const first = migrate(db);
    const dump1 = pgDump(db);
    const second = migrate(db);
    const dump2 = pgDump(db);
    assert.match(first, /migrate: [1-9]\d* applied/);
    assert.match(second, /migrate: 0 applied/);
    assert.equal(dump2, dump1);
    const versions = psql(db, 'SELECT count(*) FROM schema_migrations');
    assert.ok(Number(versions) >= 3);
  });

  test('0014 moves the reporter and recovery wraps of stored cases into their rows', async () => {
    // A desk at 0013 with one case stored by 0013's own submission function.
    const old = `m14_${process.pid}`;
    psql('postgres', `CREATE DATABASE ${old} OWNER meldpunt`, { user: 'postgres' });
    psql(old, 'REVOKE CREATE ON SCHEMA public FROM PUBLIC; ALTER SCHEMA public OWNER TO meldpunt; GRANT USAGE ON SCHEMA public TO meldpunt_app', { user: 'postgres' });
    const dir = join(env.tmp, `sql-0013-${process.pid}`);
    mkdirSync(dir);
    for (const f of readdirSync(env.sqlDir).filter((f) => f.endsWith('.sql') && f < '0014')) {
      copyFileSync(join(env.sqlDir, f), join(dir, f));
    }
    migrate(old, env.pghost, dir);
    seedDemo(old);
    await mc.ready();
    addAccounts(old, [
      { name: 'Uma Upgrade', role: 'adviser', organisations: ['bzk'], topics: ['racism'] },
      { name: 'Vic Upgrade', role: 'adviser', organisations: ['bzk'], topics: ['*'] },
    ]);
    // The same desk, migrated, serves routing and a challenge to build the case.
    const now = `m14n_${process.pid}`;
    psql('postgres', `CREATE DATABASE ${now} TEMPLATE ${old} OWNER meldpunt`, { user: 'postgres' });
    migrate(now);
    let server = await startServer({ db: now });
    const p = await prepareReport(server);
    await server.stop();
    const hex = (b64) => `'\\x${Buffer.from(mc.fromB64(b64)).toString('hex')}'::bytea`;
    const byte = (n) => `'\\x${Buffer.from(mc.libsodium().randombytes_buf(n)).toString('hex')}'::bytea`;
    const wrap = (r) => p.body.key_wraps.find((w) => w.recipient === r);
    const advisers = p.body.key_wraps.filter((w) => w.recipient.startsWith('adviser:'));
    assert.equal(advisers.length, 2);
    const caseId = mc.libsodium().randombytes_buf(16);
    assert.equal(psql(old, `SELECT result FROM meldpunt_submit_many(ARRAY[${byte(32)}],
      ARRAY[extract(epoch FROM now())::bigint + 600], '{1}',
      ARRAY['\\x${Buffer.from(caseId).toString('hex')}'::bytea], '{bzk}', '{racism}',
      ARRAY[current_date::text], ARRAY[${hex(p.body.lookup_id)}],
      ARRAY[${hex(p.body.reporter_sign_public_key)}], ARRAY[${hex(p.body.reporter_box_public_key)}],
      ARRAY[${hex(p.body.report_ciphertext)}], ARRAY[${hex(p.body.key_commitment)}], ARRAY[${byte(64)}],
      ARRAY[${hex(wrap('reporter').wrap)}], ARRAY[${hex(wrap('recovery').public_key)}],
      ARRAY[${hex(wrap('recovery').wrap)}], ARRAY[${byte(32)}], '{NULL}', '{NULL}', '{}', '{}',
      '{1,1}', ARRAY[${advisers.map((w) => `'${w.recipient.slice(8)}'`).join(',')}],
      ARRAY[${advisers.map((w) => hex(w.public_key)).join(',')}],
      ARRAY[${advisers.map((w) => hex(w.wrap)).join(',')}], 7200)`, { user: 'meldpunt_app' }), 'created');
    assert.equal(psql(old, 'SELECT count(*) FROM key_wraps'), '4');

    assert.match(migrate(old), /applied 0014_case_wraps\.sql/);
    assert.equal(psql(old, "SELECT string_agg(recipient, ',') FROM key_wraps"), 'adviser,adviser');
    const recSk = recoverySecretKey();
    const recWrap = Buffer.from(psql(old, "SELECT encode(recovery_wrap, 'hex') FROM cases"), 'hex');
    assert.ok(mc.equalBytes(mc.openWrap(recWrap, mc.libsodium().crypto_scalarmult_base(recSk), recSk), p.K));
    // The reporter comes back with the receipt and opens the case key.
    server = await startServer({ db: old });
    try {
      const { token } = await reporterLogin(server, p.receipt);
      const view = (await call(server, 'GET', '/api/v1/reporter/case', { token })).body;
      assert.equal(view.case_id, mc.toB64(caseId));
      assert.equal(view.wrap.recipient, 'reporter');
      assert.ok(mc.equalBytes(mc.openWrap(mc.fromB64(view.wrap.wrap), p.keys.boxPublicKey,
        p.keys.boxSecretKey), p.K));
    } finally {
      await server.stop();
    }
  });

  test('the runtime role cannot change the schema or rewrite the audit log', () => {
    const db = createDatabase();
    assert.throws(() => psql(db, 'CREATE TABLE x (a int)', { user: 'meldpunt_app' }));
    assert.throws(() => psql(db, 'DELETE FROM audit_log', { user: 'meldpunt_app' }));
    assert.throws(() => psql(db, 'UPDATE audit_log SET seq = 1', { user: 'meldpunt_app' }));
    assert.throws(() => psql(db, 'DROP TABLE cases', { user: 'meldpunt_app' }));
    assert.equal(psql(db, 'SELECT count(*) FROM organisations', { user: 'meldpunt_app' }), '0');
  });
});
