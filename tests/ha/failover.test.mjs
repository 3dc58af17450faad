// Failover without losing a 201 (issue #17): a primary with a synchronous
// standby, two daemons on the multi-host conninfo, 50 clients submitting
// through both; the primary is killed with SIGKILL and the standby promoted
// as an operator (or a failover manager) would. Every acknowledged
// submission must be on the new primary and decrypt with the adviser's key.
// Then one daemon is killed under the same load: the other keeps serving.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  cluster, daemonSettings, deskIn, env, killCluster, load, psql, replica, routingOf, sleep,
  startServer, verifyStored,
} from './lib.mjs';

test('SIGKILL of the primary under load: no acknowledged submission lost', { timeout: 170000 }, async () => {
  const dir = join(env.tmp, `ha-failover-${process.pid}`);
  const primary = join(dir, 'primary');
  const standby = join(dir, 'standby');
  const servers = [];
  let clients = null;
  try {
    cluster('start', primary);
    const adviser = await deskIn(primary);
    await replica('create', primary, standby, 'standby1');
    assert.equal(psql('postgres', 'SHOW synchronous_standby_names', { host: primary, user: 'postgres' }),
      'standby1');
    assert.equal(await replica('role', standby), 'standby');

    const settings = daemonSettings([primary, standby]);
    servers.push(await startServer({ db: 'meldpunt', host: primary, settings }));
    servers.push(await startServer({ db: 'meldpunt', host: primary, settings }));
    const routing = await routingOf(servers[0]);

    // Kill once both daemons are acknowledging (the machine may be busy).
    clients = load(servers, routing, 50);
    const acked = (port) => clients.outcomes.filter((o) => o.server === port && o.status === 201).length;
    const warm = Date.now() + 60000;
    while ((acked(servers[0].port) < 20 || acked(servers[1].port) < 20) && Date.now() < warm) {
      await sleep(100);
    }
    const killedAt = Date.now();
    killCluster(primary);
    const promoteStart = Date.now();
    await replica('promote', standby);
    const promoted = Date.now();
    // Run on until both daemons have answered 201 again for a while.
    const deadline = Date.now() + 60000;
    const after = (port) => clients.outcomes.some((o) => o.server === port && o.status === 201
      && o.sent > promoted);
    while (!(after(servers[0].port) && after(servers[1].port)) && Date.now() < deadline) await sleep(100);
    await sleep(2000);
    let outcomes = [...clients.outcomes];

    const before = outcomes.filter((o) => o.status === 201 && o.at < killedAt);
    const firstAfter = outcomes.filter((o) => o.status === 201 && o.sent > killedAt)
      .sort((a, b) => a.at - b.at)[0];
    const during = outcomes.filter((o) => o.status === 503 && o.at > killedAt
      && (!firstAfter || o.at <= firstAfter.at));
    const other = outcomes.filter((o) => ![201, 503].includes(o.status));
    const tally = {};
    for (const o of outcomes) tally[`${o.step}:${o.status}`] = (tally[`${o.step}:${o.status}`] ?? 0) + 1;
    console.log(`outcomes: ${JSON.stringify(tally)}`);
    const failed = outcomes.find((o) => o.error);
    if (failed) console.log(`a network error: ${failed.error}`);
    assert.ok(before.length > 0, 'submissions acknowledged before the kill');
    assert.ok(firstAfter, 'a submission acknowledged after the kill');
    console.log(`failover: ${before.length} acknowledged before the kill; promotion took `
      + `${((promoted - promoteStart) / 1000).toFixed(2)} s; first 201 after the kill at `
      + `${((firstAfter.at - killedAt) / 1000).toFixed(2)} s (`
      + `${((firstAfter.at - promoted) / 1000).toFixed(2)} s after the promotion); `
      + `${during.length} answered 503 meanwhile; ${other.length} other outcomes `
      + `(${[...new Set(other.map((o) => `${o.step}:${o.status}`))].join(', ') || 'none'})`);
    assert.deepEqual(other.filter((o) => o.status !== 0), [], 'only 201 and 503 answers');
    // The time is printed, not asserted (no timed tests: a busy machine
    // may be slow); the goal is under 5 s after the promotion.
    console.log(`failover: goal of < 5 s after the promotion ${firstAfter.at - promoted < 5000 ? 'met' : 'MISSED'}`);

    // One daemon killed under the same load: the other keeps serving.
    const killedDaemonAt = Date.now();
    await servers[0].kill();
    await sleep(3000);
    outcomes = await clients.stop();
    clients = null;
    const survivor = outcomes.filter((o) => o.server === servers[1].port && o.sent > killedDaemonAt + 200);
    assert.ok(survivor.filter((o) => o.status === 201).length > 0, 'the other daemon answers 201');
    assert.deepEqual(survivor.filter((o) => o.status !== 201).map((o) => o.status), [],
      'and nothing else');
    console.log(`daemon killed: the other acknowledged ${survivor.length} submissions in the next 3 s`);

    // The point: every 201, before or after either kill, is on the new
    // primary and decrypts with the adviser's key.
    const acknowledged = outcomes.filter((o) => o.status === 201);
    assert.deepEqual(verifyStored(standby, acknowledged, adviser), []);
    console.log(`verified: ${acknowledged.length} acknowledged submissions on the new primary, all decrypt`);
  } finally {
    if (clients) await clients.stop();
    for (const s of servers) await s.stop().catch(() => {});
    await replica('stop', standby).catch(() => {});
    try { cluster('stop', primary); } catch { /* killed */ }
    rmSync(dir, { recursive: true, force: true });
  }
});
