// check.test.mjs - "meldpuntd -n", the check mode the service unit runs
// before it starts the daemon (issue 16), and the daemon's refusal to
// serve as root. The check reads the configuration as serve would, checks
// the key files and their modes and the frontend manifest, prints every
// problem it finds, and exits 0 or 1. Each case starts from a good desk
// configuration of its own (fresh key files, a copy of the built frontend)
// and breaks one thing, so a passing case shows what it names is caught.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, mkdtempSync, readFileSync,
  rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { adminConninfo, assertNoSanitizerReport, createDatabase, env, rootOverride, startServer }
  from './lib/harness.mjs';

const isRoot = process.getuid() === 0;

// A clean environment: the MELDPUNT_* variables tests/run exports would
// override the file under test.
function cleanEnv(extra = {}) {
  return { PATH: process.env.PATH, ASAN_OPTIONS: 'detect_leaks=1', ...extra };
}

function run(args, extra = {}) {
  const r = spawnSync(env.binary, args, { encoding: 'utf8', env: cleanEnv(extra), timeout: 30000 });
  const out = r.stdout + r.stderr;
  assertNoSanitizerReport(out);
  return { status: r.status, out };
}

// A good configuration: key files made by keygen (with the offline public
// halves beside them, as an operator installs them) and a copy of the
// built frontend. Returns the paths and a writer for the file.
function goodDesk() {
  const dir = mkdtempSync(join(env.tmp, 'check-'));
  const secrets = join(dir, 'secrets');
  const made = run(['keygen'], { MELDPUNT_SECRETS_DIR: secrets });
  assert.equal(made.status, 0, made.out);
  for (const name of ['desk_certification_key.pub', 'recovery_key.pub']) {
    copyFileSync(join(env.secrets, name), join(secrets, name));
    chmodSync(join(secrets, name), 0o644);
  }
  const frontend = join(dir, 'frontend');
  cpSync(env.frontendDir, frontend, { recursive: true });
  const settings = {
    database: 'host=/run/postgresql dbname=meldpunt user=meldpunt_app',
    listen: '127.0.0.1:8080',
    secrets_dir: secrets,
    frontend_dir: frontend,
    trusted_proxies: '127.0.0.1, ::1',
    stats_method: 'dp',
    stats_epsilon: '2/3',
  };
  const conf = join(dir, 'meldpunt.conf');
  const write = (extra = {}, lines = []) => writeFileSync(conf,
    Object.entries({ ...settings, ...extra }).map(([k, v]) => `${k} = ${v}\n`).join('') +
    lines.map((l) => `${l}\n`).join(''));
  write();
  return { dir, secrets, frontend, conf, write };
}

// The check as the unit runs it; as root (the tests' user) with the
// development override, which it notes.
const check = (conf, extra = {}) => run(['-n', '-c', conf], { ...rootOverride(), ...extra });

describe('meldpuntd -n', () => {
  test('a good configuration passes, with exit status 0', () => {
    const desk = goodDesk();
    const r = check(desk.conf);
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /check: the configuration is good/);
    assert.doesNotMatch(r.out, /problem/);
    if (isRoot) assert.match(r.out, /MELDPUNT_ALLOW_ROOT=1: for development and tests only/);
    rmSync(desk.dir, { recursive: true, force: true });
  });

  test('a secret key group-readable is refused; 0400 is fine', () => {
    const desk = goodDesk();
    chmodSync(join(desk.secrets, 'server_store_key'), 0o640);
    const r = check(desk.conf);
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /server_store_key has mode 0640: a secret key must be 0600 or 0400/);
    assert.match(r.out, /check: 1 problem found/);
    chmodSync(join(desk.secrets, 'server_store_key'), 0o400);
    assert.equal(check(desk.conf).status, 0);
    chmodSync(join(desk.secrets, 'desk_signing_key'), 0o644);
    const world = check(desk.conf);
    assert.equal(world.status, 1, world.out);
    assert.match(world.out, /desk_signing_key has mode 0644/);
    rmSync(desk.dir, { recursive: true, force: true });
  });

  test('a secrets folder open to others, a missing key and a key of the wrong size are refused', () => {
    const desk = goodDesk();
    chmodSync(desk.secrets, 0o755);
    rmSync(join(desk.secrets, 'prelogin_key'));
    writeFileSync(join(desk.secrets, 'stats_key'), 'c2hvcnQ\n', { mode: 0o600 });
    const r = check(desk.conf);
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /secrets_dir .* has mode 0755: group and others must have no access/);
    assert.match(r.out, /prelogin_key is missing or not a regular file/);
    assert.match(r.out, /stats_key cannot be read as a key/);
    assert.match(r.out, /check: 3 problems found/);
    rmSync(desk.dir, { recursive: true, force: true });
  });

  test('an unknown setting is refused', () => {
    const desk = goodDesk();
    desk.write({}, ['document_root = /var/www']);
    const r = check(desk.conf);
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /unknown setting document_root/);
    assert.match(r.out, /meldpunt\.conf:8: bad setting/);
    assert.match(r.out, /check: 1 problem found/);
    rmSync(desk.dir, { recursive: true, force: true });
  });

  test('a missing manifest is refused, and so is a file it lists that is not there', () => {
    const desk = goodDesk();
    rmSync(join(desk.frontend, 'manifest.txt'));
    const r = check(desk.conf);
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /no frontend manifest .*manifest\.txt/);

    const other = goodDesk();
    const listed = readFileSync(join(other.frontend, 'manifest.txt'), 'utf8').split('\n').filter(Boolean);
    assert.ok(listed.includes('index.html'));
    rmSync(join(other.frontend, 'index.html'));
    writeFileSync(join(other.frontend, 'manifest.txt'), `${listed.join('\n')}\nnotes.exe\n`);
    const r2 = check(other.conf);
    assert.equal(r2.status, 1, r2.out);
    assert.match(r2.out, /index\.html is missing, not a readable file, or too large/);
    assert.match(r2.out, /file type not served: notes\.exe/);
    rmSync(desk.dir, { recursive: true, force: true });
    rmSync(other.dir, { recursive: true, force: true });
  });

  test('settings are typed: a method, an epsilon, addresses, numbers in range', () => {
    const desk = goodDesk();
    desk.write({ stats_method: 'laplace', stats_epsilon: '0.5', trusted_proxies: 'proxy.example.nl',
      threads: '0', database: 'host=/run/postgresql dbname' });
    const r = check(desk.conf);
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /stats_method must be suppression or dp/);
    assert.match(r.out, /stats_epsilon must be num\/den/);
    assert.match(r.out, /trusted_proxies: entry 1 is not a numeric IP address/);
    assert.match(r.out, /threads must be a whole number from 2 to 1024/);
    assert.match(r.out, /database is not a valid connection string/);
    assert.match(r.out, /check: 5 problems found/);
    // An epsilon no release could spend within the budget (3 families x 1 > 2).
    desk.write({ stats_epsilon: '1/1' });
    const over = check(desk.conf);
    assert.equal(over.status, 1, over.out);
    assert.match(over.out, /stats_epsilon 1\/1 exceeds the privacy budget/);
    rmSync(desk.dir, { recursive: true, force: true });
  });

  test('an owner connection in the serving configuration is an error, from the file or the environment', () => {
    const desk = goodDesk();
    desk.write({ admin_database: 'dbname=meldpunt user=meldpunt' });
    const r = check(desk.conf);
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /admin_database is set: the serving daemon must not hold the tables' owner connection/);
    desk.write();
    const e = check(desk.conf, { MELDPUNT_ADMIN_DATABASE: 'dbname=meldpunt' });
    assert.equal(e.status, 1, e.out);
    assert.match(e.out, /admin_database is set/);
    rmSync(desk.dir, { recursive: true, force: true });
  });

  test('every problem is printed in one run, not just the first', () => {
    const desk = goodDesk();
    desk.write({ admin_database: 'dbname=meldpunt' }, ['colour = blue']);
    chmodSync(join(desk.secrets, 'server_key'), 0o604);
    rmSync(join(desk.frontend, 'manifest.txt'));
    const r = check(desk.conf);
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /unknown setting colour/);
    assert.match(r.out, /admin_database is set/);
    assert.match(r.out, /server_key has mode 0604/);
    assert.match(r.out, /no frontend manifest/);
    assert.match(r.out, /check: 4 problems found/);
    rmSync(desk.dir, { recursive: true, force: true });
  });

  test('as root without the development override, the check reports that serve would refuse', () => {
    const desk = goodDesk();
    const r = run(['-n', '-c', desk.conf]);
    if (isRoot) {
      assert.equal(r.status, 1, r.out);
      assert.match(r.out, /check: serve refuses to run as root/);
    } else {
      assert.equal(r.status, 0, r.out);
    }
    rmSync(desk.dir, { recursive: true, force: true });
  });

  test('-n takes no subcommand', () => {
    const r = run(['-n', 'serve']);
    assert.equal(r.status, 2);
    assert.match(r.out, /usage: meldpuntd/);
  });
});

describe('meldpuntd serve refuses to start unsafely', () => {
  test('as root: refused with a clear message and exit status 1, before it listens', () => {
    const desk = goodDesk();
    const r = run(['-c', desk.conf, 'serve']);
    if (isRoot) {
      assert.equal(r.status, 1, r.out);
      assert.match(r.out, /serve: refusing to run as root: run the desk as its own unprivileged user/);
      assert.doesNotMatch(r.out, /listening/);
    } else {
      // Not root: the refusal does not stand in the way; without key
      // files it stops right after, for that reason.
      rmSync(join(desk.secrets, 'server_key'));
      const r2 = run(['-c', desk.conf, 'serve']);
      assert.equal(r2.status, 1, r2.out);
      assert.doesNotMatch(r2.out, /refusing to run as root/);
      assert.match(r2.out, /missing or bad key file server_key/);
    }
    rmSync(desk.dir, { recursive: true, force: true });
  });

  test('serve itself refuses a key file others could read, before it listens', () => {
    const desk = goodDesk();
    chmodSync(join(desk.secrets, 'server_key'), 0o644);
    const r = run(['-c', desk.conf, 'serve'], rootOverride());
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /server_key has mode 0644/);
    assert.match(r.out, /serve: the key files are not safe/);
    assert.doesNotMatch(r.out, /listening/);
    rmSync(desk.dir, { recursive: true, force: true });
  });

  test('an owner connection given to serve is forgotten, with a warning', async () => {
    const db = createDatabase();
    const server = await startServer({ db, settings: { admin_database: adminConninfo(db) } });
    try {
      assert.match(server.log(), /serve: admin_database is set; serve does not use it and forgets it/);
      if (isRoot) assert.match(server.log(), /running as root because MELDPUNT_ALLOW_ROOT=1/);
      const res = await fetch(`${server.url}/api/v1/desk`);
      assert.equal(res.status, 200);
    } finally {
      await server.stop();
    }
  });
});
