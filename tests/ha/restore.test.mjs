// The restore drill (issue #17): WAL archiving and a base backup with
// deploy/backup, more submissions, a restore into a fresh cluster to a point
// in time, a daemon on it, and the adviser opening a case submitted before
// the backup with her key. A case purged before the backup is absent; a
// backup older than the retention bound is removed by the script, and a
// bound beyond retention_days is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { call } from '../api/lib/fixtures.mjs';
import { waitFor } from '../api/lib/harness.mjs';
import { login } from '../api/lib/accounts.mjs';
import { openAsAdviser } from '../api/lib/people.mjs';
import {
  backup, cluster, daemonSettings, deskIn, env, psql, routingOf, startServer, submitOnce, verifyStored,
} from './lib.mjs';

const hex = (b64) => Buffer.from(b64, 'base64url').toString('hex');
const q = (host, sql) => psql('meldpunt', sql, { host, user: 'postgres' });

test('restore to a point in time: before the backup decrypts, purged and later absent', { timeout: 170000 }, async () => {
  const dir = join(env.tmp, `ha-restore-${process.pid}`);
  const primary = join(dir, 'primary');
  const restored = join(dir, 'restored');
  const archive = join(dir, 'archive');
  const backups = join(dir, 'backups');
  const servers = [];
  try {
    const settings = await backup(['archive-settings', archive]);
    assert.equal(settings.code, 0, settings.stderr);
    assert.match(settings.stdout, /^archive_command = '.+'$/m);
    cluster('start', primary, [], settings.stdout);
    const adviser = await deskIn(primary, { passphrase: 'restore drill passphrase' });
    const server = await startServer({ db: 'meldpunt', host: primary,
      settings: daemonSettings([primary], { retention_days: '30' }) });
    servers.push(server);
    const routing = await routingOf(server);
    const submit = async () => {
      const o = await submitOnce(server, routing);
      assert.equal(o.status, 201);
      return o;
    };

    // A case closed 40 days ago, purged (retention 30 days) before the backup.
    const purged = await submit();
    q(primary, `UPDATE cases SET status = 'closed', closed_on = current_date - 40,
      first_closed_on = current_date - 40 WHERE id = decode('${hex(purged.caseId)}', 'hex')`);
    const p = spawnSync(env.binary, ['-c', server.confPath, 'purge'], { encoding: 'utf8' });
    assert.equal(p.status, 0, p.stderr);
    assert.match(p.stdout, /purge: 1 cases purged/);
    const kept = await submit();

    // A backup from long ago, and one taken now: the old one goes.
    const old = join(backups, 'base-20200101T000000Z');
    mkdirSync(old, { recursive: true });
    writeFileSync(join(old, 'start-wal'), '000000010000000000000001\n');
    const refused = await backup(['take', primary, archive, backups, '--days', '31', '-c', server.confPath]);
    assert.notEqual(refused.code, 0, 'a bound beyond retention_days is refused');
    assert.match(refused.stderr, /exceeds retention_days 30/);
    assert.ok(existsSync(old), 'nothing was done');
    const taken = await backup(['take', primary, archive, backups, '-c', server.confPath]);
    assert.equal(taken.code, 0, taken.stderr);
    const base = taken.stdout;
    assert.match(base, /\/base-\d{8}T\d{6}Z$/);
    assert.ok(!existsSync(old), 'the backup older than the bound is removed');
    assert.match(taken.stderr, /removed .*base-20200101T000000Z/);
    assert.deepEqual(readdirSync(backups), [base.split('/').pop()]);
    // Archived WAL from before the oldest backup kept is gone too.
    const startWal = readFileSync(join(base, 'start-wal'), 'utf8').trim();
    const segments = readdirSync(archive).filter((f) => /^[0-9A-F]{24}$/.test(f));
    assert.ok(segments.length > 0, 'WAL is archived');
    assert.deepEqual(segments.filter((f) => f < startWal), []);

    // After the backup: one before the target time, one after it.
    const within = await submit();
    const target = q(primary, 'SELECT now()');
    const later = await submit();
    const wal = q(primary, 'SELECT pg_walfile_name(pg_switch_wal())');
    await waitFor(() => q(primary, 'SELECT last_archived_wal FROM pg_stat_archiver') >= wal,
      { timeout: 30000 });

    const restoreStart = Date.now();
    const r = await backup(['restore', base, archive, restored, target]);
    assert.equal(r.code, 0, r.stderr);
    console.log(`restore: base backup plus archived WAL to ${target} in `
      + `${((Date.now() - restoreStart) / 1000).toFixed(1)} s`);
    const onRestored = await startServer({ db: 'meldpunt', host: restored,
      settings: daemonSettings([restored]) });
    servers.push(onRestored);

    // The adviser logs in to the restored desk and opens the case from
    // before the backup with her key.
    const session = await login(onRestored, 'meldpunt', adviser);
    assert.equal(session.res.status, 200, JSON.stringify(session.res.body));
    const view = await call(onRestored, 'GET', `/api/v1/adviser/cases/${kept.caseId}`, { token: session.token });
    assert.equal(view.status, 200);
    assert.equal(openAsAdviser(view.body, adviser, session.secretKey).report.what, kept.what);
    // The one after the backup but before the target time is there too
    // (replayed from the archive); the one after the target is not.
    assert.deepEqual(verifyStored(restored, [kept, within], adviser), []);
    assert.equal(q(restored, `SELECT count(*) FROM cases WHERE id = decode('${hex(later.caseId)}', 'hex')`), '0');
    assert.equal(q(primary, `SELECT count(*) FROM cases WHERE id = decode('${hex(later.caseId)}', 'hex')`), '1');
    // The purged case: its facts row only, no ciphertext, no wrap.
    assert.equal(q(restored, `SELECT purged_on IS NOT NULL, report_ciphertext IS NULL,
      (SELECT count(*) FROM key_wraps WHERE case_id = c.id) FROM cases c
      WHERE id = decode('${hex(purged.caseId)}', 'hex')`), 't|t|0');
    assert.deepEqual(verifyStored(restored, [purged], adviser), [`${purged.caseId}: missing`]);
  } finally {
    for (const s of servers) await s.stop().catch(() => {});
    for (const c of [restored, primary]) {
      try { cluster('stop', c); } catch { /* not started */ }
    }
    rmSync(dir, { recursive: true, force: true });
  }
});
