// stats.test.mjs - statistics releases through the API and the command
// line (issue 6): recounts, suppression, byte-identical re-fetches, CSV,
// sealed certificates, access by role, and the audit trail.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { env, psql } from './lib/harness.mjs';
import { addAccounts, call, mc, newDesk, submitReport } from './lib/fixtures.mjs';
import { login } from './lib/accounts.mjs';

const K = 5;
const QUARTER = `${new Date().getUTCFullYear() - 1}Q3`;
const FIRST = `${QUARTER.slice(0, 4)}-07-01`;

// Cases received in the quarter: counts per (organisation, topic), some
// small, some large, and facts stored at first closing for the outcome
// families.
function seedCases(db) {
  const counts = [['bzk', 'racism', 12], ['bzk', 'discrimination', 3], ['fin', 'racism', 7],
    ['fin', 'harassment', 1], ['def', 'integrity', 9], ['jenv', 'racism', 2], ['az', 'racism', 6]];
  const rows = counts.map(([o, t, n]) => `SELECT decode(md5(random()::text || i::text), 'hex'),
    '${o}', '${t}', date '${FIRST}' + (i % 60) FROM generate_series(1, ${n}) i`).join(' UNION ALL ');
  psql(db, `UPDATE organisations SET created_on = date '${FIRST}' - 400;
    INSERT INTO cases (id, organisation, topic, received_on) ${rows};
    INSERT INTO case_facts SELECT (ARRAY['bzk','fin','def'])[1 + i % 3], 'racism', '${QUARTER}',
      '${QUARTER}', (ARRAY['racism','discrimination','bullying'])[1 + (i * 7) % 3],
      CASE WHEN (i * 7) % 3 < 2 THEN (ARRAY['origin_race','religion_belief'])[1 + i % 2] END,
      (ARRAY['advice','mediation'])[1 + (i * 5) % 2] FROM generate_series(1, 40) i;`);
}

function recountIntake(db) {
  const lines = psql(db, `SELECT organisation || ',' || topic || ',' || count(*) FROM cases
    WHERE received_on BETWEEN date '${FIRST}' AND date '${FIRST}' + 91
    GROUP BY organisation, topic`).split('\n');
  return new Map(lines.filter(Boolean).map((l) => { const [o, t, n] = l.split(','); return [`${o}|${t}`, Number(n)]; }));
}

function checkSuppressed(release) {
  const values = [...release.cells.map((c) => c.value), ...release.row_totals, ...release.col_totals, release.total];
  const published = values.filter((v) => v !== null);
  assert.ok(published.length > 0, 'published values to check');
  for (const v of published) assert.ok(v === 0 || v >= K, `published value ${v} lies in 1..${K - 1}`);
}

describe('statistics releases', () => {
  let desk; let analyst; let coordinator; let admin; let adviser;
  before(async () => {
    desk = await newDesk({ accounts: [
      { name: 'Ann Analyst', role: 'analyst', organisations: [], topics: [], passphrase: 'analyst passphrase for the tests' },
      { name: 'Cees Coordinator', role: 'coordinator', organisations: ['bzk'], topics: ['*'], passphrase: 'coordinator passphrase for tests' },
      { name: 'Ada Admin', role: 'admin', organisations: [], topics: [], passphrase: 'admin passphrase for the tests ok' },
      { name: 'Vera Adviser', role: 'adviser', organisations: ['bzk'], topics: ['*'], passphrase: 'adviser passphrase for the tests' },
    ] });
    seedCases(desk.db);
    const tokens = [];
    for (const person of desk.people) {
      const { res, token } = await login(desk.server, desk.db, person);
      assert.equal(res.status, 200, `${person.name} logs in`);
      tokens.push(token);
    }
    [analyst, coordinator, admin, adviser] = tokens;
  });
  after(async () => { await desk.server.stop(); });

  test('an intake release recounts, suppresses small values and is frozen byte for byte', async () => {
    const created = await fetch(`${desk.server.url}/api/v1/stats/releases`, { method: 'POST',
      headers: { connection: 'close', authorization: `Bearer ${analyst}`, 'content-type': 'application/json' },
      body: JSON.stringify({ family: 'intake_org_topic', quarter: QUARTER }) });
    assert.equal(created.status, 201);
    const text = await created.text();
    const release = JSON.parse(text);
    assert.equal(release.family, 'intake_org_topic');
    assert.equal(release.quarter, QUARTER);
    assert.equal(release.method, 'suppression');
    assert.equal(release.k, K);
    const truth = recountIntake(desk.db);
    let published = 0;
    for (const cell of release.cells) {
      if (cell.value === null) continue;
      published++;
      assert.equal(cell.value, truth.get(`${cell.row}|${cell.col}`) ?? 0, `cell ${cell.row}/${cell.col}`);
    }
    assert.ok(published > 0);
    assert.equal(release.total, [...truth.values()].reduce((a, b) => a + b, 0));
    let added = 0;
    release.rows.forEach((row, i) => {
      const cells = release.cells.filter((c) => c.row === row);
      if (release.row_totals[i] !== null && cells.every((c) => c.value !== null)) {
        assert.equal(release.row_totals[i], cells.reduce((a, c) => a + c.value, 0), `row ${row} adds up`);
        added++;
      }
    });
    assert.ok(added > 0, 'rows added up');
    checkSuppressed(release);
    // Every organisation of the domain is a row, zeros included.
    for (const org of ['bz', 'ocw', 'vws']) assert.ok(release.rows.includes(org));
    // The 1-case cell and the 3-case cell are hidden.
    const cell = (r, c) => release.cells.find((x) => x.row === r && x.col === c);
    assert.equal(cell('fin', 'harassment').value, null);
    assert.equal(cell('bzk', 'discrimination').value, null);

    const again = await fetch(`${desk.server.url}/api/v1/stats/releases/${release.id}`,
      { headers: { connection: 'close', authorization: `Bearer ${coordinator}` } });
    assert.equal(again.status, 200);
    assert.equal(await again.text(), text, 'byte-identical');
    const recomputed = await fetch(`${desk.server.url}/api/v1/stats/releases`, { method: 'POST',
      headers: { connection: 'close', authorization: `Bearer ${analyst}`, 'content-type': 'application/json' },
      body: JSON.stringify({ family: 'intake_org_topic', quarter: QUARTER }) });
    assert.equal(await recomputed.text(), text, 'computed once');

    const csv = await call(desk.server, 'GET', `/api/v1/stats/releases/${release.id}?format=csv`, { token: analyst });
    assert.equal(csv.status, 200);
    assert.equal(csv.headers.get('content-type'), 'text/csv; charset=utf-8');
    const [head, table] = Buffer.from(csv.body).toString('utf8').split('\r\n\r\n');
    assert.match(head, new RegExp(`^release,${release.id}\r\nfamily,intake_org_topic\r\nquarter,${QUARTER}\r\n`));
    const lines = table.trim().split('\r\n');
    assert.equal(lines[0], `organisation,${release.cols.join(',')},Total`);
    const finLine = lines.find((l) => l.startsWith('fin,')).split(',');
    assert.equal(finLine[1 + release.cols.indexOf('harassment')], 'x');
    assert.equal(lines.at(-1).split(',').at(-1), String(release.total));
  });

  test('the certificate is stored sealed and holds the true finest table', async () => {
    const row = psql(desk.db, `SELECT encode(certificate, 'hex') FROM stats_releases
      WHERE family = 'intake_org_topic'`);
    const sealed = Buffer.from(row, 'hex');
    assert.ok(!sealed.toString('latin1').includes('witnesses'), 'not in the clear');
    const key = mc.fromB64(readFileSync(`${env.secrets}/stats_key`, 'utf8').trim());
    const s = mc.libsodium();
    const cert = JSON.parse(Buffer.from(s.crypto_secretbox_open_easy(sealed.subarray(24),
      sealed.subarray(0, 24), key)).toString('utf8'));
    assert.equal(cert.k, K);
    const orgs = cert.dims[0].ids; const topics = cert.dims[1].ids;
    const truth = recountIntake(desk.db);
    const total = cert.truth.reduce((a, [, , n]) => a + n, 0);
    assert.equal(total, [...truth.values()].reduce((a, b) => a + b, 0));
    for (const [o, t, n] of cert.truth) assert.equal(truth.get(`${orgs[o]}|${topics[t]}`), n);
    assert.ok(cert.witnesses.length > 0);
  });

  test('the outcome families are released jointly and recount against the stored facts', async () => {
    const a = await call(desk.server, 'POST', '/api/v1/stats/releases',
      { token: coordinator, body: { family: 'outcome_category_outcome', quarter: QUARTER } });
    const b = await call(desk.server, 'POST', '/api/v1/stats/releases',
      { token: coordinator, body: { family: 'outcome_category_ground', quarter: QUARTER } });
    assert.equal(a.status, 201);
    assert.equal(b.status, 201);
    const facts = psql(desk.db, `SELECT category || ',' || outcome || ',' || count(*) FROM case_facts
      WHERE closed_quarter = '${QUARTER}' GROUP BY category, outcome`).split('\n');
    let recounted = 0;
    for (const line of facts) {
      const [cat, out, n] = line.split(',');
      const cell = a.body.cells.find((c) => c.row === cat && c.col === out);
      if (cell.value !== null) {
        assert.equal(cell.value, Number(n));
        recounted++;
      }
    }
    assert.ok(recounted > 0, 'published cells recounted against the facts');
    assert.equal(a.body.total, 40);
    assert.equal(b.body.total, 40);
    assert.ok(b.body.cols.includes('not_applicable'), 'cases without a primary ground are counted once');
    checkSuppressed(a.body);
    checkSuppressed(b.body);
    const list = await call(desk.server, 'GET', '/api/v1/stats/releases', { token: analyst });
    assert.deepEqual(list.body.releases.map((r) => r.family).sort(),
      ['intake_org_topic', 'outcome_category_ground', 'outcome_category_outcome']);
  });

  test('only closed quarters and known families', async () => {
    const now = new Date();
    const open = `${now.getUTCFullYear()}Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
    const r1 = await call(desk.server, 'POST', '/api/v1/stats/releases',
      { token: analyst, body: { family: 'intake_org_topic', quarter: open } });
    assert.equal(r1.status, 400);
    assert.equal(r1.body.error.field, 'quarter');
    const r2 = await call(desk.server, 'POST', '/api/v1/stats/releases',
      { token: analyst, body: { family: 'everything', quarter: QUARTER } });
    assert.equal(r2.status, 400);
    assert.equal(r2.body.error.field, 'family');
    const r3 = await call(desk.server, 'POST', '/api/v1/stats/releases',
      { token: analyst, body: { family: 'intake_org_topic', quarter: '2025Q5' } });
    assert.equal(r3.status, 400);
    assert.equal(psql(desk.db, `SELECT count(*) FROM stats_releases WHERE quarter = '${open}'`), '0');
  });

  test('admins, advisers, reporters and strangers get no statistics', async () => {
    const id = `${QUARTER}-intake_org_topic`;
    for (const token of [admin, adviser]) {
      assert.equal((await call(desk.server, 'GET', '/api/v1/stats/releases', { token })).status, 403);
      assert.equal((await call(desk.server, 'GET', `/api/v1/stats/releases/${id}`, { token })).status, 403);
      assert.equal((await call(desk.server, 'POST', '/api/v1/stats/releases',
        { token, body: { family: 'intake_org_topic', quarter: QUARTER } })).status, 403);
    }
    const s = await submitReport(desk.server, { organisation: 'bzk', topic: 'racism' });
    assert.equal((await call(desk.server, 'GET', '/api/v1/stats/releases', { token: s.res.body.token })).status, 401);
    assert.equal((await call(desk.server, 'GET', '/api/v1/stats/releases')).status, 401);
    assert.equal((await call(desk.server, 'GET', '/api/v1/stats/releases/nope', { token: analyst })).status, 404);
  });

  test('every export is in the audit log, with no content', async () => {
    const entries = psql(desk.db, "SELECT convert_from(entry, 'UTF8') FROM audit_log ORDER BY seq").split('\n');
    const exports = entries.filter((e) => e.includes('"stats_export"'));
    assert.ok(exports.length >= 5, `${exports.length} exports logged`);
    assert.ok(exports.some((e) => e.includes(`"${QUARTER}-intake_org_topic"`)));
  });

  test('the command line gives the same stored release', () => {
    const r = spawnSync(env.binary, ['stats', 'release', '--family', 'intake_org_topic',
      '--quarter', QUARTER, '--format', 'csv'], { encoding: 'utf8', env: { ...process.env,
      MELDPUNT_DATABASE: `host=${env.pghost} dbname=${desk.db} user=meldpunt_app` } });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /\r\n\r\norganisation,discrimination,harassment,integrity,racism,Total\r\n/);
    const bad = spawnSync(env.binary, ['stats', 'release', '--family', 'intake_org_topic'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
  });
});
