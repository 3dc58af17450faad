// lib.mjs - clusters, standbys, backups and a submission load for the
// high-availability tests, on deploy/pg-cluster, deploy/pg-replica and
// deploy/backup (run as an operator would), the API test harness and the
// crypto module the pages use.
import { execFile, execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { env, migrate, psql, seedDemo, startServer } from '../api/lib/harness.mjs';
import { addAccounts, mc, pins } from '../api/lib/fixtures.mjs';

const run = promisify(execFile);
const deploy = (name) => new URL(`../../deploy/${name}`, import.meta.url).pathname;

export { env, psql, startServer, mc };

// deploy/pg-cluster CMD DIR ..., with extra postgresql.conf lines.
export function cluster(cmd, dir, args = [], extra = '') {
  execFileSync(deploy('pg-cluster'), [cmd, dir, ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, MELDPUNT_PG_EXTRA: `fsync = off\n${extra}` },
  });
}

// deploy/pg-replica CMD ARGS... (asynchronous: the load keeps running).
export async function replica(...args) {
  return (await run(deploy('pg-replica'), args, { timeout: 120000 })).stdout.trim();
}

// deploy/backup CMD ARGS...; resolves to {code, stdout, stderr}.
export async function backup(args, extraEnv = {}) {
  try {
    const r = await run(deploy('backup'), args, { timeout: 170000, env: { ...process.env, ...extraEnv } });
    return { code: 0, stdout: r.stdout.trim(), stderr: r.stderr };
  } catch (e) {
    if (typeof e.code !== 'number') throw e;
    return { code: e.code, stdout: (e.stdout ?? '').trim(), stderr: e.stderr ?? '' };
  }
}

// The postmaster of the cluster in dir and every process it started,
// killed at once with SIGKILL: the server dies as with a power cut.
export function killCluster(dir) {
  const pid = Number(readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = readdirSync('/proc').filter((f) => /^\d+$/.test(f)).filter((f) => {
    try {
      const stat = readFileSync(`/proc/${f}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
    } catch { return false; }
  }).map(Number);
  process.kill(pid, 'SIGKILL');
  for (const child of children) {
    try { process.kill(child, 'SIGKILL'); } catch { /* already gone */ }
  }
}

// A desk database 'meldpunt' in the cluster at dir: migrated, seeded, and
// one adviser for bzk/racism (returned, with her secret keys).
export async function deskIn(dir, { passphrase = null } = {}) {
  await mc.ready();
  cluster('createdb', dir, ['meldpunt']);
  migrate('meldpunt', dir);
  seedDemo('meldpunt', dir);
  const [adviser] = addAccounts('meldpunt', [
    { name: 'Hanna Ha', role: 'adviser', organisations: ['bzk'], topics: ['racism'], passphrase },
  ], dir);
  return adviser;
}

// Settings for a daemon on the servers whose socket folders are hosts.
export function daemonSettings(hosts, extra = {}) {
  const h = hosts.join(',');
  return {
    database: `host=${h} dbname=meldpunt user=meldpunt_app target_session_attrs=read-write`,
    admin_database: `host=${h} dbname=meldpunt user=meldpunt target_session_attrs=read-write`,
    pow_difficulty: '0',
    pow_ceiling: '2147483647',
    client_challenges: '0',
    ...extra,
  };
}

let serial = 0;

// One submission through the real protocol: challenge, proof of work,
// encryption and wraps, POST. Resolves to {status, sent, at, caseId, what}.
export async function submitOnce(server, routing) {
  const sent = Date.now();
  const what = `Report ${process.pid}.${serial++}: remarks about my origin.`;
  const signal = AbortSignal.timeout(15000);
  const post = (path, body) => fetch(`${server.url}${path}`, {
    method: 'POST', signal,
    headers: { connection: 'close', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const chRes = await post('/api/v1/challenges');
  if (chRes.status !== 200) {
    await chRes.arrayBuffer();
    return { status: chRes.status, step: 'challenge', sent, at: Date.now() };
  }
  const ch = await chRes.json();
  const receipt = mc.newReceipt();
  const keys = mc.receiptKeys(receipt);
  const K = mc.newCaseKey();
  const sub = mc.caseSubkeys(K);
  const organisation = 'bzk'; const topic = 'racism';
  const ad = { organisation, topic, reporterSignPublicKey: keys.signPublicKey };
  const report = { v: 1, what, when: '2026-10', where: 'The office', who: 'A team lead',
    wish: 'advice', lang: 'en', excluded: [] };
  const body = {
    challenge: ch.challenge,
    pow_nonce: mc.toB64(mc.solvePow(mc.fromB64(ch.challenge), ch.difficulty)),
    organisation, topic,
    lookup_id: mc.toB64(keys.lookupId),
    reporter_sign_public_key: mc.toB64(keys.signPublicKey),
    reporter_box_public_key: mc.toB64(keys.boxPublicKey),
    report_ciphertext: mc.toB64(mc.encryptReport(report, ad, sub.report)),
    key_commitment: mc.toB64(mc.keyCommitment(sub.report)),
    excluded: [],
    key_wraps: mc.caseKeyWraps({ K, routing, pins: pins(), organisation, topic, excluded: [],
      today: mc.todayUtc(), reporterBoxPublicKey: keys.boxPublicKey,
      reporterBoxSecretKey: keys.boxSecretKey }),
  };
  const res = await post('/api/v1/reports', body);
  const type = res.headers.get('content-type') ?? '';
  const data = type.startsWith('application/json') ? await res.json() : await res.arrayBuffer();
  return { status: res.status, step: 'report', sent, at: Date.now(), caseId: data.case_id, what,
    receipt };
}

// The routing of bzk/racism as the submission page fetches it.
export async function routingOf(server) {
  const res = await fetch(`${server.url}/api/v1/routing?organisation=bzk&topic=racism`,
    { headers: { connection: 'close' } });
  if (res.status !== 200) throw new Error(`routing: ${res.status}`);
  return res.json();
}

/**
 * Clients submitting continuously, client i through servers[i % n], until
 * stop() resolves to every outcome. A refused connection (a dead daemon) is
 * an outcome with status 0; the client then pauses 50 ms.
 */
export function load(servers, routing, clients = 50) {
  const outcomes = [];
  let stopping = false;
  const loops = [];
  for (let i = 0; i < clients; i++) {
    const server = servers[i % servers.length];
    loops.push((async () => {
      while (!stopping) {
        let o;
        try {
          o = await submitOnce(server, routing);
        } catch (e) {
          o = { status: 0, step: 'network', sent: Date.now(), at: Date.now(), error: e.message };
          await new Promise((r) => setTimeout(r, 50));
        }
        o.server = server.port;
        outcomes.push(o);
      }
    })());
  }
  return {
    outcomes,
    async stop() {
      stopping = true;
      await Promise.all(loops);
      return outcomes;
    },
  };
}

/**
 * Every acknowledged submission (201) on the server at host: the case row
 * is there, and the adviser's wrap opens with her secret key to the key
 * that decrypts the report to what was sent. Returns the ids missing or
 * failing (an empty list is the goal).
 */
export function verifyStored(host, acknowledged, adviser) {
  const rows = execFileSync('psql', ['-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-h', host,
    '-U', 'postgres', '-d', 'meldpunt', '-c', `SELECT encode(c.id, 'hex'),
      encode(c.report_ciphertext, 'hex'), encode(c.reporter_sign_public_key, 'hex'),
      encode(w.wrap, 'hex')
    FROM cases c JOIN key_wraps w ON w.case_id = c.id AND w.account_id = '${adviser.id}'`],
  { encoding: 'utf8', maxBuffer: 1 << 30 });
  const byId = new Map(rows.split('\n').filter(Boolean).map((line) => {
    const [id, ct, spk, wrap] = line.split('|');
    return [id, { ct, spk, wrap }];
  }));
  const bad = [];
  for (const a of acknowledged) {
    const id = Buffer.from(mc.fromB64(a.caseId)).toString('hex');
    const row = byId.get(id);
    if (!row) { bad.push(`${a.caseId}: missing`); continue; }
    try {
      const K = mc.openWrap(Buffer.from(row.wrap, 'hex'), adviser.keys.encryptionPublicKey,
        adviser.keys.encryptionSecretKey);
      const report = mc.decryptReport(Buffer.from(row.ct, 'hex'), { organisation: 'bzk',
        topic: 'racism', reporterSignPublicKey: Buffer.from(row.spk, 'hex') },
      mc.caseSubkeys(K).report);
      if (report.what !== a.what) bad.push(`${a.caseId}: other content`);
    } catch (e) {
      bad.push(`${a.caseId}: ${e.message}`);
    }
  }
  return bad;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
