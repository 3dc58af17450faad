// migrations.test.mjs - the rules of sql/README.md: numbered migrations run
// once and are checksummed, the functions of sql/functions/ are re-created
// on every migrate, a fresh desk and an upgraded one end in the same schema,
// and migrate under a running daemon leaves it serving.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, cpSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { env, migrate, psql } from './lib/harness.mjs';
import { call, newDesk, prepareReport } from './lib/fixtures.mjs';

let made = 0;
// An empty database owned by meldpunt, as deploy/pg-cluster createdb makes.
function emptyDatabase() {
  const db = `mig_${process.pid}_${made++}`;
  psql('postgres', `CREATE DATABASE ${db} OWNER meldpunt`, { user: 'postgres' });
  psql(db, 'REVOKE CREATE ON SCHEMA public FROM PUBLIC; ALTER SCHEMA public OWNER TO meldpunt; '
    + 'GRANT USAGE ON SCHEMA public TO meldpunt_app', { user: 'postgres' });
  return db;
}

// A copy of the sql folder; numbered: true copies the numbered files only,
// which is the folder as it was before sql/functions/ (the numbered files
// themselves never change once landed).
function sqlCopy(name, { numbered = false } = {}) {
  const dir = join(env.tmp, `sql-${name}-${process.pid}`);
  if (numbered) {
    mkdirSync(dir);
    for (const f of readdirSync(env.sqlDir).filter((f) => /^\d{4}_.*\.sql$/.test(f))) {
      copyFileSync(join(env.sqlDir, f), join(dir, f));
    }
  } else {
    cpSync(env.sqlDir, dir, { recursive: true });
  }
  return dir;
}

// The schema of db (pg_dump --schema-only, without the random \restrict).
function dumpSchema(db) {
  return execFileSync('pg_dump', ['--schema-only', '-h', env.pghost, '-U', 'postgres', '-d', db],
    { encoding: 'utf8', maxBuffer: 1 << 30 })
    .split('\n').filter((l) => !/^\\(un)?restrict /.test(l)).join('\n');
}

const checksums = (db) => psql(db, 'SELECT string_agg(version || \':\' || coalesce(checksum, \'-\'), \',\' '
  + 'ORDER BY version) FROM schema_migrations');

describe('migrations and functions', () => {
  test('a fresh desk and a desk from before sql/functions/ end in the same schema', () => {
    const fresh = emptyDatabase();
    migrate(fresh);

    // The desk before this change: the numbered files applied by a migrate
    // that kept no checksums.
    const old = emptyDatabase();
    migrate(old, env.pghost, sqlCopy('old', { numbered: true }));
    psql(old, 'ALTER TABLE schema_migrations DROP COLUMN checksum');
    assert.equal(psql(old, "SELECT count(*) FROM pg_proc WHERE proname = 'meldpunt_feedback_by'"), '0');
    assert.match(migrate(old), /migrate: 0 applied/);

    assert.equal(dumpSchema(old), dumpSchema(fresh));
    // Trust on first use: the old rows took the checksums of today's files.
    assert.equal(checksums(old), checksums(fresh));
    assert.ok(!checksums(old).includes(':-'));
  });

  test('a second migrate re-creates the functions and changes nothing', () => {
    const db = emptyDatabase();
    migrate(db);
    const before = dumpSchema(db);
    const second = migrate(db);
    assert.match(second, /migrate: 0 applied/);
    assert.match(second, /re-created the functions/);
    assert.equal(dumpSchema(db), before);
  });

  test('a landed migration whose text changed is refused, and nothing runs', () => {
    const db = emptyDatabase();
    const dir = sqlCopy('changed');
    migrate(db, env.pghost, dir);
    appendFileSync(join(dir, '0003_vocabulary.sql'), '\n-- an edit after landing\n');
    appendFileSync(join(dir, 'functions', 'meldpunt_tier.sql'),
      "\nCREATE OR REPLACE FUNCTION meldpunt_should_not_exist() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n");
    assert.throws(() => migrate(db, env.pghost, dir), /0003_vocabulary\.sql changed since it was applied/);
    assert.equal(psql(db, "SELECT count(*) FROM pg_proc WHERE proname = 'meldpunt_should_not_exist'"), '0');
  });

  test('a function file is the function: an edit lands on the next migrate', () => {
    const db = emptyDatabase();
    const dir = sqlCopy('edit');
    migrate(db, env.pghost, dir);
    appendFileSync(join(dir, 'functions', 'meldpunt_deadlines.sql'),
      '\nCREATE OR REPLACE FUNCTION meldpunt_acknowledge_by(p_received date)\n'
      + 'RETURNS date LANGUAGE sql IMMUTABLE AS $$ SELECT p_received + 8 $$;\n');
    assert.match(migrate(db, env.pghost, dir), /migrate: 0 applied/);
    assert.equal(psql(db, "SELECT meldpunt_acknowledge_by('2026-01-01')", { user: 'meldpunt_app' }), '2026-01-09');
  });

  test('a function file that fails leaves every function as it was', () => {
    const db = emptyDatabase();
    const dir = sqlCopy('broken');
    migrate(db, env.pghost, dir);
    appendFileSync(join(dir, 'functions', 'meldpunt_deadlines.sql'),
      '\nCREATE OR REPLACE FUNCTION meldpunt_acknowledge_by(p_received date)\n'
      + 'RETURNS date LANGUAGE sql IMMUTABLE AS $$ SELECT p_received + 8 $$;\nSELECT no_such_thing;\n');
    assert.throws(() => migrate(db, env.pghost, dir));
    assert.equal(psql(db, "SELECT meldpunt_acknowledge_by('2026-01-01')"), '2026-01-08');
  });

  test('migrate under a running daemon leaves it serving: the desk, and submissions', async () => {
    const { db, server } = await newDesk();
    try {
      const reports = [];
      for (let i = 0; i < 3; i++) reports.push(await prepareReport(server));
      const submit = (p) => call(server, 'POST', '/api/v1/reports', { body: p.body });
      assert.equal((await submit(reports[0])).status, 201);

      // migrate runs while requests keep arriving.
      const running = new Promise((resolve, reject) => {
        const child = spawn(env.binary, ['migrate'], {
          env: { ...process.env, MELDPUNT_ADMIN_DATABASE: `host=${env.pghost} dbname=${db} user=meldpunt`,
            MELDPUNT_SQL_DIR: env.sqlDir },
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let err = '';
        child.stderr.on('data', (d) => { err += d; });
        child.on('error', reject);
        child.on('exit', (code) => (code === 0 ? resolve(err) : reject(new Error(`migrate: ${err}`))));
      });
      let done = false;
      const during = [];
      running.finally(() => { done = true; }).catch(() => {});
      while (!done) {
        during.push((await call(server, 'GET', '/api/v1/desk')).status);
      }
      assert.match(await running, /migrate: 0 applied/);
      assert.ok(during.length > 0);
      assert.deepEqual([...new Set(during)], [200]);
      assert.equal((await call(server, 'GET', '/api/v1/desk')).status, 200);
      assert.equal((await submit(reports[1])).status, 201);
      assert.equal(process.kill(server.pid, 0), true, 'same daemon process');
    } finally {
      await server.stop();
    }
  });
});
