// notify.test.mjs - content-free e-mail notifications for staff (issue 18)
// against a real mail server (aiosmtpd on loopback, tests/api/lib/smtpd.py):
// several events make one mail per account in one batch; two daemons send
// each mail once; an adviser who switched notices off gets none and still
// sees the deadline in the inbox; a notice for the daily digest waits for
// the day's first batch; a mail server that is down delays the
// mail, which is retried and not lost; a hung one does not hold a daemon
// that stops; near and passed deadlines reach the
// advisers holding the case, and a passed one the organisation's
// coordinators; and no mail holds the canary, an organisation, a topic or
// a case id. Batches run every 2 seconds here (mail_batch_interval);
// deadlines are made near or passed by moving a case's day of receipt.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { psql, startServer, waitFor } from './lib/harness.mjs';
import { call, mc, newDesk, reporterLogin, sampleReport, submitReport } from './lib/fixtures.mjs';
import { caseHex, login } from './lib/accounts.mjs';
import { startMailServer } from './lib/mail.mjs';

const CANARY = `CANARY-${Date.now().toString(36)}-notify`;
const PEOPLE = [
  { name: 'Anna Adviser', role: 'adviser', organisations: ['bzk', 'fin'], topics: ['racism'], passphrase: 'anna adviser test passphrase' },
  { name: 'Bert Adviser', role: 'adviser', organisations: ['bzk'], topics: ['*'], passphrase: 'bert adviser test passphrase' },
  { name: 'Cora Coordinator', role: 'coordinator', organisations: ['bzk'], topics: ['*'] },
  { name: 'Dirk Central', role: 'coordinator', organisations: ['*'], topics: ['*'] },
  // Coordinator of bzk for another topic: no wrap for a racism case, but
  // its metadata and deadlines (meldpunt_coordinators).
  { name: 'Eva Escalation', role: 'coordinator', organisations: ['bzk'], topics: ['integrity'] },
];

const mailSettings = (port) => ({
  mail_server: `127.0.0.1:${port}`, mail_tls: 'none', mail_from: 'desk@meldpunt.test',
  public_url: 'https://meldpunt.test/', mail_batch_interval: '2', mail_batch_from: '0',
  mail_batch_until: '24', mail_batch_weekend: '1', mail_retry_seconds: '1',
});

describe('notifications by e-mail', () => {
  let desk; let mail; let anna; let bert; let daemons = [];
  const cases = [];	// {caseId, receipt, K, keys}
  const [A, B, C, D, E] = [0, 1, 2, 3, 4];
  const email = (i) => desk.people[i].email;
  const count = (i) => mail.mails().filter((m) => m.to.includes(email(i))).length;
  const counts = () => [A, B, C, D, E].map(count);
  const batches = () => Number(psql(desk.db, 'SELECT count(*) FROM notify_batches'));
  const outbox = () => Number(psql(desk.db, 'SELECT count(*) FROM notify_outbox'));
  // Wait until the counts reach want, then until two more batches have
  // run, and check that no mail came on top.
  const settle = async (want) => {
    const state = () => `counts ${counts()} want ${want}, outbox ${outbox()}, batches ${batches()}\n`
      + daemons.map((d) => d.log().slice(-2000)).join('\n---\n');
    try {
      await waitFor(() => counts().every((n, i) => n >= want[i]) && outbox() === 0, { timeout: 30000 });
      const b = batches();
      await waitFor(() => batches() >= b + 2 && outbox() === 0, { timeout: 30000 });
    } catch (e) {
      throw new Error(`${e.message}: ${state()}`);
    }
    assert.deepEqual(counts(), want, state());
  };
  const reporterWrites = async (c, text) => {
    const { token } = await reporterLogin(desk.server, c.receipt);
    const sub = mc.caseSubkeys(c.K);
    const msg = mc.encryptMessage({ caseId: c.caseId, author: 'reporter', prev: '', text },
      sub.msg, c.keys.signSecretKey);
    const res = await call(desk.server, 'POST', '/api/v1/reporter/case/messages',
      { token, body: { ciphertext: msg.ciphertext, signature: msg.signature } });
    assert.equal(res.status, 201);
  };

  before(async () => {
    mail = await startMailServer();
    // The desk's own daemon sends no mail: events made through it wait
    // in the database until a daemon with mail settings runs a batch.
    desk = await newDesk({ accounts: PEOPLE });
    anna = await login(desk.server, desk.db, desk.people[A]);
    bert = await login(desk.server, desk.db, desk.people[B]);
  });
  after(async () => {
    for (const d of daemons) await d.stop();
    await desk?.server.stop();
    await mail?.stop();
  });

  test('the notification settings: defaults, language, off, and deadlines that cannot be switched off', async () => {
    const get = async (s) => call(desk.server, 'GET', '/api/v1/adviser/notifications', { token: s.token });
    const put = async (s, body) => call(desk.server, 'PUT', '/api/v1/adviser/notifications', { token: s.token, body });
    const defaults = { language: 'nl', assigned: 'batch', message: 'batch', deadline: 'batch', overdue: 'batch' };
    assert.deepEqual((await get(anna)).body, defaults);
    assert.equal((await put(anna, { ...defaults, language: 'en' })).status, 204);
    assert.deepEqual((await get(anna)).body, { ...defaults, language: 'en' });
    const off = { ...defaults, assigned: 'off', message: 'off', overdue: 'off' };
    assert.equal((await put(bert, off)).status, 204);
    for (const [field, value] of [['deadline', 'off'], ['language', 'de'], ['assigned', 'never'],
      ['message', 'hourly'], ['overdue', 'x']]) {
      const r = await put(bert, { ...off, [field]: value });
      assert.equal(r.status, 400, field);
      assert.equal(r.body.error.field, field);
    }
    assert.equal((await put(bert, { ...off, extra: 'batch' })).status, 400);
    assert.deepEqual((await get(bert)).body, off);
    assert.equal((await call(desk.server, 'GET', '/api/v1/adviser/notifications')).status, 401);
  });

  test('several events make one mail per account in one batch, sent once by two daemons', async () => {
    for (let i = 0; i < 3; i += 1) {
      const s = await submitReport(desk.server, { report: sampleReport({ what: `It happened: ${CANARY}` }) });
      assert.equal(s.res.status, 201);
      cases.push({ caseId: s.res.body.case_id, receipt: s.receipt, K: s.K, keys: s.keys });
    }
    await reporterWrites(cases[0], `more: ${CANARY}`);
    assert.equal(mail.mails().length, 0);
    daemons = [await startServer({ db: desk.db, settings: { pow_difficulty: '4', ...mailSettings(mail.port) } }),
      await startServer({ db: desk.db, settings: { pow_difficulty: '4', ...mailSettings(mail.port) } })];
    // Anna holds the cases (and Bert, who switched these kinds off); the
    // coordinators see metadata only, and no deadline is near.
    await settle([1, 0, 0, 0, 0]);
    const [annaMail] = mail.mails().filter((m) => m.to.includes(email(A)));
    assert.match(annaMail.data, /^Subject: Meldpunt: work is waiting for you\r?$/m);
    assert.ok(annaMail.data.includes('https://meldpunt.test/adviser.html'));
    assert.equal(annaMail.from, 'desk@meldpunt.test');

    // A new message while both daemons run: one more mail, not two.
    await reporterWrites(cases[0], `again: ${CANARY}`);
    await settle([2, 0, 0, 0, 0]);
  });

  test('an adviser with notices off got none and still sees the deadlines in the inbox', async () => {
    assert.equal(count(B), 0);
    const list = (await call(desk.server, 'GET', '/api/v1/adviser/cases', { token: bert.token })).body.cases;
    for (const c of cases) {
      const row = list.find((x) => x.case_id === c.caseId);
      assert.ok(row, 'the case is in the inbox');
      assert.match(row.acknowledge_by, /^\d{4}-\d{2}-\d{2}$/);
      assert.match(row.feedback_by, /^\d{4}-\d{2}-\d{2}$/);
    }
  });

  test('a mail server that is down delays the mail; it is retried and not lost', async () => {
    await mail.stop();
    await reporterWrites(cases[1], `while down: ${CANARY}`);
    await waitFor(() => Number(psql(desk.db, 'SELECT coalesce(min(attempts), 0) FROM notify_outbox')) >= 2
      && outbox() === 1, { timeout: 30000 });
    const before1 = counts();
    mail = await startMailServer({ port: mail.port, dir: mail.dir });
    await settle([before1[A] + 1, 0, 0, 0, 0]);
    // The daemons logged the failures without any address.
    assert.ok(daemons.some((d) => /a mail waits after \d+ attempts/.test(d.log())));
    for (const d of daemons) {
      for (const i of [A, B, C, D, E]) assert.ok(!d.log().includes(email(i)), 'no address in the log');
    }
  });

  test('a near deadline reaches the advisers holding the case, a passed one the coordinators too', async () => {
    const start = counts();
    // Received 5 days ago: the acknowledgement is due in 2 days (near).
    psql(desk.db, `UPDATE cases SET received_on = current_date - 5 WHERE id = ${caseHex(cases[2].caseId)}`);
    // Bert holds the case: deadline notices cannot be switched off.
    await settle([start[A] + 1, 1, 0, 0, 0]);
    // Received 8 days ago: the acknowledgement is overdue; the
    // coordinators of bzk, who do not hold the case, are told too.
    psql(desk.db, `UPDATE cases SET received_on = current_date - 8 WHERE id = ${caseHex(cases[2].caseId)}`);
    await settle([start[A] + 2, 2, 1, 1, 1]);
    const [coraMail] = mail.mails().filter((m) => m.to.includes(email(C)));
    assert.match(coraMail.data, /^Subject: Meldpunt: er wacht werk op u\r?$/m);
    assert.ok(coraMail.data.includes('https://meldpunt.test/adviser.html'));
  });

  test('a notice in the daily digest waits for the first batch of a day', async () => {
    const settings = { language: 'en', assigned: 'batch', message: 'digest', deadline: 'batch', overdue: 'batch' };
    assert.equal((await call(desk.server, 'PUT', '/api/v1/adviser/notifications', { token: anna.token, body: settings })).status, 204);
    const start = counts();
    await reporterWrites(cases[0], `for the digest: ${CANARY}`);
    const b = batches();
    await waitFor(() => batches() >= b + 2, { timeout: 30000 });
    assert.deepEqual(counts(), start);
    assert.equal(psql(desk.db, `SELECT count(*) FROM notify_pending WHERE account_id = '${desk.people[A].id}'
      AND kind = 'message'`), '1');
    // A new day: its earlier batches forgotten, the next batch is its first.
    psql(desk.db, 'DELETE FROM notify_batches');
    await settle([start[A] + 1, ...start.slice(1)]);
  });

  test('a hung mail server does not hold a daemon that stops; the mail waits and is sent later', async () => {
    for (const d of daemons) await d.stop();
    daemons = [];
    const settings = { language: 'en', assigned: 'batch', message: 'batch', deadline: 'batch', overdue: 'batch' };
    assert.equal((await call(desk.server, 'PUT', '/api/v1/adviser/notifications', { token: anna.token, body: settings })).status, 204);
    const start = counts();
    await reporterWrites(cases[1], `while hung: ${CANARY}`);
    // A server that takes the mail and never confirms it: libcurl alone
    // would wait for its 60 s time-out.
    const held = [];
    const hung = net.createServer((socket) => {
      socket.write('220 hung.test ESMTP\r\n');
      let inData = false;
      socket.on('data', (chunk) => {
        for (const line of chunk.toString('latin1').split('\r\n').filter(Boolean)) {
          if (inData) { if (line === '.') held.push(socket); continue; }
          if (/^DATA/i.test(line)) { inData = true; socket.write('354 go on\r\n'); }
          else socket.write('250 ok\r\n');
        }
      });
    });
    await new Promise((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const d = await startServer({ db: desk.db, settings: { pow_difficulty: '4', ...mailSettings(hung.address().port) } });
    try {
      await waitFor(() => held.length > 0, { timeout: 30000 });
      const t0 = Date.now();
      const status = await d.stop();
      const took = Date.now() - t0;
      assert.equal(status.code, 0, d.log().slice(-2000));
      assert.ok(took < 20000, `the daemon took ${took} ms to stop\n${d.log().slice(-3000)}`);
    } finally {
      await d.stop();
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => hung.close(resolve));
    }
    assert.equal(outbox(), 1, 'the mail waits in the outbox');
    daemons = [await startServer({ db: desk.db, settings: { pow_difficulty: '4', ...mailSettings(mail.port) } })];
    await settle([start[A] + 1, ...start.slice(1)]);
  });

  test('no mail holds the canary, an organisation, a topic or a case id', async () => {
    const { body: info } = await call(desk.server, 'GET', '/api/v1/desk');
    const mails = mail.mails();
    assert.ok(mails.length >= 8);
    const ids = [...info.organisations, ...info.topics].map((x) => x.id);
    const names = [...info.organisations, ...info.topics].flatMap((x) => [x.name.nl, x.name.en]);
    const caseIds = cases.flatMap((c) => [c.caseId, Buffer.from(mc.fromB64(c.caseId)).toString('hex')]);
    for (const m of mails) {
      assert.ok(!m.data.includes(CANARY), 'canary');
      assert.ok(!m.data.includes('CANARY'), 'canary');
      for (const id of ids) assert.ok(!new RegExp(`\\b${id}\\b`, 'i').test(m.data), `id ${id}`);
      for (const n of names) assert.ok(!m.data.includes(n), `name ${n}`);
      for (const c of caseIds) assert.ok(!m.data.toLowerCase().includes(c.toLowerCase()), 'case id');
      assert.ok(!/Anna|Bert|Cora|Dirk|Eva/.test(m.data), 'no staff name');
    }
  });
});
