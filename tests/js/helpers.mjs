// Shared fixtures for the meldcrypto tests: the module (ready), the vector
// files, and certified adviser entries under a test certification key.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as mc from '../../frontend/src/lib/meldcrypto.js';

await mc.ready();

export { mc };
export const sodium = mc.libsodium();

const vectorDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'vectors');

/** The parsed vector file tests/vectors/<name>.json. */
export function vector(name) {
  return JSON.parse(readFileSync(join(vectorDir, name + '.json'), 'utf8'));
}

/** A random UUID (account id). */
export function uuid() {
  return globalThis.crypto.randomUUID();
}

/** A desk key set as the pins file would carry it: {certification, recovery, signing} + secrets. */
export function deskKeys() {
  const cert = sodium.crypto_sign_keypair();
  const recovery = sodium.crypto_box_keypair();
  const signing = sodium.crypto_sign_keypair();
  return {
    pins: { certification: cert.publicKey, recovery: recovery.publicKey, signing: signing.publicKey },
    certSecretKey: cert.privateKey,
    recoverySecretKey: recovery.privateKey,
    signingSecretKey: signing.privateKey,
  };
}

/**
 * A certified adviser: {entry, keys}. `entry` has the API's adviser-entry
 * shape with one current key certified by `certSecretKey` (unless
 * `signWith` gives another signing key).
 */
export function certifiedAdviser(certSecretKey, {
  role = 'adviser', organisations = ['bzk'], topics = ['racism'], notAfter = '2030-12-31',
  name = 'Test Adviser', tier, signWith = certSecretKey,
} = {}) {
  const keys = mc.newAdviserKeys();
  const id = uuid();
  const certificate = mc.signCertificate({ id, name, role, organisations, topics, notAfter,
    encryptionPublicKey: keys.encryptionPublicKey, signPublicKey: keys.signPublicKey }, signWith);
  const entry = {
    id, name, role, scope: { organisations, topics },
    keys: [{
      encryption_public_key: mc.toB64(keys.encryptionPublicKey), sign_public_key: mc.toB64(keys.signPublicKey),
      not_after: notAfter, certificate: mc.toB64(certificate), current: true,
    }],
  };
  if (tier !== undefined) entry.tier = tier;
  return { entry, keys };
}
