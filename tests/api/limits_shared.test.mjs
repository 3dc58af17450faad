// limits_shared.test.mjs - limits that hold across instances (issue 17,
// item 1): two daemons on one database share the staff login throttle per
// (email, client), the reporter login throttle per client, a client's
// challenge allowance and the submission rate that sets the proof-of-work
// difficulty. Each scenario is arranged so that either daemon alone stays
// under its bound: only counting over both can refuse.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { psql, startServer, waitFor } from './lib/harness.mjs';
import { call, mc, newDesk, submitReport } from './lib/fixtures.mjs';
import { freshCode, passphraseKeys } from './lib/accounts.mjs';

const SETTINGS = {
  trusted_proxies: '127.0.0.1',
  client_challenges: '4',
  reporter_login_failures: '4',
  pow_difficulty: '2',
  pow_ceiling: '3',
};

// A request posing as client addr behind the trusted proxy (the test).
const from = (addr) => ({ 'x-forwarded-for': `203.0.113.9, ${addr}` });

const isLimited = (r, window) => {
  assert.equal(r.status, 429);
  assert.equal(r.body.error.code, 'rate_limited');
  const retry = Number(r.headers.get('retry-after'));
  assert.ok(retry > 0 && retry <= window, `Retry-After ${retry}`);
};

describe('two instances on one database', () => {
  let desk; let a; let b; let anna;
  before(async () => {
    desk = await newDesk({ settings: SETTINGS, accounts: ['Anna', 'Bert'].map((name) => ({
      name: `${name} Adviser`, role: 'adviser', organisations: ['bzk'], topics: ['racism'],
      passphrase: `${name.toLowerCase()} shared limits passphrase` })) });
    a = desk.server;
    b = await startServer({ db: desk.db, settings: { ...SETTINGS } });
    anna = desk.people.find((p) => p.name.startsWith('Anna'));
  });
  after(async () => {
    const logs = [a.log(), b.log()];
    await a.stop();
    await b.stop();
    // No address, forwarded or not, reaches either log.
    for (const log of logs) {
      for (const addr of ['192.0.2.', '198.51.100.', '203.0.113.9']) assert.ok(!log.includes(addr), addr);
    }
  });

  test('six wrong passphrases spread over both instances give 429, even with the right credentials', async () => {
    const { authKey } = await passphraseKeys(a, anna);
    const attempt = (server, body) => call(server, 'POST', '/api/v1/adviser/session',
      { body, headers: from('192.0.2.40') });
    const wrong = { email: anna.email, auth_key: mc.toB64(new Uint8Array(32)), totp: '000000' };
    // Three failures on each would stay under five on either alone.
    for (const server of [a, b, a, b, a]) assert.equal((await attempt(server, wrong)).status, 401);
    const right = { email: anna.email, auth_key: mc.toB64(authKey), totp: freshCode(desk.db, anna) };
    isLimited(await attempt(b, right), 900);
    isLimited(await attempt(a, wrong), 900);
    // The email's own counter (50) is far off: another client logs in.
    const other = await call(a, 'POST', '/api/v1/adviser/session', { body: { email: anna.email,
      auth_key: mc.toB64(authKey), totp: freshCode(desk.db, anna) }, headers: from('192.0.2.41') });
    assert.equal(other.status, 200);
  });

  test('a success on one instance resets the client\'s failures on the other', async () => {
    const bert = desk.people.find((p) => p.name.startsWith('Bert'));
    const { authKey } = await passphraseKeys(a, bert);
    const attempt = (server, body) => call(server, 'POST', '/api/v1/adviser/session',
      { body, headers: from('192.0.2.42') });
    const wrong = { email: bert.email, auth_key: mc.toB64(new Uint8Array(32)), totp: '000000' };
    for (const server of [a, b, a, b]) assert.equal((await attempt(server, wrong)).status, 401);
    assert.equal((await attempt(b, { email: bert.email, auth_key: mc.toB64(authKey),
      totp: freshCode(desk.db, bert) })).status, 200);
    // Four more failures: under five again only because the success reset.
    for (const server of [a, b, a, b]) assert.equal((await attempt(server, wrong)).status, 401);
    assert.equal((await attempt(a, { email: bert.email, auth_key: mc.toB64(authKey),
      totp: freshCode(desk.db, bert) })).status, 200);
  });

  test('failed reporter logins spread over both instances reach the bound', async () => {
    const wrong = mc.receiptKeys(mc.newReceipt());
    const challenge = (server, addr) => call(server, 'POST', '/api/v1/reporter/challenge',
      { body: { lookup_id: mc.toB64(wrong.lookupId) }, headers: from(addr) });
    const fail = async (first, second, addr) => {
      // The challenge from one instance, the login at the other.
      const ch = await challenge(first, addr);
      assert.equal(ch.status, 200);
      const r = await call(second, 'POST', '/api/v1/reporter/session', { headers: from(addr), body: {
        lookup_id: mc.toB64(wrong.lookupId), challenge: ch.body.challenge,
        signature: mc.toB64(mc.reporterLoginSignature(mc.fromB64(ch.body.challenge), wrong.signSecretKey)) } });
      assert.equal(r.status, 401);
    };
    await fail(a, b, '192.0.2.50');
    await fail(b, a, '192.0.2.50');
    await fail(a, b, '192.0.2.50');
    await fail(b, a, '192.0.2.50');
    isLimited(await challenge(a, '192.0.2.50'), 900);
    isLimited(await challenge(b, '192.0.2.50'), 900);
    assert.equal((await challenge(b, '192.0.2.51')).status, 200, 'another client is served');
  });

  test('a client\'s challenge allowance is one over both instances', async () => {
    const ask = (server, addr) => call(server, 'POST', '/api/v1/challenges', { headers: from(addr) });
    for (const server of [a, b, a, b]) assert.equal((await ask(server, '192.0.2.60')).status, 200);
    isLimited(await ask(a, '192.0.2.60'), 600);
    isLimited(await ask(b, '192.0.2.60'), 600);
    assert.equal((await ask(a, '192.0.2.61')).status, 200, 'another client is served');
    // An IPv6 client counts as its /64: another address of the prefix is
    // the same client.
    for (const server of [a, b, a, b]) assert.equal((await ask(server, '2001:db8:7:7::1')).status, 200);
    isLimited(await ask(b, '2001:db8:7:7::2'), 600);
    assert.equal((await ask(b, '2001:db8:7:8::1')).status, 200, 'another /64 is served');
  });

  test('the counters are in PostgreSQL, unlogged, named by 32-byte keyed hashes only', () => {
    assert.ok(Number(psql(desk.db, 'SELECT count(*) FROM client_counters')) > 0);
    assert.equal(psql(desk.db, 'SELECT count(*) FROM client_counters WHERE octet_length(key) <> 32'), '0');
    assert.equal(psql(desk.db, "SELECT string_agg(relpersistence::text, ',' ORDER BY relname) FROM pg_class "
      + "WHERE relname IN ('client_counters', 'client_key_days')"), 'u,u');
    // One salt for the day, whichever instance made it.
    assert.equal(psql(desk.db, 'SELECT count(*) FROM client_key_days'), '1');
  });

  test('the difficulty rises when the submissions of both together pass the ceiling', async () => {
    let n = 0;
    const challenge = async (server) => (await call(server, 'POST', '/api/v1/challenges',
      { headers: from(`198.51.100.${++n}`) })).body;
    const difficulty = async (server) => (await challenge(server)).difficulty;
    assert.equal(await difficulty(a), 2);
    assert.equal(await difficulty(b), 2);
    // Two submissions through each: neither alone passes the ceiling of 3.
    for (const server of [a, b, a, b]) {
      const s = await submitReport(server, { challenge: await challenge(server) });
      assert.equal(s.res.status, 201);
    }
    // Each instance reads the rate at most a second old.
    for (const server of [a, b]) {
      await waitFor(async () => (await difficulty(server)) === 3, { timeout: 5000 });
      assert.equal((await call(server, 'GET', '/api/v1/desk')).body.pow_difficulty, 3);
    }
  });
});

describe('a large challenge allowance, taken in blocks', () => {
  // 32 a client: each instance takes blocks of 2 from the database and
  // serves them from memory.
  const settings = { trusted_proxies: '127.0.0.1', client_challenges: '32' };
  let desk; let a; let b;
  before(async () => {
    desk = await newDesk({ settings });
    a = desk.server;
    b = await startServer({ db: desk.db, settings: { ...settings } });
  });
  after(async () => {
    await a.stop();
    await b.stop();
  });

  test('is still one allowance over both instances: 32 challenges, then 429 on either', async () => {
    const ask = (server) => call(server, 'POST', '/api/v1/challenges', { headers: from('192.0.2.70') });
    // Three on one, one on the other: the blocks of both are in use at once.
    for (let i = 0; i < 32; i++) assert.equal((await ask(i % 4 === 3 ? b : a)).status, 200, `challenge ${i + 1}`);
    isLimited(await ask(a), 600);
    isLimited(await ask(b), 600);
    assert.equal(psql(desk.db, 'SELECT max(count) FROM client_counters'), '32');
  });
});
