// notify_tls.test.mjs - the notification mail's transport (issue 18, item
// 4) against real mail servers on loopback (aiosmtpd): STARTTLS with a
// login, the password read from a file; implicit TLS; a certificate from
// an unknown CA refused (nothing sent, retried later, not lost); and
// settings the daemon refuses at start (plain SMTP off loopback, an
// unknown TLS mode, a login without its password file or with one that
// others may read).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { env, psql, startServer, waitFor } from './lib/harness.mjs';
import { newDesk, submitReport } from './lib/fixtures.mjs';
import { makeCertificate, startMailServer } from './lib/mail.mjs';

const PEOPLE = [
  { name: 'Anna Adviser', role: 'adviser', organisations: ['bzk'], topics: ['*'] },
];

describe('the notification mail over TLS', () => {
  let desk; let good; let other; let starttls; let implicit; let passwordFile;
  const servers = [];
  const outbox = () => Number(psql(desk.db, 'SELECT count(*) FROM notify_outbox'));
  const attempts = () => Number(psql(desk.db, 'SELECT coalesce(max(attempts), 0) FROM notify_outbox'));
  const daemon = async (settings) => {
    const s = await startServer({ db: desk.db, settings: {
      pow_difficulty: '4', mail_from: 'desk@meldpunt.test', public_url: 'https://meldpunt.test',
      mail_batch_interval: '1', mail_batch_from: '0', mail_batch_until: '24',
      mail_batch_weekend: '1', mail_retry_seconds: '1', ...settings } });
    servers.push(s);
    return s;
  };

  before(async () => {
    good = makeCertificate('meldpunt-test-mail');
    other = makeCertificate('someone-else');
    const dir = mkdtempSync(join(env.tmp, 'mailpw-'));
    passwordFile = join(dir, 'password');
    writeFileSync(passwordFile, 'mail password for the desk\n', { mode: 0o600 });
    starttls = await startMailServer({ starttls: good, auth: ['meldpunt', 'mail password for the desk'] });
    implicit = await startMailServer({ tls: good });
    desk = await newDesk({ accounts: PEOPLE });
  });
  after(async () => {
    for (const s of servers) await s.stop();
    await desk?.server.stop();
    await starttls?.stop();
    await implicit?.stop();
  });

  test('a certificate from an unknown CA: nothing is sent, the mail waits', async () => {
    assert.equal((await submitReport(desk.server)).res.status, 201);
    const d = await daemon({ mail_server: `127.0.0.1:${starttls.port}`, mail_tls: 'starttls',
      mail_ca_file: other.cert, mail_user: 'meldpunt', mail_password_file: passwordFile });
    await waitFor(() => attempts() >= 2, { timeout: 30000 });
    assert.equal(starttls.mails().length, 0);
    assert.match(d.log(), /smtp_send: not sent: /);
    await d.stop();
    assert.equal(outbox(), 1);
  });

  test('STARTTLS with the right CA and the login from the password file delivers the waiting mail', async () => {
    const d = await daemon({ mail_server: `127.0.0.1:${starttls.port}`, mail_tls: 'starttls',
      mail_ca_file: good.cert, mail_user: 'meldpunt', mail_password_file: passwordFile });
    await waitFor(() => starttls.mails().length === 1 && outbox() === 0, { timeout: 30000 });
    const [m] = starttls.mails();
    assert.equal(m.tls, true);
    assert.equal(m.login, 'meldpunt');
    assert.deepEqual(m.to, [desk.people[0].email]);
    assert.ok(!d.log().includes('mail password'), 'no password in the log');
    await d.stop();
  });

  test('a wrong password is refused and the mail waits', async () => {
    const dir = mkdtempSync(join(env.tmp, 'mailpw-'));
    writeFileSync(join(dir, 'password'), 'not the password\n', { mode: 0o600 });
    assert.equal((await submitReport(desk.server)).res.status, 201);
    const d = await daemon({ mail_server: `127.0.0.1:${starttls.port}`, mail_tls: 'starttls',
      mail_ca_file: good.cert, mail_user: 'meldpunt', mail_password_file: join(dir, 'password') });
    await waitFor(() => attempts() >= 2, { timeout: 30000 });
    assert.equal(starttls.mails().length, 1);
    await d.stop();
  });

  test('implicit TLS delivers', async () => {
    const d = await daemon({ mail_server: `127.0.0.1:${implicit.port}`, mail_tls: 'tls',
      mail_ca_file: good.cert });
    await waitFor(() => implicit.mails().length === 1 && outbox() === 0, { timeout: 30000 });
    assert.equal(implicit.mails()[0].tls, true);
    await d.stop();
  });

  test('the daemon refuses to start with unsafe or incomplete mail settings', async () => {
    const openFile = join(mkdtempSync(join(env.tmp, 'mailpw-')), 'password');
    writeFileSync(openFile, 'mail password for the desk\n');
    chmodSync(openFile, 0o644);
    for (const [settings, why] of [
      [{ mail_server: 'smtp.example.nl', mail_tls: 'none' }, /only for a server on the loopback/],
      [{ mail_server: '127.0.0.1:25', mail_tls: 'maybe' }, /mail_tls must be/],
      [{ mail_server: '127.0.0.1:25', mail_user: 'meldpunt', mail_password_file: '/nonexistent/pw' }, /mail_password_file/],
      [{ mail_server: '127.0.0.1:25', public_url: '' }, /public_url/],
      [{ mail_server: '127.0.0.1:25', mail_user: 'meldpunt', mail_password_file: openFile }, /mode 0600/],
    ]) {
      await assert.rejects(daemon(settings), (e) => why.test(e.message), JSON.stringify(settings));
    }
  });
});
