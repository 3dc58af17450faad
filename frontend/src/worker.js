// worker.js - the page's Web Worker for long work, so the page stays
// responsive and its progress indicator moves: proof of work (SPEC 3.9),
// Argon2id (3.7) and attachment encryption/decryption (3.6). It holds keys
// only for the duration of one job and has no network or storage access of
// its own.
import * as mc from './lib/meldcrypto.js';

const ready = mc.ready();

function progress(id, fraction) {
  self.postMessage({ id, progress: fraction });
}

const ops = {
  // Proof of work with progress: tries nonces in rounds, reporting the
  // expected fraction done (2^d tries on average).
  pow(id, { challenge, difficulty }) {
    const c = mc.fromB64(challenge, mc.POW_CHALLENGE_BYTES, 'challenge');
    if (!Number.isInteger(difficulty) || difficulty < 0 || difficulty > 32) throw new Error('difficulty out of range');
    const sodium = mc.libsodium();
    const input = new Uint8Array(mc.POW_CHALLENGE_BYTES + mc.POW_NONCE_BYTES);
    input.set(c);
    const view = new DataView(input.buffer, mc.POW_CHALLENGE_BYTES);
    const expected = 2 ** difficulty;
    const meets = (h) => {
      for (let i = 0; i < difficulty; i++) if (((h[i >> 3] >> (7 - (i & 7))) & 1) !== 0) return false;
      return true;
    };
    for (let tries = 0; tries < 2 ** 40; tries++) {
      view.setUint32(0, tries % 2 ** 32, true);
      view.setUint32(4, Math.floor(tries / 2 ** 32), true);
      if (meets(sodium.crypto_generichash(32, input, null))) {
        const nonce = input.slice(mc.POW_CHALLENGE_BYTES);
        if (!mc.powValid(c, nonce, difficulty)) throw new Error('proof of work self-check failed');
        progress(id, 1);
        return mc.toB64(nonce);
      }
      // Expected fraction done for a geometric search with mean 2^d tries.
      if (tries % 2048 === 0) progress(id, Math.min(0.97, 1 - Math.exp(-tries / expected)));
    }
    throw new Error('no proof-of-work nonce found');
  },

  pwhash(id, { passphrase, salt, opslimit, memlimit }) {
    progress(id, 0.1);
    const { authKey, kek } = mc.derivePassphraseKeys(passphrase, salt, opslimit, memlimit);
    progress(id, 1);
    return { authKey, kek };
  },

  encryptAttachment(id, { caseId, author, name, type, bytes, kMsg }) {
    progress(id, 0.1);
    const r = mc.encryptAttachment({ caseId, author, name, type, bytes }, kMsg);
    mc.wipe(bytes);
    mc.wipe(kMsg);
    progress(id, 1);
    return r;
  },

  decryptAttachment(id, { caseId, author, attachmentId, stream, meta, kMsg }) {
    progress(id, 0.1);
    const r = mc.decryptAttachment({ caseId, author, attachmentId, stream, meta }, kMsg);
    mc.wipe(kMsg);
    progress(id, 1);
    return r;
  },
};

self.addEventListener('message', async (ev) => {
  const { id, op, args } = ev.data ?? {};
  try {
    await ready;
    if (!Object.hasOwn(ops, op)) throw new Error('unknown operation');
    const result = ops[op](id, args);
    const transfer = [];
    if (result?.stream instanceof Uint8Array) transfer.push(result.stream.buffer);
    if (result?.bytes instanceof Uint8Array) transfer.push(result.bytes.buffer);
    self.postMessage({ id, result }, transfer);
  } catch (e) {
    // Messages of meldcrypto never contain secrets or input (its contract).
    self.postMessage({ id, error: String(e?.message ?? 'failed') });
  }
});
