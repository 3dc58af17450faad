// When a 201 may be answered (backend/store/db.c): only once the commit is
// known to be on the primary and its synchronous standby. A server that
// turns out to be read-only, and a commit whose wait for the standby was
// cancelled ("committed locally, but might not have been replicated"),
// answer 503, never 201 (and never 500).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { call, prepareReport } from '../api/lib/fixtures.mjs';
import { waitFor } from '../api/lib/harness.mjs';
import { cluster, daemonSettings, deskIn, env, psql, replica, startServer } from './lib.mjs';

const asPostgres = (host, sql) => psql('postgres', sql, { host, user: 'postgres' });
const cases = (host, lookupB64) => psql('meldpunt', `SELECT count(*) FROM cases
  WHERE lookup_id = decode('${Buffer.from(lookupB64, 'base64url').toString('hex')}', 'hex')`,
{ host, user: 'postgres' });

test('a standby answers 503, an unreplicated commit answers 503, the promoted standby 201',
  { timeout: 170000 }, async () => {
    const dir = join(env.tmp, `ha-commit-${process.pid}`);
    const primary = join(dir, 'primary');
    const standby = join(dir, 'standby');
    const servers = [];
    try {
      cluster('start', primary);
      await deskIn(primary);
      await replica('create', primary, standby, 'standby1');

      const onPrimary = await startServer({ db: 'meldpunt', host: primary,
        settings: daemonSettings([primary]) });
      servers.push(onPrimary);
      // A daemon whose conninfo names the standby alone, without
      // target_session_attrs: it connects, and its writes fail read-only.
      // (Its challenge comes from the other daemon: they share the keys.)
      const onStandby = await startServer({ db: 'meldpunt', host: standby, settings:
        daemonSettings([standby], { database: `host=${standby} dbname=meldpunt user=meldpunt_app` }) });
      servers.push(onStandby);
      const early = await prepareReport(onPrimary);
      const refused = await call(onStandby, 'POST', '/api/v1/reports', { body: early.body });
      assert.equal(refused.status, 503, JSON.stringify(refused.body));
      assert.equal(refused.body.error.code, 'unavailable');

      // The standby stops: the primary's commits wait for it. A commit
      // whose wait is cancelled returns with a warning, already committed
      // on the primary alone: the daemon must not acknowledge it.
      const prepared = await prepareReport(onPrimary);
      await replica('stop', standby);
      const pending = call(onPrimary, 'POST', '/api/v1/reports', { body: prepared.body });
      await waitFor(() => asPostgres(primary, `SELECT count(*) FROM pg_stat_activity
        WHERE wait_event = 'SyncRep'`) === '1', { timeout: 20000 });
      assert.equal(asPostgres(primary, `SELECT count(pg_cancel_backend(pid)) FROM pg_stat_activity
        WHERE wait_event = 'SyncRep'`), '1');
      const unreplicated = await pending;
      assert.equal(unreplicated.status, 503, JSON.stringify(unreplicated.body));
      assert.equal(unreplicated.body.error.code, 'unavailable');
      assert.equal(cases(primary, prepared.body.lookup_id), '1',
        'it did commit on the primary alone: that is why it is not a 201');

      // The standby back and promoted, the primary gone: the daemon on the
      // standby alone now stores, without a restart.
      await replica('start', standby);
      await waitFor(() => asPostgres(primary, `SELECT sync_state FROM pg_stat_replication`)
        === 'sync', { timeout: 30000 });
      cluster('stop', primary);
      await replica('promote', standby);
      const late = await prepareReport(onStandby);
      const stored = await call(onStandby, 'POST', '/api/v1/reports', { body: late.body });
      assert.equal(stored.status, 201, JSON.stringify(stored.body));
      assert.equal(cases(standby, late.body.lookup_id), '1');
      assert.equal(cases(standby, early.body.lookup_id), '0', 'the refused one was not stored');
      assert.equal(process.kill(onStandby.pid, 0), true, 'same daemon process');
    } finally {
      for (const s of servers) await s.stop().catch(() => {});
      await replica('stop', standby).catch(() => {});
      try { cluster('stop', primary); } catch { /* already stopped */ }
      rmSync(dir, { recursive: true, force: true });
    }
  });
