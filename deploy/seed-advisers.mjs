// seed-advisers.mjs - accounts with real keys and certificates, for the
// demo desk (dev-up) and for the tests.
//
// An account made here is what enrolment plus an offline certification
// would make: an X25519 key pair and its derived signing key, the secret
// key sealed under the passphrase's kek and then under server_store_key,
// the auth hash, a TOTP secret, and a certificate signed with the
// certification secret key. Uses the frontend's crypto module, so the
// formats are the ones the pages use.
//
//   node deploy/seed-advisers.mjs --db NAME --host DIR --secrets DIR \
//        --cert-key FILE --out FILE
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import * as mc from '../frontend/src/lib/meldcrypto.js';

export function readKey(path) {
  return mc.fromB64(readFileSync(path, 'utf8').trim());
}

const hex = (bytes) => `'\\x${Buffer.from(bytes).toString('hex')}'::bytea`;
const text = (s) => `'${String(s).replace(/'/g, "''")}'`;
const arr = (list) => `ARRAY[${list.map(text).join(',')}]::text[]`;

// seal_store of the backend: nonce(24) || secretbox(data) under the key.
function storeSeal(data, storeKey) {
  const s = mc.libsodium();
  const nonce = s.randombytes_buf(24);
  return mc.concat(nonce, s.crypto_secretbox_easy(data, nonce, storeKey));
}

function addDays(days) {
  return new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);
}

/**
 * Make one account. Returns {sql, account} where account holds the id, the
 * keys (secret ones too: tests need them), the passphrase and TOTP secret.
 * With certify false the key stays pending. With passphrase null no login
 * data is derived (fast, for tests that never log in).
 */
export function makeAccount({ email, name, role, organisations = ['*'], topics = ['*'],
  passphrase = null, certify = true, notAfter = addDays(365), certSecretKey, secrets,
  id = randomUUID() }) {
  const storeKey = readKey(`${secrets}/server_store_key`);
  const authKeySrv = readKey(`${secrets}/server_auth_key`);
  const s = mc.libsodium();
  const salt = mc.newSalt();
  const keys = mc.newAdviserKeys();
  let kek; let authHash = null;
  if (passphrase) {
    const derived = mc.derivePassphraseKeys(passphrase, salt, 3, 64 * 1024 * 1024);
    kek = derived.kek;
    authHash = mc.authHash(derived.authKey, authKeySrv);
  } else {
    kek = s.randombytes_buf(32);
  }
  const esk = mc.sealSecretKey(keys.encryptionSecretKey, id, keys.encryptionPublicKey, kek);
  const totpSecret = s.randombytes_buf(20);
  const sortedOrgs = [...organisations].sort();
  const sortedTopics = [...topics].sort();
  const fields = { id, name, role, organisations: sortedOrgs, topics: sortedTopics, notAfter,
    encryptionPublicKey: keys.encryptionPublicKey, signPublicKey: keys.signPublicKey };
  const certificate = certify && role !== 'admin' && role !== 'analyst'
    ? mc.signCertificate(fields, certSecretKey) : null;
  const statements = [
    `INSERT INTO accounts (id, email, name, role, organisations, topics, status, salt, opslimit,
      memlimit, auth_hash, totp_secret) VALUES (${text(id)}, ${text(email)}, ${text(name)},
      ${text(role)}, ${arr(sortedOrgs)}, ${arr(sortedTopics)}, 'active', ${hex(salt)}, 3, 67108864,
      ${authHash ? hex(authHash) : 'NULL'}, ${hex(storeSeal(totpSecret, storeKey))});`,
  ];
  if (role === 'adviser' || role === 'coordinator') {
    statements.push(`INSERT INTO account_keys (account_id, seq, encryption_public_key,
      sign_public_key, encrypted_secret_key, state, certificate, not_after, cert_name, cert_role,
      cert_organisations, cert_topics) VALUES (${text(id)}, 1, ${hex(keys.encryptionPublicKey)},
      ${hex(keys.signPublicKey)}, ${hex(storeSeal(esk, storeKey))}, 'current',
      ${certificate ? hex(certificate) : 'NULL'}, ${certificate ? text(notAfter) : 'NULL'},
      ${certificate ? text(name) : 'NULL'}, ${certificate ? text(role) : 'NULL'},
      ${certificate ? arr(sortedOrgs) : 'NULL'}, ${certificate ? arr(sortedTopics) : 'NULL'});`);
  }
  return {
    sql: statements.join('\n'),
    account: { id, email, name, role, organisations: sortedOrgs, topics: sortedTopics, passphrase,
      totpSecret, salt, keys, notAfter, certificate },
  };
}

export function runSql(sql, { db, host, user = 'meldpunt' }) {
  execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', host, '-U', user, '-d', db],
    { input: `BEGIN;\n${sql}\nCOMMIT;\n`, stdio: ['pipe', 'ignore', 'inherit'] });
}

const DEMO = [
  { email: 'anna.devries@example.nl', name: 'Anna de Vries', role: 'adviser', organisations: ['bzk', 'fin', 'jenv'], topics: ['*'] },
  { email: 'bram.jansen@example.nl', name: 'Bram Jansen', role: 'adviser', organisations: ['*'], topics: ['discrimination', 'racism'] },
  { email: 'carla.bakker@example.nl', name: 'Carla Bakker', role: 'coordinator', organisations: ['bzk', 'fin'], topics: ['*'] },
  { email: 'daan.visser@example.nl', name: 'Daan Visser', role: 'coordinator', organisations: ['*'], topics: ['*'] },
  { email: 'eva.smit@example.nl', name: 'Eva Smit', role: 'admin', organisations: [], topics: [] },
  { email: 'frank.degroot@example.nl', name: 'Frank de Groot', role: 'analyst', organisations: [], topics: [] },
];

function base32(bytes) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0; let value = 0; let out = '';
  for (const b of bytes) {
    value = (value << 8) | b; bits += 8;
    while (bits >= 5) { out += alphabet[(value >>> (bits - 5)) & 31]; bits -= 5; }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

async function main() {
  const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) =>
    (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
  await mc.ready();
  const existing = execFileSync('psql', ['-X', '-A', '-t', '-h', args.host, '-U', 'meldpunt', '-d', args.db,
    '-c', 'SELECT count(*) FROM accounts'], { encoding: 'utf8' }).trim();
  if (existing !== '0') {
    console.log('seed-advisers: accounts exist already; nothing to do');
    return;
  }
  const certSecretKey = readKey(args['cert-key']);
  const lines = ['# Demo accounts of the local desk (development only).'];
  let sql = '';
  for (const d of DEMO) {
    const passphrase = 'demo ' + d.name.toLowerCase().split(' ').pop() + ' meldpunt veilig anoniem';
    const { sql: s, account } = makeAccount({ ...d, passphrase, certSecretKey, secrets: args.secrets });
    sql += s + '\n';
    lines.push(`${d.role}\t${d.email}\tpassphrase: ${passphrase}\t` +
      `totp: otpauth://totp/Meldpunt:${d.email}?secret=${base32(account.totpSecret)}&issuer=Meldpunt`);
  }
  runSql(sql, { db: args.db, host: args.host });
  writeFileSync(args.out, lines.join('\n') + '\n', { mode: 0o600 });
  console.log(`seed-advisers: ${DEMO.length} demo accounts; credentials in ${args.out}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
