// demo.test.mjs - the demo desk of deploy/dev-up (issue 4): the accounts
// seed-advisers.mjs makes and prints can log in with exactly the printed
// passphrase and TOTP secret, and the demo advisers are routed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDatabase, env, seedDemo, startServer } from './lib/harness.mjs';
import { call, mc } from './lib/fixtures.mjs';
import { login } from './lib/accounts.mjs';
import { secretFromUri } from './lib/totp.mjs';

describe('demo accounts', () => {
  let db; let server; let printed;
  before(async () => {
    await mc.ready();
    db = createDatabase();
    seedDemo(db);
    const out = join(env.tmp, `demo-${db}.txt`);
    execFileSync('node', [new URL('../../deploy/seed-advisers.mjs', import.meta.url).pathname, '--db', db,
      '--host', env.pghost, '--secrets', env.secrets, '--cert-key', `${env.offline}/desk_certification_key`,
      '--out', out], { stdio: 'ignore' });
    printed = readFileSync(out, 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).map((l) => {
      const [role, email, pass, totp] = l.split('\t');
      return { role, email, passphrase: pass.replace('passphrase: ', ''), totpSecret: secretFromUri(totp.replace('totp: ', '')) };
    });
    server = await startServer({ db });
  });
  after(async () => { await server.stop(); });

  test('every printed login works, and the demo advisers are routed', async () => {
    assert.deepEqual(printed.map((p) => p.role).sort(), ['admin', 'adviser', 'adviser', 'analyst', 'coordinator', 'coordinator']);
    let keyed = 0;
    for (const p of printed) {
      const account = { ...p, id: p.email };
      const r = await login(server, db, account);
      assert.equal(r.res.status, 200, `${p.role} ${JSON.stringify(r.res.body)}`);
      assert.equal(r.res.body.adviser.role, p.role);
      if (p.role === 'adviser' || p.role === 'coordinator') {
        assert.equal(r.res.body.adviser.certified, true);
        assert.ok(r.secretKey, 'the secret key opens');
        keyed++;
      }
    }
    assert.equal(keyed, 4, 'the advisers\' and coordinators\' keys were checked');
    const routing = (await call(server, 'GET', '/api/v1/routing?organisation=bzk&topic=racism')).body;
    assert.ok(routing.advisers.length >= 1);
  });
});
