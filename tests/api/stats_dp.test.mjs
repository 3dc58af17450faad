// stats_dp.test.mjs - the differential-privacy mode of statistics releases
// (issue 6): the budget ledger and frozen releases.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { psql } from './lib/harness.mjs';
import { call, newDesk } from './lib/fixtures.mjs';
import { login } from './lib/accounts.mjs';

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
});
