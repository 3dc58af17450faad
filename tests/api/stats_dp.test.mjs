// stats_dp.test.mjs - the differential-privacy mode of statistics releases
// (issue 6): the budget ledger and frozen releases; all three families,
// the outcome families in either order and at once (issue 13, item 17),
// and a refusal of their own for each budget problem.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { env, psql } from './lib/harness.mjs';
import { call, newDesk } from './lib/fixtures.mjs';
import { login } from './lib/accounts.mjs';
import { seedFacts } from './lib/stats.mjs';

const QUARTER = `${new Date().getUTCFullYear() - 1}Q2`;
const FIRST = `${QUARTER.slice(0, 4)}-04-01`;

// A hundred requests at once come from one address here: no per-client cap.
async function dpDesk(epsilon) {
  const desk = await newDesk({ settings: { stats_method: 'dp', stats_epsilon: epsilon,
    client_connections: '0' }, accounts: [
    { name: 'Ann Analyst', role: 'analyst', organisations: [], topics: [], passphrase: 'analyst passphrase for the tests' },
  ] });
  psql(desk.db, `UPDATE organisations SET created_on = date '${FIRST}' - 400;
    INSERT INTO cases (id, organisation, topic, received_on)
    SELECT decode(md5(random()::text || i::text), 'hex'), (ARRAY['bzk','fin','def'])[1 + i % 3],
      (ARRAY['racism','integrity'])[1 + i % 2], date '${FIRST}' + (i % 80) FROM generate_series(1, 30) i;`);
  const { token } = await login(desk.server, desk.db, desk.people[0]);
  return { desk, token };
}

describe('differential-privacy releases', () => {
  test('a release over the per-case cap is refused and writes nothing', async () => {
    const { desk, token } = await dpDesk('1/1');	// 3 families x 1 > 2
    try {
      const r = await call(desk.server, 'POST', '/api/v1/stats/releases',
        { token, body: { family: 'intake_org_topic', quarter: QUARTER } });
      assert.equal(r.status, 409);
      assert.equal(r.body.error.reason, 'over_budget');
      assert.match(r.body.error.message, /exceeds the privacy budget/);
      assert.equal(psql(desk.db, 'SELECT count(*) FROM dp_ledger'), '0');
      assert.equal(psql(desk.db, 'SELECT count(*) FROM stats_releases'), '0');
    } finally {
      await desk.server.stop();
    }
  });

  test('the same release requested 100 times is byte-identical and spends the budget once', async () => {
    const { desk, token } = await dpDesk('2/3');
    try {
      const ask = async () => {
        const res = await fetch(`${desk.server.url}/api/v1/stats/releases`, { method: 'POST',
          headers: { connection: 'close', authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ family: 'intake_org_topic', quarter: QUARTER }) });
        assert.equal(res.status, 201);
        return res.text();
      };
      const first = await ask();
      const release = JSON.parse(first);
      assert.equal(release.method, 'dp');
      assert.equal(release.epsilon, '2/3');
      assert.ok(release.cells.length > 0 && release.rows.length > 0, 'cells and rows to check');
      for (const cell of release.cells) assert.ok(Number.isInteger(cell.value) && cell.value >= 0);
      release.rows.forEach((row, i) => assert.equal(release.row_totals[i],
        release.cells.filter((c) => c.row === row).reduce((a, c) => a + c.value, 0)));
      const answers = await Promise.all(Array.from({ length: 99 }, ask));
      for (const a of answers) assert.equal(a, first);
      assert.equal(psql(desk.db, 'SELECT count(*) FROM dp_ledger'), '1');
      assert.equal(psql(desk.db, "SELECT epsilon_num || '/' || epsilon_den FROM dp_ledger"), '2/3');
    } finally {
      await desk.server.stop();
    }
  });

  test('all three families, the outcome ones in either order and at once', async () => {
    const { desk, token } = await dpDesk('2/3');
    const facts = [['bzk', 'advice', 'racism', 'origin_race', 6], ['fin', 'mediation', 'bullying', 'not_applicable', 4],
      ['def', 'referral', 'discrimination', 'religion_belief', 7]];
    const ask = (family, quarter) => call(desk.server, 'POST', '/api/v1/stats/releases',
      { token, body: { family, quarter } });
    try {
      seedFacts(desk.db, QUARTER, facts);
      // The family that used to fail: the second outcome family.
      for (const family of ['outcome_category_outcome', 'outcome_category_ground', 'intake_org_topic']) {
        const r = await ask(family, QUARTER);
        assert.equal(r.status, 201, `${family}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.method, 'dp');
        assert.equal(r.body.epsilon, '2/3');
        assert.ok(r.body.cells.length > 0, `${family}: cells to check`);
        assert.ok(r.body.cells.every((c) => Number.isInteger(c.value) && c.value >= 0));
      }
      const byQuarter = (q) => psql(desk.db, `SELECT string_agg(family, ',' ORDER BY family) FROM dp_ledger
        WHERE quarter = '${q}'`);
      assert.equal(byQuarter(QUARTER), 'intake_org_topic,outcome_category_ground,outcome_category_outcome');
      // The other order, in another quarter; and both at once in a third.
      const [y] = QUARTER.split('Q');
      seedFacts(desk.db, `${y}Q1`, facts);
      seedFacts(desk.db, `${y - 1}Q4`, facts);
      assert.equal((await ask('outcome_category_ground', `${y}Q1`)).status, 201);
      assert.equal((await ask('outcome_category_outcome', `${y}Q1`)).status, 201);
      const both = await Promise.all([ask('outcome_category_outcome', `${y - 1}Q4`),
        ask('outcome_category_ground', `${y - 1}Q4`)]);
      assert.deepEqual(both.map((r) => r.status), [201, 201]);
      assert.equal(byQuarter(`${y - 1}Q4`), 'outcome_category_ground,outcome_category_outcome');
      // The command line prints a stored dp release like any other.
      const cli = spawnSync(env.binary, ['stats', 'release', '--family', 'outcome_category_ground',
        '--quarter', QUARTER], { encoding: 'utf8', env: { ...process.env,
        MELDPUNT_DATABASE: `host=${env.pghost} dbname=${desk.db} user=meldpunt_app`,
        MELDPUNT_STATS_METHOD: 'dp', MELDPUNT_STATS_EPSILON: '2/3' } });
      assert.equal(cli.status, 0, cli.stderr);
      assert.equal(JSON.parse(cli.stdout).method, 'dp');
    } finally {
      await desk.server.stop();
    }
  });

  test('a budget spent without a stored release is refused as such, and a suppression sibling too', async () => {
    const { desk, token } = await dpDesk('2/3');
    try {
      // A computation that spent its budget and then failed to store.
      psql(desk.db, `INSERT INTO dp_ledger (family, quarter, epsilon_num, epsilon_den)
        VALUES ('intake_org_topic', '${QUARTER}', 2, 3)`);
      const r = await call(desk.server, 'POST', '/api/v1/stats/releases',
        { token, body: { family: 'intake_org_topic', quarter: QUARTER } });
      assert.equal(r.status, 409);
      assert.equal(r.body.error.reason, 'budget_spent');
      // A sibling released by suppression before the desk changed method.
      psql(desk.db, `INSERT INTO stats_releases (id, family, quarter, method, body_json, body_csv)
        VALUES ('${QUARTER}-outcome_category_outcome', 'outcome_category_outcome', '${QUARTER}',
        'suppression', '{}', '')`);
      const g = await call(desk.server, 'POST', '/api/v1/stats/releases',
        { token, body: { family: 'outcome_category_ground', quarter: QUARTER } });
      assert.equal(g.status, 409);
      assert.equal(g.body.error.reason, 'method_changed');
      assert.equal(psql(desk.db, `SELECT count(*) FROM dp_ledger WHERE family = 'outcome_category_ground'`), '0',
        'refused before any budget is spent');
    } finally {
      await desk.server.stop();
    }
  });
});
