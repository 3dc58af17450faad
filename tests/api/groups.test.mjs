// groups.test.mjs - submissions stored in groups (backend/desk/submit_queue.c,
// sql/0013_submit_many.sql): what arrives while a group commits is stored
// by the next call as one group, and every submission in it is still
// checked, stored whole or refused on its own.
//
// To make groups deterministic, a test holds an EXCLUSIVE lock on the
// challenges table: the group being stored waits at its first insert, and
// everything sent meanwhile queues behind it and forms the next group.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { env, psql, startServer, waitFor } from './lib/harness.mjs';
import { call, mc, newDesk, prepareReport, reporterLogin, sampleReport } from './lib/fixtures.mjs';

const send = (server, body, headers) => call(server, 'POST', '/api/v1/reports', { body, headers });

// Send one submission and hold it at the challenges table; once the writer
// waits there, send the rest, which queue behind it as the next group, and
// release the lock a moment later. Resolves to the answers, first the held
// one's. The waits are bounds, not timings: a busy machine only makes them
// longer.
async function heldThenRest(db, sendFirst, sendRest, queueMs = 3000) {
  const holder = spawn('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', env.pghost,
    '-U', 'meldpunt', '-d', db], { stdio: ['pipe', 'ignore', 'inherit'] });
  const done = new Promise((resolve) => holder.on('exit', resolve));
  try {
    holder.stdin.write('BEGIN; LOCK TABLE challenges IN EXCLUSIVE MODE;\n');
    const locks = (granted) => psql(db, `SELECT count(*) FROM pg_locks l
      JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'challenges' AND l.granted = ${granted}`);
    await waitFor(() => locks(true) === '1', { timeout: 60000 });
    const first = sendFirst();
    await waitFor(() => locks(false) === '1', { timeout: 60000 });
    const rest = sendRest();
    await new Promise((r) => setTimeout(r, queueMs));
    holder.stdin.end('COMMIT;\n');
    assert.equal(await done, 0, 'the lock holder ran');
    return [await first, ...(await rest)];
  } finally {
    if (holder.exitCode === null) holder.kill();
  }
}

// "N submissions stored in G groups", from the daemon's last words.
async function groupsOf(server) {
  await server.stop();
  const m = /submit: (\d+) submissions stored in (\d+) groups/.exec(server.log());
  assert.ok(m, 'the daemon reports its groups at stop');
  return { submissions: Number(m[1]), groups: Number(m[2]) };
}

function rows(db, table) {
  return Number(psql(db, `SELECT count(*) FROM ${table}`));
}

function wholeCases(db) {
  return psql(db, `SELECT count(*) FROM cases c WHERE
    c.reporter_wrap IS NOT NULL AND c.recovery_wrap IS NOT NULL
    AND (SELECT count(*) FROM key_wraps w WHERE w.case_id = c.id) = 2
    AND (SELECT count(*) FROM sessions s WHERE s.case_id = c.id) >= 1`);
}

describe('submissions stored in groups', () => {
  let desk;
  before(async () => { desk = await newDesk(); await desk.server.stop(); });

  test('a burst is stored as one group; every case is whole and opens for its reporter', async () => {
    const server = await startServer({ db: desk.db, settings: { threads: '64' } });
    const prepared = [];
    for (let i = 0; i < 16; i++) prepared.push(await prepareReport(server));
    const before = rows(desk.db, 'cases');
    const answers = await heldThenRest(desk.db, () => send(server, prepared[0].body),
      () => Promise.all(prepared.slice(1).map((p) => send(server, p.body))));
    for (const a of answers) assert.equal(a.status, 201, JSON.stringify(a.body));
    assert.equal(new Set(answers.map((a) => a.body.case_id)).size, 16);
    assert.equal(rows(desk.db, 'cases'), before + 16);
    assert.equal(wholeCases(desk.db), String(before + 16));
    for (const i of [0, 15]) {
      const { token } = await reporterLogin(server, prepared[i].receipt);
      const view = (await call(server, 'GET', '/api/v1/reporter/case', { token })).body;
      assert.equal(view.case_id, answers[i].body.case_id);
      const K = mc.openWrap(mc.fromB64(view.wrap.wrap), prepared[i].keys.boxPublicKey,
        prepared[i].keys.boxSecretKey);
      const report = mc.decryptReport(mc.fromB64(view.report_ciphertext), {
        organisation: 'bzk', topic: 'racism', reporterSignPublicKey: prepared[i].keys.signPublicKey,
      }, mc.caseSubkeys(K).report);
      assert.equal(report.what, sampleReport().what);
    }
    // The first was held alone; the other fifteen queued as one group.
    assert.deepEqual(await groupsOf(server), { submissions: 16, groups: 2 });
  });

  test('refusals inside a group write nothing and cost the others nothing', async () => {
    const server = await startServer({ db: desk.db, settings: { threads: '64' } });
    const good = [];
    for (let i = 0; i < 4; i++) good.push(await prepareReport(server));
    // Two submissions with one challenge, two with one receipt.
    const twinChallenge = await prepareReport(server, { challenge: good[0].challenge });
    const stored = await prepareReport(server);
    assert.equal((await send(server, stored.body)).status, 201);
    const sameReceipt = await prepareReport(server);
    sameReceipt.body.lookup_id = stored.body.lookup_id;
    const outsider = await prepareReport(server);
    outsider.body.key_wraps.find((w) => w.recipient.startsWith('adviser:')).recipient =
      `adviser:${desk.people[2].id}`;
    const staleKey = await prepareReport(server);
    staleKey.body.key_wraps.find((w) => w.recipient.startsWith('adviser:')).public_key =
      mc.toB64(mc.libsodium().crypto_box_keypair().publicKey);

    const before = { cases: rows(desk.db, 'cases'), wraps: rows(desk.db, 'key_wraps'),
      challenges: rows(desk.db, 'challenges'), sessions: rows(desk.db, 'sessions') };
    const all = [...good, twinChallenge, sameReceipt, outsider, staleKey];
    const answers = await heldThenRest(desk.db, () => send(server, all[0].body),
      () => Promise.all(all.slice(1).map((p) => send(server, p.body))));
    const codes = answers.map((a) => (a.status === 201 ? 201 : `${a.status} ${a.body.error.code}`));

    // Of the twins on one challenge, the one stored first wins.
    assert.deepEqual(codes.slice(0, 5), [201, 201, 201, 201, '409 challenge_invalid']);
    assert.deepEqual(codes.slice(5), ['409 lookup_id_used', '409 routing_changed', '409 key_changed']);
    assert.equal(rows(desk.db, 'cases'), before.cases + 4);
    assert.equal(rows(desk.db, 'key_wraps'), before.wraps + 4 * 2, 'two adviser wraps each');
    assert.equal(rows(desk.db, 'sessions'), before.sessions + 4);
    assert.equal(rows(desk.db, 'challenges'), before.challenges + 4, 'refused submissions spend no challenge');
    const unspent = mc.toB64(mc.fromB64(sameReceipt.body.challenge));
    assert.equal(psql(desk.db, `SELECT count(*) FROM challenges
      WHERE challenge = decode(translate('${unspent}', '-_', '+/') || '=', 'base64')`), '0');
    assert.equal(wholeCases(desk.db), String(before.cases + 4));
    await groupsOf(server);
  });

  test('concurrent retries with one Idempotency-Key store one case and all get it', async () => {
    const server = await startServer({ db: desk.db, settings: { threads: '64' } });
    const p = await prepareReport(server);
    const headers = { 'idempotency-key': `burst-${process.pid}-${Date.now()}` };
    const before = rows(desk.db, 'cases');
    const answers = await heldThenRest(desk.db, () => send(server, p.body, headers),
      () => Promise.all(Array.from({ length: 4 }, () => send(server, p.body, headers))));
    for (const a of answers) assert.equal(a.status, 201, JSON.stringify(a.body));
    assert.equal(new Set(answers.map((a) => a.body.case_id)).size, 1);
    assert.equal(new Set(answers.map((a) => a.body.token)).size, 5);
    assert.deepEqual(answers[1].body.proof, answers[0].body.proof);
    assert.equal(rows(desk.db, 'cases'), before + 1);
    await groupsOf(server);
  });

  test('an Idempotency-Key that another instance stores meanwhile: a replay of its case, nothing spent', async () => {
    const server = await startServer({ db: desk.db });
    const p = await prepareReport(server);
    const key = `other-${process.pid}-${Date.now()}`;
    const s = mc.libsodium();
    // The hashes the daemon keeps (backend/api/submit.c): the key keyed with the
    // server key, the body as sent.
    const serverKey = mc.fromB64(readFileSync(`${env.secrets}/server_key`, 'utf8').trim());
    const keyHash = Buffer.from(s.crypto_generichash(32, mc.utf8(key), serverKey)).toString('hex');
    const bodyHash = Buffer.from(s.crypto_generichash(32, mc.utf8(JSON.stringify(p.body)))).toString('hex');
    const otherId = randomBytes(16);
    const hex = (n) => `'\\x${randomBytes(n).toString('hex')}'`;
    // The other instance stores the same submission, and has not committed
    // when this one looks for the key.
    const other = spawn('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', env.pghost,
      '-U', 'meldpunt_app', '-d', desk.db], { stdio: ['pipe', 'ignore', 'inherit'] });
    const otherDone = new Promise((resolve) => other.on('exit', resolve));
    after(() => { if (other.exitCode === null) other.kill(); });
    other.stdin.write(`BEGIN;
      INSERT INTO cases (id, organisation, topic, lookup_id, reporter_sign_public_key,
        reporter_box_public_key, report_ciphertext, key_commitment, proof_signature)
      VALUES ('\\x${otherId.toString('hex')}', 'bzk', 'racism', ${hex(32)}, ${hex(32)}, ${hex(32)},
        ${hex(4136)}, ${hex(32)}, ${hex(64)});
      INSERT INTO idempotency_keys (key_hash, body_hash, case_id, expires_at)
      VALUES ('\\x${keyHash}', '\\x${bodyHash}', '\\x${otherId.toString('hex')}', now() + interval '1 hour');\n`);
    await waitFor(() => psql(desk.db, `SELECT count(*) FROM pg_stat_activity
      WHERE datname = current_database() AND state = 'idle in transaction'`, { user: 'postgres' }) === '1');
    const before = { cases: rows(desk.db, 'cases'), challenges: rows(desk.db, 'challenges') };
    const answer = send(server, p.body, { 'idempotency-key': key });
    // The daemon's group waits for the other instance's key.
    await waitFor(() => psql(desk.db, `SELECT count(*) FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock'`, { user: 'postgres' }) === '1');
    other.stdin.end('COMMIT;\n');
    assert.equal(await otherDone, 0, 'the other instance committed');
    const a = await answer;
    assert.equal(a.status, 201, JSON.stringify(a.body));
    assert.equal(a.body.case_id, mc.toB64(otherId), 'the case the other instance stored');
    assert.equal(rows(desk.db, 'cases'), before.cases + 1, 'only the other instance\'s case');
    assert.equal(rows(desk.db, 'challenges'), before.challenges, 'its challenge given back');
    assert.equal(psql(desk.db, `SELECT count(*) FROM sessions
      WHERE case_id = '\\x${otherId.toString('hex')}'`), '1', 'its token is a session of that case');
    await server.stop();
  });

  test('a group that fails as a whole is stored again one by one: only the culprit fails', async () => {
    const server = await startServer({ db: desk.db, settings: { threads: '64' } });
    const prepared = [];
    for (let i = 0; i < 6; i++) prepared.push(await prepareReport(server));
    // A fault injected in PostgreSQL: inserting one of these cases raises.
    const poison = prepared[3].body.lookup_id;
    psql(desk.db, `CREATE FUNCTION test_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'injected fault'; END $$;
      CREATE TRIGGER test_poison BEFORE INSERT ON cases FOR EACH ROW
      WHEN (NEW.lookup_id = decode(translate('${poison}', '-_', '+/') || '=', 'base64'))
      EXECUTE FUNCTION test_poison();`);
    try {
      const before = rows(desk.db, 'cases');
      const answers = await heldThenRest(desk.db, () => send(server, prepared[0].body),
        () => Promise.all(prepared.slice(1).map((p) => send(server, p.body))));
      const codes = answers.map((a) => a.status);
      assert.deepEqual(codes, [201, 201, 201, 503, 201, 201]);
      assert.equal(answers[3].body.error.code, 'unavailable');
      assert.equal(rows(desk.db, 'cases'), before + 5);
      const culprit = mc.toB64(mc.fromB64(prepared[3].body.challenge));
      assert.equal(psql(desk.db, `SELECT count(*) FROM challenges
        WHERE challenge = decode(translate('${culprit}', '-_', '+/') || '=', 'base64')`), '0');
      // One held, then the five as one group: it failed, and each of the
      // five was stored alone (not counted as groups).
      assert.deepEqual(await groupsOf(server), { submissions: 6, groups: 2 });
    } finally {
      psql(desk.db, 'DROP TRIGGER test_poison ON cases; DROP FUNCTION test_poison()');
    }
  });
});
