// harness.mjs - real PostgreSQL databases and real meldpuntd processes for
// the API tests. tests/run provides the cluster, the template database, the
// key files and the binary through MELDPUNT_TEST_* environment variables.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import net from 'node:net';
import { after } from 'node:test';

export const env = {
  binary: must('MELDPUNTD'),
  tmp: must('MELDPUNT_TEST_TMP'),
  pghost: must('MELDPUNT_TEST_PGHOST'),
  offline: must('MELDPUNT_TEST_OFFLINE'),
  secrets: must('MELDPUNT_SECRETS_DIR'),
  sqlDir: must('MELDPUNT_SQL_DIR'),
  frontendDir: must('MELDPUNT_FRONTEND_DIR'),
  sanitized: process.env.MELDPUNT_SANITIZE === 'ON',
  tsan: process.env.MELDPUNT_TSAN === 'ON',
};

// How much slower an instrumented daemon is allowed to be where a test bounds
// a wait (ASan+UBSan 3x, ThreadSanitizer 5x): the bounds keep their meaning
// ("at once" is still well before any timeout the test sets the daemon to).
export const timeScale = Number(process.env.MELDPUNT_TIME_SCALE) ||
  (env.tsan ? 5 : env.sanitized ? 3 : 1);

function must(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through tests/run`);
  return value;
}

// psql as the given role; returns trimmed unaligned output.
export function psql(db, sql, { user = 'meldpunt', host = env.pghost } = {}) {
  return execFileSync('psql', ['-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1',
    '-h', host, '-U', user, '-d', db, '-c', sql], { encoding: 'utf8' }).trim();
}

// A fresh database cloned from the migrated template.
export function createDatabase(host = env.pghost) {
  const name = `t_${randomBytes(6).toString('hex')}`;
  psql('postgres', `CREATE DATABASE ${name} TEMPLATE meldpunt_template OWNER meldpunt`,
    { user: 'postgres', host });
  return name;
}

export function seedDemo(db, host = env.pghost) {
  execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', host, '-U', 'meldpunt',
    '-d', db, '-f', new URL('../../../deploy/demo-seed.sql', import.meta.url).pathname]);
}

// pg_dump of db, without the random \restrict lines newer pg_dump adds.
export function pgDump(db, host = env.pghost) {
  return execFileSync('pg_dump', ['-h', host, '-U', 'postgres', '-d', db],
    { encoding: 'latin1', maxBuffer: 1 << 30 })
    .split('\n').filter((l) => !/^\\(un)?restrict /.test(l)).join('\n');
}

// The tables' owner's connection string, for the jobs that run as the owner
// (migrate, purge); the serving daemon's configuration never holds it.
export function adminConninfo(db, host = env.pghost) {
  return `host=${host} dbname=${db} user=meldpunt`;
}

// meldpuntd refuses to serve as root. The tests run as root (the machine's
// CI user), so the daemons they start get the development override, which
// the daemon announces with a warning; check.test.mjs starts one without it
// and expects the refusal.
export function rootOverride() {
  return process.getuid?.() === 0 ? { MELDPUNT_ALLOW_ROOT: '1' } : {};
}

// Start meldpuntd serve on a port of the kernel's choosing.
// Daemons a failed test left running would keep the test process alive until
// ctest's timeout: whatever still runs when the file's tests end is killed.
const running = new Set();
after(() => { for (const child of running) child.kill('SIGKILL'); });

export async function startServer({ db, host = env.pghost, settings = {} } = {}) {
  const dir = mkdtempSync(join(env.tmp, 'srv-'));
  const logPath = join(dir, 'meldpuntd.log');
  const conf = {
    database: `host=${host} dbname=${db} user=meldpunt_app`,
    listen: '127.0.0.1:0',
    secrets_dir: env.secrets,
    frontend_dir: env.frontendDir,
    sql_dir: env.sqlDir,
    audit_sink: join(dir, 'audit-heads.log'),
    threads: '16',
    ...settings,
  };
  const confPath = join(dir, 'meldpunt.conf');
  writeFileSync(confPath, Object.entries(conf).map(([k, v]) => `${k} = ${v}\n`).join(''));
  // The environment would override the file: drop what the caller set.
  const childEnv = { ...process.env, ...rootOverride(),
    ASAN_OPTIONS: 'abort_on_error=0:detect_leaks=1' };
  for (const key of Object.keys(settings)) delete childEnv[`MELDPUNT_${key.toUpperCase()}`];
  const child = spawn(env.binary, ['-c', confPath, 'serve'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: childEnv,
  });
  let log = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => { log += chunk; writeFileSync(logPath, log); });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  running.add(child);
  exited.then(() => running.delete(child));
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`meldpuntd did not start:\n${log}`)), 20000);
    const check = () => {
      const m = /listening on port (\d+)/.exec(log);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    };
    child.stderr.on('data', check);
    exited.then(() => { clearTimeout(timer); reject(new Error(`meldpuntd exited:\n${log}`)); });
  });
  const server = {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid,
    logPath,
    confPath,
    log: () => log,
    // Stop with SIGTERM; resolves to the exit status. Fails on sanitizer reports.
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const status = await exited;
      assertNoSanitizerReport(log);
      return status;
    },
    async kill() {
      child.kill('SIGKILL');
      return exited;
    },
  };
  return server;
}

// ASan, LeakSanitizer and UBSan (build-asan) or ThreadSanitizer (build-tsan).
export function assertNoSanitizerReport(log) {
  if (/ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:|(WARNING|FATAL|ERROR): ThreadSanitizer/.test(log)) {
    throw new Error(`sanitizer report in the daemon log:\n${log}`);
  }
}

// A second cluster of our own (for tests that stop PostgreSQL).
export function clusterCommand(cmd, dir, extra = []) {
  execFileSync(new URL('../../../deploy/pg-cluster', import.meta.url).pathname,
    [cmd, dir, ...extra], { stdio: 'ignore', env: { ...process.env, MELDPUNT_PG_EXTRA: 'fsync = off' } });
}

export function migrate(db, host = env.pghost, sqlDir = env.sqlDir) {
  const r = spawnSync(env.binary, ['migrate'], {
    encoding: 'utf8',
    env: {
      ...process.env,
      MELDPUNT_ADMIN_DATABASE: adminConninfo(db, host),
      MELDPUNT_SQL_DIR: sqlDir,
    },
  });
  if (r.status !== 0) throw new Error(`migrate failed:\n${r.stderr}`);
  return r.stderr;
}

// One raw HTTP/1.1 exchange over a fresh socket: full control over what is
// sent (no Content-Length, odd paths). Resolves to {status, headers, body}.
// With body set, text is sent first and body only after a pause, so a test
// can see the server answer from the headers alone.
export function rawRequest(port, text, { timeout = 5000, body = null, pause = 300,
  localAddress } = {}) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress });
    const chunks = [];
    const timer = setTimeout(() => { socket.destroy(); reject(new Error('raw request timed out')); }, timeout);
    socket.on('data', (d) => {
      chunks.push(d);
      const parsed = parseResponse(Buffer.concat(chunks));
      if (parsed) { clearTimeout(timer); socket.destroy(); resolve(parsed); }
    });
    socket.on('error', (e) => {
      clearTimeout(timer);
      const parsed = parseResponse(Buffer.concat(chunks));
      parsed ? resolve(parsed) : reject(e);
    });
    socket.on('end', () => {
      clearTimeout(timer);
      const parsed = parseResponse(Buffer.concat(chunks));
      parsed ? resolve(parsed) : reject(new Error('incomplete response'));
    });
    socket.write(text);
    if (body !== null) {
      setTimeout(() => { if (!socket.destroyed) socket.write(body, () => {}); }, pause);
    }
  });
}

function parseResponse(buf) {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(lines[0].split(' ')[1]);
  const headers = lines.slice(1).map((l) => {
    const i = l.indexOf(':');
    return [l.slice(0, i).toLowerCase(), l.slice(i + 1).trim()];
  });
  const lenHeader = headers.find(([k]) => k === 'content-length');
  const len = lenHeader ? Number(lenHeader[1]) : 0;
  if (buf.length < end + 4 + len) return null;
  return { status, headers, body: buf.subarray(end + 4, end + 4 + len).toString('utf8') };
}

export async function waitFor(predicate, { timeout = 5000, interval = 50 } = {}) {
  const start = Date.now();
  for (;;) {
    const result = await predicate();
    if (result) return Date.now() - start;
    if (Date.now() - start > timeout) throw new Error(`condition not met within ${timeout} ms`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

export function readLog(path) {
  return readFileSync(path, 'utf8');
}

// SPEC section 7: the headers every response carries, exactly.
export const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; require-trusted-types-for 'script'; trusted-types meldpunt-worker",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'x-robots-tag': 'noindex, nofollow',
};

export function assertSecurityHeaders(res, { api = true } = {}) {
  const names = res.headers.map(([k]) => k);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    const found = res.headers.filter(([k]) => k === name);
    assert.equal(found.length, 1, `exactly one ${name} on ${res.status}`);
    assert.equal(found[0][1], value, `${name} on ${res.status}`);
  }
  const pp = res.headers.find(([k]) => k === 'permissions-policy');
  assert.ok(pp, `permissions-policy on ${res.status}`);
  const features = pp[1].split(',').map((s) => s.trim());
  for (const f of features) {
    if (f.startsWith('clipboard-write=')) assert.equal(f, 'clipboard-write=(self)');
    else assert.match(f, /^[a-z-]+=\(\)$/, `feature ${f} denied`);
  }
  assert.ok(features.includes('camera=()') && features.includes('geolocation=()'));
  assert.ok(!names.includes('server'), 'no Server header');
  assert.ok(!names.some((n) => n.startsWith('access-control-')), 'no CORS headers');
  // The static files carry entity tags (revalidation); API answers none.
  if (api) assert.ok(!names.includes('etag'), 'no ETag');
  if (api && res.status !== 204) {
    assert.deepEqual(res.headers.filter(([k]) => k === 'cache-control'), [['cache-control', 'no-store']]);
    assert.deepEqual(res.headers.filter(([k]) => k === 'content-type'),
      [['content-type', 'application/json; charset=utf-8']]);
  }
}

