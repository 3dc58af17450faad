// stats_disclosure.test.mjs - what an insider can work out of the
// statistics (issue 13, items 13-21), against a real daemon: the two
// outcome families asked for at the same time, one computation at a time,
// a coordinator a reporter excluded, an insider of one organisation, a
// deactivated coordinator of two, an adviser limited to one topic, a
// deleted release row, a vocabulary change and a late case between two
// releases, the merge map fixed for a year even when empty and published,
// a desk whose organisations are newer than the quarter, and releases that
// say what they are. Every published number is treated as something an
// insider subtracts from another (lib/stats.mjs).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { env, psql, waitFor } from './lib/harness.mjs';
import { call, newDesk } from './lib/fixtures.mjs';
import { login } from './lib/accounts.mjs';
import { K, certificate, compute, disclosures, knowledge, knownOf, outcomeLinks,
  seedExcludedCase, seedFacts, seedIntake } from './lib/stats.mjs';

const ANALYST = { name: 'Ann Analyst', role: 'analyst', organisations: [], topics: [],
  passphrase: 'analyst passphrase for the tests' };

// Outcome facts that two independently computed outcome releases pin: the
// category totals one publishes undo the other's protection.
const LEAKY = [
  ['bzk', 'advice', 'bullying', 'not_applicable', 7], ['bzk', 'advice', 'bullying', 'origin_race', 3],
  ['bzk', 'advice', 'bullying', 'religion_belief', 2], ['bzk', 'advice', 'bullying', 'sex', 1],
  ['bzk', 'advice', 'discrimination', 'not_applicable', 3], ['bzk', 'advice', 'discrimination', 'origin_race', 1],
  ['bzk', 'advice', 'discrimination', 'religion_belief', 1], ['bzk', 'advice', 'racism', 'not_applicable', 1],
  ['bzk', 'advice', 'racism', 'sex', 1], ['bzk', 'integrity_report', 'bullying', 'not_applicable', 4],
  ['bzk', 'integrity_report', 'bullying', 'origin_race', 2], ['bzk', 'integrity_report', 'bullying', 'religion_belief', 1],
  ['bzk', 'integrity_report', 'bullying', 'sex', 1], ['bzk', 'integrity_report', 'discrimination', 'not_applicable', 2],
  ['bzk', 'integrity_report', 'discrimination', 'religion_belief', 2], ['bzk', 'mediation', 'bullying', 'origin_race', 3],
  ['bzk', 'mediation', 'discrimination', 'origin_race', 1], ['bzk', 'mediation', 'discrimination', 'religion_belief', 1],
  ['def', 'advice', 'bullying', 'not_applicable', 6], ['def', 'advice', 'bullying', 'origin_race', 2],
  ['def', 'advice', 'bullying', 'religion_belief', 1], ['def', 'advice', 'discrimination', 'not_applicable', 3],
  ['def', 'advice', 'discrimination', 'origin_race', 3], ['def', 'advice', 'discrimination', 'religion_belief', 2],
  ['def', 'integrity_report', 'bullying', 'not_applicable', 4], ['def', 'integrity_report', 'bullying', 'origin_race', 2],
  ['def', 'integrity_report', 'bullying', 'religion_belief', 2], ['def', 'integrity_report', 'discrimination', 'not_applicable', 1],
  ['def', 'integrity_report', 'discrimination', 'origin_race', 2], ['def', 'integrity_report', 'racism', 'not_applicable', 1],
  ['def', 'mediation', 'bullying', 'not_applicable', 2], ['def', 'mediation', 'bullying', 'origin_race', 1],
  ['def', 'mediation', 'discrimination', 'religion_belief', 1], ['def', 'referral', 'bullying', 'not_applicable', 3],
];

// Intake seeds of the insider tests: every cell 0 or at least K.
const BIG = [['bzk', 'racism', 12], ['bzk', 'discrimination', 6], ['def', 'integrity', 9],
  ['ocw', 'discrimination', 8], ['fin', 'harassment', 6]];

async function analystDesk(extra = [], settings = {}) {
  const desk = await newDesk({ accounts: [ANALYST, ...extra], settings });
  psql(desk.db, "UPDATE organisations SET created_on = date '2015-01-01'");
  const { res, token } = await login(desk.server, desk.db, desk.people[0]);
  assert.equal(res.status, 200);
  return { desk, token };
}

function releaseCli(desk, args) {
  return spawnSync(env.binary, ['stats', 'release', ...args], { encoding: 'utf8', env: { ...process.env,
    MELDPUNT_DATABASE: `host=${env.pghost} dbname=${desk.db} user=meldpunt_app` } });
}

describe('two outcome families asked for at the same time (item 13)', () => {
  let desk; let token;
  before(async () => { ({ desk, token } = await analystDesk()); });
  after(async () => { await desk.server.stop(); });

  test('computed apart, the two families of the test data pin a cell: the check has teeth', async () => {
    // Each family first in a quarter of its own, over the same facts.
    seedFacts(desk.db, '2020Q1', LEAKY);
    seedFacts(desk.db, '2020Q2', LEAKY);
    const a = await compute(desk.server, token, 'outcome_category_outcome', '2020Q1');
    const b = await compute(desk.server, token, 'outcome_category_ground', '2020Q2');
    assert.equal(a.status, 201);
    assert.equal(b.status, 201);
    const found = disclosures([a.body, b.body], { links: outcomeLinks(a.body, b.body) });
    assert.ok(found.length > 0, 'independent releases of these facts disclose a small count');
  });

  test('both families of four quarters at once: one waits for the other and is protected jointly', async () => {
    const quarters = ['2021Q1', '2021Q2', '2021Q3', '2021Q4'];
    for (const q of quarters) seedFacts(desk.db, q, LEAKY);
    const asks = quarters.flatMap((q) => ['outcome_category_outcome', 'outcome_category_ground']
      .map((family) => compute(desk.server, token, family, q)));
    const answers = await Promise.all(asks);
    for (const r of answers) assert.equal(r.status, 201, JSON.stringify(r.body));
    quarters.forEach((q, i) => {
      const a = answers[2 * i].body; const b = answers[2 * i + 1].body;
      assert.deepEqual(disclosures([a, b], { links: outcomeLinks(a, b) }), [], `${q}: nothing pinned`);
      // Exactly one of the two was computed with the other bound.
      const joint = [a, b].map((r) => certificate(desk.db, r.id).releases.length);
      assert.deepEqual(joint.sort(), [1, 2], `${q}: the second release binds the first`);
      for (const r of [a, b]) {
        for (const v of [...r.cells.map((c) => c.value), ...r.row_totals, ...r.col_totals, r.total]) {
          assert.ok(v === null || v === 0 || v >= K);
        }
      }
    });
    assert.equal(psql(desk.db, "SELECT count(*) FROM stats_ledger WHERE quarter LIKE '2021Q%'"), '8');
  });
});

describe('a coordinator excluded by a reporter (item 14)', () => {
  let desk; let token; let cora;
  before(async () => {
    ({ desk, token } = await analystDesk([
      { name: 'Cora Coordinator', role: 'coordinator', organisations: ['fin'], topics: ['*'] }]));
    cora = desk.people[1].id;
  });
  after(async () => { await desk.server.stop(); });

  test('her organisation\'s total does not tell her that a hidden case exists', async () => {
    const seeded = [...BIG, ['fin', 'racism', 10], ['fin', 'discrimination', 6]];
    seedIntake(desk.db, '2022Q3', seeded);
    seedExcludedCase(desk.db, { quarter: '2022Q3', organisation: 'fin', topic: 'integrity', excluded: [cora] });
    const r = await compute(desk.server, token, 'intake_org_topic', '2022Q3');
    assert.equal(r.status, 201);
    // She sees every fin case but the one.
    const mine = knowledge(r.body, seeded.filter(([o]) => o === 'fin'));
    assert.deepEqual(disclosures([r.body], { known: knownOf(mine) }), [], 'nothing small she cannot see');
    // What an outsider sees is protected as well.
    assert.deepEqual(disclosures([r.body]), []);
  });

  test('the outcome families keep a closed case hidden from her after its exclusions are purged', async () => {
    const visible = [['fin', 'advice', 'racism', 'origin_race', 10]];
    seedFacts(desk.db, '2022Q4', [...visible, ['bzk', 'mediation', 'discrimination', 'religion_belief', 12],
      ['def', 'integrity_report', 'integrity', 'not_applicable', 9]]);
    seedExcludedCase(desk.db, { quarter: '2022Q4', organisation: 'fin', topic: 'racism', excluded: [cora],
      closed: { category: 'racism', ground: 'origin_race', outcome: 'advice' } });
    assert.equal(psql(desk.db, `SELECT count(*) FROM stats_unseen WHERE account_id = '${cora}'
      AND closed_quarter = '2022Q4' AND category = 'racism' AND outcome = 'advice'`), '1',
    'the first closing records what she cannot see');
    psql(desk.db, 'DELETE FROM case_exclusions');	// as the purge does
    const a = await compute(desk.server, token, 'outcome_category_outcome', '2022Q4');
    const b = await compute(desk.server, token, 'outcome_category_ground', '2022Q4');
    assert.equal(a.status, 201);
    assert.equal(b.status, 201);
    const ka = knowledge(a.body, [['racism', 'advice', 10]]);
    const kb = knowledge(b.body, [['racism', 'origin_race', 10]]);
    assert.deepEqual(disclosures([a.body, b.body], { known: knownOf(ka, kb), links: outcomeLinks(a.body, b.body) }), []);
    assert.equal(a.body.cells.find((c) => c.row === 'racism' && c.col === 'advice').value, null,
      '11 published would tell her of the one case she cannot see');
    // Her run in the certificate knows fin but for that one case.
    const cert = certificate(desk.db, a.body.id);
    const [orgs, outcomes, categories, grounds] = cert.dims.map((d) => d.ids);
    const hidden = [orgs.indexOf('fin'), outcomes.indexOf('advice'), categories.indexOf('racism'),
      grounds.indexOf('origin_race'), 1];
    assert.ok(cert.runs.some((run) => run.orgs.length === 1 && run.orgs[0] === orgs.indexOf('fin')
      && JSON.stringify(run.hidden) === JSON.stringify([hidden])));
  });
});

describe('insiders without a coordinator scope of their own (item 15)', () => {
  let desk; let token;
  before(async () => {
    ({ desk, token } = await analystDesk([
      { name: 'Dora Departed', role: 'coordinator', organisations: ['bzk', 'fin'], topics: ['*'] }]));
    psql(desk.db, `UPDATE accounts SET status = 'deactivated', deactivated_on = date '2024-01-01'
      WHERE id = '${desk.people[1].id}'`);
    // Two small organisations: the 2019 merge map is {az, vro}.
    psql(desk.db, "UPDATE organisations SET headcount = 500 WHERE id = 'vro'");
  });
  after(async () => { await desk.server.stop(); });

  test('an insider of one merged organisation cannot read the other one\'s cases off the group', async () => {
    const seeded = [...BIG, ['fin', 'racism', 7], ['az', 'racism', 4], ['vro', 'racism', 1]];
    seedIntake(desk.db, '2019Q2', seeded);
    const r = await compute(desk.server, token, 'intake_org_topic', '2019Q2');
    assert.equal(r.status, 201);
    const merge = { group: 'other_organisations', members: ['az', 'vro'] };
    assert.ok(r.body.rows.includes(merge.group) && !r.body.rows.includes('az'));
    for (const org of [...new Set(r.body.rows), 'az', 'vro']) {
      const mine = knowledge(r.body, seeded.filter(([o]) => o === org), merge);
      assert.deepEqual(disclosures([r.body], { known: knownOf(mine) }), [], `an insider of ${org}`);
    }
    assert.deepEqual(r.body.merge, { applied: true, ...merge });
  });

  test('a deactivated coordinator of two organisations is protected against too', async () => {
    const seeded = [...BIG, ['fin', 'racism', 7], ['jenv', 'racism', 2]];
    seedIntake(desk.db, '2019Q3', seeded);
    const r = await compute(desk.server, token, 'intake_org_topic', '2019Q3');
    assert.equal(r.status, 201);
    const hers = knowledge(r.body, seeded.filter(([o]) => o === 'bzk' || o === 'fin'));
    assert.deepEqual(disclosures([r.body], { known: knownOf(hers) }), []);
  });
});

describe('an adviser limited to one topic (items 14 and 15)', () => {
  let desk; let token;
  before(async () => {
    ({ desk, token } = await analystDesk([
      { name: 'Rita Racism', role: 'adviser', organisations: ['fin'], topics: ['racism'] }]));
  });
  after(async () => { await desk.server.stop(); });

  test('she cannot count the cases of other topics off her organisation\'s totals', async () => {
    const seeded = [...BIG.filter(([o]) => o !== 'fin'), ['fin', 'racism', 10], ['fin', 'integrity', 1]];
    seedIntake(desk.db, '2016Q1', seeded);
    const r = await compute(desk.server, token, 'intake_org_topic', '2016Q1');
    assert.equal(r.status, 201);
    const hers = knowledge(r.body, [['fin', 'racism', 10]]);
    assert.deepEqual(disclosures([r.body], { known: knownOf(hers) }), []);
    // The same in the outcome families: one fact of another topic.
    seedFacts(desk.db, '2016Q2', [['fin', 'advice', 'racism', 'origin_race', 10],
      ['def', 'integrity_report', 'bullying', 'not_applicable', 9]]);
    seedFacts(desk.db, '2016Q2', [['fin', 'advice', 'racism', 'origin_race', 1]], 'integrity');
    const a = await compute(desk.server, token, 'outcome_category_outcome', '2016Q2');
    const b = await compute(desk.server, token, 'outcome_category_ground', '2016Q2');
    assert.equal(a.status, 201);
    assert.equal(b.status, 201);
    const ka = knowledge(a.body, [['racism', 'advice', 10]]);
    const kb = knowledge(b.body, [['racism', 'origin_race', 10]]);
    assert.deepEqual(disclosures([a.body, b.body], { known: knownOf(ka, kb), links: outcomeLinks(a.body, b.body) }), []);
  });
});

describe('one release computation at a time (item 16)', () => {
  let desk; let token;
  before(async () => { ({ desk, token } = await analystDesk()); });
  after(async () => { await desk.server.stop(); });

  test('requests wait for the one computing; beyond eight waiting, one is told to retry', async () => {
    seedIntake(desk.db, '2015Q4', BIG);
    // Someone else computing: an idle session holding the desk's
    // statistics lock until its input ends.
    const holder = spawn('psql', ['-X', '-q', '-h', env.pghost, '-U', 'meldpunt_app', '-d', desk.db],
      { stdio: ['pipe', 'ignore', 'ignore'] });
    holder.stdin.write('SELECT pg_advisory_lock(7215004, 6);\n');
    const held = () => psql(desk.db, `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'
      AND classid = 7215004 AND objid = 6 AND granted`) === '1';
    try {
      await waitFor(held, { timeout: 10000 });
      const asks = Array.from({ length: 9 }, () => compute(desk.server, token, 'intake_org_topic', '2015Q4'));
      const first = await Promise.race(asks.map((p, i) => p.then((r) => ({ i, r }))));
      assert.equal(first.r.status, 503, 'eight wait for the lock; the ninth does not');
      assert.equal(first.r.body.error.code, 'unavailable');
      assert.equal(first.r.body.error.reason, 'busy');
      assert.equal(first.r.headers.get('retry-after'), '5');
      holder.stdin.end();
      const rest = await Promise.all(asks.filter((_, i) => i !== first.i));
      for (const r of rest) assert.equal(r.status, 201);
      assert.equal(new Set(rest.map((r) => JSON.stringify(r.body))).size, 1, 'one release, computed once');
      assert.equal(psql(desk.db, "SELECT count(*) FROM stats_ledger WHERE quarter = '2015Q4'"), '1');
    } finally {
      holder.kill('SIGKILL');
    }
  });
});

describe('releases that stay what they were (item 18)', () => {
  let desk; let token;
  before(async () => { ({ desk, token } = await analystDesk()); });
  after(async () => { await desk.server.stop(); });

  test('a deleted release row is not computed again: a clear refusal, on the API and the command line', async () => {
    seedIntake(desk.db, '2023Q1', BIG);
    const first = await compute(desk.server, token, 'intake_org_topic', '2023Q1');
    assert.equal(first.status, 201);
    assert.throws(() => psql(desk.db, "DELETE FROM stats_releases WHERE quarter = '2023Q1'"),
      /never changed/, 'the table refuses deletes');
    // Someone with the owner's rights removes it anyway, and a late case arrives.
    psql(desk.db, `ALTER TABLE stats_releases DISABLE TRIGGER stats_releases_frozen;
      DELETE FROM stats_releases WHERE quarter = '2023Q1';
      ALTER TABLE stats_releases ENABLE TRIGGER stats_releases_frozen;`);
    seedIntake(desk.db, '2023Q1', [['bzk', 'racism', 1]]);
    const again = await compute(desk.server, token, 'intake_org_topic', '2023Q1');
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'conflict');
    assert.equal(again.body.error.reason, 'withdrawn');
    assert.match(again.body.error.message, /no longer stored/);
    assert.equal(psql(desk.db, "SELECT count(*) FROM stats_releases WHERE quarter = '2023Q1'"), '0');
    const cli = releaseCli(desk, ['--family', 'intake_org_topic', '--quarter', '2023Q1']);
    assert.equal(cli.status, 1);
    assert.match(cli.stderr, /no release: this release was computed before and is no longer stored/);
    assert.doesNotMatch(cli.stderr, /database unavailable/);
  });

  test('a vocabulary change between the two outcome releases changes neither', async () => {
    seedFacts(desk.db, '2023Q2', LEAKY);
    const a = await compute(desk.server, token, 'outcome_category_outcome', '2023Q2');
    assert.equal(a.status, 201);
    psql(desk.db, `INSERT INTO vocabulary (kind, id, name_nl, name_en) VALUES
      ('outcome', 'restorative', 'Herstel', 'Restorative'), ('category', 'exclusion', 'Uitsluiting', 'Exclusion')`);
    const b = await compute(desk.server, token, 'outcome_category_ground', '2023Q2');
    assert.equal(b.status, 201, JSON.stringify(b.body));
    assert.deepEqual(b.body.rows, a.body.rows, 'the quarter\'s categories are frozen');
    assert.ok(!a.body.cols.includes('restorative'));
    assert.equal(certificate(desk.db, b.body.id).releases.length, 2, 'protected jointly');
    assert.deepEqual(disclosures([a.body, b.body], { links: outcomeLinks(a.body, b.body) }), []);
    // A later quarter has the new vocabulary.
    seedFacts(desk.db, '2023Q3', [['bzk', 'restorative', 'exclusion', 'not_applicable', 6]]);
    const c = await compute(desk.server, token, 'outcome_category_outcome', '2023Q3');
    assert.equal(c.status, 201);
    assert.ok(c.body.cols.includes('restorative') && c.body.rows.includes('exclusion'));
  });

  test('a late case between the two outcome releases is refused, not published', async () => {
    seedFacts(desk.db, '2023Q4', LEAKY);
    const a = await compute(desk.server, token, 'outcome_category_outcome', '2023Q4');
    assert.equal(a.status, 201);
    seedFacts(desk.db, '2023Q4', [['bzk', 'advice', 'bullying', 'not_applicable', 1]]);
    const b = await compute(desk.server, token, 'outcome_category_ground', '2023Q4');
    assert.equal(b.status, 409);
    assert.equal(b.body.error.reason, 'data_changed');
    assert.equal(psql(desk.db, "SELECT count(*) FROM stats_releases WHERE quarter = '2023Q4'"), '1');
  });
});

describe('the merge map of a year (item 19)', () => {
  let desk; let token;
  before(async () => {
    // Nothing below the headcount when the year's first release is made.
    ({ desk, token } = await analystDesk([], { stats_merge_headcount: '100' }));
  });
  after(async () => { await desk.server.stop(); });

  test('an empty map is fixed for the year too, and every release publishes the map', async () => {
    seedIntake(desk.db, '2018Q1', BIG);
    seedIntake(desk.db, '2018Q2', BIG);
    const q1 = await compute(desk.server, token, 'intake_org_topic', '2018Q1');
    assert.equal(q1.status, 201);
    assert.deepEqual(q1.body.merge, { applied: false, group: 'other_organisations', members: [] });
    assert.equal(psql(desk.db, 'SELECT year FROM stats_merge_years'), '2018');
    psql(desk.db, "UPDATE organisations SET headcount = 50 WHERE id IN ('az', 'vro')");
    const q2 = await compute(desk.server, token, 'intake_org_topic', '2018Q2');
    assert.equal(q2.status, 201);
    assert.deepEqual(q2.body.merge, q1.body.merge, 'the same map all year');
    assert.deepEqual(q2.body.rows, q1.body.rows);
    assert.ok(q2.body.rows.includes('az') && q2.body.rows.includes('vro'));
    // The next year's map is chosen at its first release.
    seedIntake(desk.db, '2019Q1', BIG);
    const next = await compute(desk.server, token, 'intake_org_topic', '2019Q1');
    assert.deepEqual(next.body.merge, { applied: true, group: 'other_organisations', members: ['az', 'vro'] });
    assert.ok(next.body.rows.includes('other_organisations'));
    const csv = await call(desk.server, 'GET', `/api/v1/stats/releases/${next.body.id}?format=csv`, { token });
    assert.match(Buffer.from(csv.body).toString('utf8'),
      /\r\nmerge_group,other_organisations\r\nmerge_applied,true\r\nmerge_members,az,vro\r\n\r\n/);
  });
});

describe('statistics on any desk (item 20)', () => {
  let desk; let token;
  before(async () => {
    // A fresh desk: every organisation created today.
    desk = await newDesk({ accounts: [ANALYST] });
    ({ token } = await login(desk.server, desk.db, desk.people[0]));
  });
  after(async () => { await desk.server.stop(); });

  test('a quarter before any organisation existed gives empty, well-formed releases', async () => {
    const intake = await compute(desk.server, token, 'intake_org_topic', '2020Q1');
    assert.equal(intake.status, 201, JSON.stringify(intake.body));
    assert.deepEqual(intake.body.rows, []);
    assert.deepEqual(intake.body.cells, []);
    assert.deepEqual(intake.body.row_totals, []);
    assert.ok(intake.body.cols.length > 0 && intake.body.col_totals.every((v) => v === 0));
    assert.equal(intake.body.total, 0);
    for (const family of ['outcome_category_outcome', 'outcome_category_ground']) {
      const r = await compute(desk.server, token, family, '2020Q1');
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.ok(r.body.rows.includes('racism'));
      assert.ok(r.body.cells.length > 0 && r.body.cells.every((c) => c.value === 0));
      assert.equal(r.body.total, 0);
    }
    const cli = releaseCli(desk, ['--family', 'intake_org_topic', '--quarter', '2020Q2', '--format', 'csv']);
    assert.equal(cli.status, 0, cli.stderr);
    assert.match(cli.stdout, /\r\n\r\norganisation,[a-z,]+,Total\r\nTotal,0,0,0,0,0\r\n$/);
  });

  test('each refusal says what it is, on the API and the command line', async () => {
    const now = new Date();
    const open = `${now.getUTCFullYear()}Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
    const r = await compute(desk.server, token, 'intake_org_topic', open);
    assert.equal(r.status, 400);
    assert.equal(r.body.error.field, 'quarter');
    assert.equal(r.body.error.reason, 'open_quarter');
    const bad = await compute(desk.server, token, 'intake_org_topic', '2020Q9');
    assert.equal(bad.body.error.reason, 'malformed');
    const cli = releaseCli(desk, ['--family', 'intake_org_topic', '--quarter', open]);
    assert.equal(cli.status, 1);
    assert.match(cli.stderr, /no release: the quarter has not ended yet/);
    const unknown = releaseCli(desk, ['--family', 'everything', '--quarter', '2020Q1']);
    assert.match(unknown.stderr, /no release: there is no such table family/);
  });
});

describe('releases say what they are (item 21)', () => {
  let desk; let token;
  before(async () => { ({ desk, token } = await analystDesk()); });
  after(async () => { await desk.server.stop(); });

  test('JSON names its dimensions and the merge map; CSV starts with a header block', async () => {
    seedIntake(desk.db, '2017Q3', BIG);
    const r = await compute(desk.server, token, 'intake_org_topic', '2017Q3');
    assert.equal(r.status, 201);
    assert.equal(r.body.row_dimension, 'organisation');
    assert.equal(r.body.col_dimension, 'topic');
    assert.deepEqual(r.body.merge, { applied: false, group: 'other_organisations', members: ['az'] });
    const csv = await call(desk.server, 'GET', `/api/v1/stats/releases/${r.body.id}?format=csv`, { token });
    const [head, table] = Buffer.from(csv.body).toString('utf8').split('\r\n\r\n');
    assert.deepEqual(head.split('\r\n'), [`release,${r.body.id}`, 'family,intake_org_topic',
      'quarter,2017Q3', 'method,suppression', `k,${K}`, `created_on,${r.body.created_on}`,
      'rows,organisation', 'cols,topic', 'merge_group,other_organisations', 'merge_applied,false',
      'merge_members,az']);
    assert.match(table, /^organisation,/);
    seedFacts(desk.db, '2017Q3', LEAKY);
    const o = await compute(desk.server, token, 'outcome_category_ground', '2017Q3');
    assert.equal(o.body.row_dimension, 'category');
    assert.equal(o.body.col_dimension, 'ground');
  });
});
