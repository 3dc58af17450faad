// mail.mjs - a real SMTP server for the notification tests: smtpd.py
// (aiosmtpd) on loopback, bounded in time, storing each mail as a file.
// Debian's python3 runs it: python3-aiosmtpd is installed for that one.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import net from 'node:net';
import { env } from './harness.mjs';

// A port free at this moment, of the kernel's choosing.
export async function freePort() {
  const srv = net.createServer();
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address();
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

// A self-signed certificate for 127.0.0.1 (its own CA): {cert, key} paths.
export function makeCertificate(name) {
  const dir = mkdtempSync(join(env.tmp, `cert-${name}-`));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
    '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=${name}`,
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
  return { cert, key };
}

// Start the mail server on port (a new free one if not given), storing
// into dir (a new folder if not given); starttls or tls: {cert, key};
// auth: [user, password]. Resolves once it listens.
export async function startMailServer({ port = null, dir = null, starttls = null, tls = null,
  auth = null } = {}) {
  const p = port ?? await freePort();
  const folder = dir ?? mkdtempSync(join(env.tmp, 'mail-'));
  const script = new URL('./smtpd.py', import.meta.url).pathname;
  const args = [script, String(p), folder, '--lifetime', '600'];
  if (starttls) args.push('--starttls', starttls.cert, starttls.key);
  if (tls) args.push('--tls', tls.cert, tls.key);
  if (auth) args.push('--auth', ...auth);
  const child = spawn('/usr/bin/python3', args,
    { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (c) => { out += c; });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`smtpd did not start:\n${out}`)), 20000);
    child.stdout.on('data', (c) => { out += c; if (out.includes('ready')) { clearTimeout(timer); resolve(); } });
    exited.then(() => { clearTimeout(timer); reject(new Error(`smtpd exited:\n${out}`)); });
  });
  return {
    port: p,
    dir: folder,
    // Every mail stored so far: [{from, to: [..], data}], oldest first.
    mails() {
      return readdirSync(folder).filter((f) => f.endsWith('.json')).sort()
        .map((f) => JSON.parse(readFileSync(join(folder, f), 'utf8')));
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.stdin.end();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
