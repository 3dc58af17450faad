// Checks meldcrypto against every stored known-answer vector in tests/vectors/.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mc, sodium, vector } from './helpers.mjs';

const b = (text) => mc.fromB64(text);
const same = (actual, expectedB64, what) => assert.equal(mc.toB64(actual), expectedB64, what);

test('receipt vectors: normal form, derived keys, rejections', () => {
  const { cases } = vector('receipt');
  assert.ok(cases.some((c) => !c.valid));
  for (const c of cases) {
    if (!c.valid) {
      assert.throws(() => mc.normaliseReceipt(c.receipt), /receipt/, c.note);
      assert.throws(() => mc.receiptKeys(c.receipt), /receipt/, c.note);
      continue;
    }
    assert.equal(mc.normaliseReceipt(c.receipt), c.normalised, c.note);
    const keys = mc.receiptKeys(c.receipt);
    same(keys.lookupId, c.lookup_id, c.note);
    same(keys.signPublicKey, c.sign_public_key);
    same(keys.signSecretKey, c.sign_secret_key);
    same(keys.boxPublicKey, c.box_public_key);
    same(keys.boxSecretKey, c.box_secret_key);
  }
});

test('case key vectors: subkeys and key commitment', () => {
  for (const c of vector('case_keys').cases) {
    const sub = mc.caseSubkeys(b(c.case_key));
    same(sub.report, c.k_report);
    same(sub.msg, c.k_msg);
    same(mc.keyCommitment(sub.report), c.key_commitment);
  }
});

test('report vector: exact ciphertext and decryption', () => {
  for (const c of vector('report').cases) {
    const ad = { organisation: c.organisation, topic: c.topic, reporterSignPublicKey: c.reporter_sign_public_key };
    assert.equal(mc.reportAd(ad), c.ad);
    same(mc.encryptReport(c.report, ad, b(c.k_report), b(c.nonce)), c.report_ciphertext);
    assert.deepEqual(mc.decryptReport(c.report_ciphertext, ad, b(c.k_report)), c.report);
  }
});

test('wrap vector: the fixed wrap opens to the key', () => {
  for (const c of vector('wrap').cases) {
    same(mc.openWrap(c.wrap, c.public_key, b(c.secret_key)), c.key);
    assert.equal(b(c.wrap).length, 80);
  }
});

test('message vectors: exact ciphertext, signature, signed bytes, decryption', () => {
  const { cases } = vector('message');
  assert.ok(cases.some((c) => !c.signature_valid));
  for (const c of cases) {
    const signed = mc.messageSignedBytes(c.case_id, c.author, b(c.ciphertext));
    same(signed, c.signed_message, c.note);
    assert.equal(sodium.crypto_sign_verify_detached(b(c.signature), signed, b(c.sign_public_key)), c.signature_valid);
    const input = { caseId: c.case_id, author: c.author, ciphertext: c.ciphertext, signature: c.signature };
    if (!c.signature_valid) {
      assert.throws(() => mc.decryptMessage(input, b(c.k_msg), [c.sign_public_key]), /signature/);
      continue;
    }
    assert.deepEqual(mc.decryptMessage(input, b(c.k_msg), [c.sign_public_key]), c.plaintext);
  }
  const reply = cases[1];
  const sk = mc.adviserSigningKeys(b(vector('adviser_keys').cases[0].encryption_secret_key)).signSecretKey;
  const again = mc.encryptMessage({ caseId: reply.case_id, author: reply.author, prev: reply.plaintext.prev,
    text: reply.plaintext.text, id: reply.plaintext.id }, b(reply.k_msg), sk, b(reply.nonce));
  assert.equal(again.ciphertext, reply.ciphertext);
  assert.equal(again.signature, reply.signature);
});

test('note vector: exact ciphertext and signature, decryption', () => {
  const sk = mc.adviserSigningKeys(b(vector('adviser_keys').cases[0].encryption_secret_key)).signSecretKey;
  for (const c of vector('note').cases) {
    const out = mc.encryptNote({ caseId: c.case_id, adviserId: c.adviser_id, prev: c.plaintext.prev,
      text: c.plaintext.text, id: c.plaintext.id }, b(c.notes_key), sk, b(c.nonce));
    assert.equal(out.ciphertext, c.ciphertext);
    assert.equal(out.signature, c.signature);
    same(mc.noteSignedBytes(c.case_id, c.adviser_id, b(c.ciphertext)), c.signed_message);
    assert.deepEqual(mc.decryptNote({ caseId: c.case_id, adviserId: c.adviser_id, ciphertext: c.ciphertext,
      signature: c.signature }, b(c.notes_key), [c.sign_public_key]), c.plaintext);
  }
});

test('notes key vector: commitment and signature', () => {
  for (const c of vector('notes_key').cases) {
    same(mc.notesKeyCommitment(c.case_id, b(c.notes_key)), c.notes_key_commitment);
    same(mc.notesKeySignedBytes(c.case_id, c.notes_key_commitment), c.signed_message);
    assert.equal(mc.verifyNotesKeyCommitment(c.case_id, b(c.notes_key), c.notes_key_commitment,
      c.notes_key_signature, [c.sign_public_key]), true);
  }
});

test('attachment vector: the fixed stream decrypts; padding rule table', () => {
  const v = vector('attachment');
  for (const c of v.cases) {
    assert.equal(mc.attachmentMetaAd(c.case_id, c.author, c.attachment_id), c.meta_ad);
    const out = mc.decryptAttachment({ caseId: c.case_id, author: c.author, attachmentId: c.attachment_id,
      stream: b(c.stream), meta: c.meta }, b(c.k_msg));
    assert.equal(out.name, c.name);
    assert.equal(out.type, c.type);
    assert.equal(out.size, c.size);
    same(out.bytes, c.plaintext);
    assert.equal(b(c.stream).length, c.stream_length);
    const again = mc.encryptAttachment({ caseId: c.case_id, author: c.author, attachmentId: c.attachment_id,
      name: c.name, type: c.type, bytes: b(c.plaintext) }, b(c.k_msg), { fileKey: b(c.file_key), nonce: b(c.meta_nonce) });
    assert.equal(again.meta, c.meta);
  }
  for (const s of v.sizes) {
    assert.equal(mc.attachmentBlockSize(s.size), s.block_size, `block for ${s.size}`);
    assert.equal(mc.paddedAttachmentSize(s.size), s.padded_size, `padded for ${s.size}`);
    assert.equal(mc.attachmentStreamLength(s.size), s.stream_length, `stream for ${s.size}`);
  }
});

test('proof-of-work vectors: valid and invalid at several difficulties', () => {
  const { cases } = vector('pow');
  assert.ok(cases.some((c) => c.valid) && cases.some((c) => !c.valid));
  assert.ok(cases.some((c) => c.difficulty % 8 !== 0));
  for (const c of cases) {
    same(sodium.crypto_generichash(32, mc.concat(b(c.challenge), b(c.pow_nonce))), c.hash);
    assert.equal(mc.powValid(b(c.challenge), b(c.pow_nonce), c.difficulty), c.valid, c.note ?? '');
  }
});

test('reporter login vectors', () => {
  for (const c of vector('reporter_login').cases) {
    const keys = mc.receiptKeys(c.receipt);
    same(keys.lookupId, c.lookup_id);
    same(keys.signPublicKey, c.sign_public_key);
    same(mc.reporterLoginMessage(b(c.challenge)), c.signed_message);
    assert.equal(sodium.crypto_sign_verify_detached(b(c.signature), b(c.signed_message), b(c.sign_public_key)), c.valid);
    if (c.valid) same(mc.reporterLoginSignature(b(c.challenge), keys.signSecretKey), c.signature);
  }
});

test('certificate vectors: message bytes and verification under the pin', () => {
  const { cases } = vector('certificate');
  assert.ok(cases.some((c) => !c.valid));
  for (const c of cases) {
    const fields = { id: c.id, name: c.name, role: c.role, organisations: c.organisations, topics: c.topics,
      notAfter: c.not_after, encryptionPublicKey: c.encryption_public_key, signPublicKey: c.sign_public_key };
    same(mc.certificateMessage(fields), c.signed_message, c.note);
    const entry = { id: c.id, name: c.name, role: c.role, scope: { organisations: c.organisations, topics: c.topics } };
    const key = { encryption_public_key: c.encryption_public_key, sign_public_key: c.sign_public_key,
      not_after: c.not_after, certificate: c.certificate, current: true };
    assert.equal(mc.verifyAdviserKey(entry, key, c.certification_public_key, { today: '2025-01-01' }), c.valid, c.note);
  }
});

test('fingerprint vector', () => {
  for (const c of vector('fingerprint').cases)
    assert.equal(mc.fingerprint(c.encryption_public_key, c.sign_public_key), c.fingerprint);
});

test('proof vectors: message, desk key id, verification, disclosure', () => {
  const { cases } = vector('proof');
  for (const c of cases) {
    same(mc.proofMessage(c.proof), c.signed_message, c.note);
    same(mc.deskKeyId(c.desk_sign_public_key), c.desk_key_id);
    assert.equal(mc.verifyProof(c.proof, c.desk_sign_public_key), c.valid, c.note);
    if (c.valid) {
      assert.deepEqual(mc.openDisclosure(c.proof, c.disclosure_key), c.report);
      const { signature, desk_key_id: _, ...body } = c.proof;
      assert.equal(mc.signProof(body, b(c.desk_sign_secret_key)).signature, signature);
    }
  }
});

test('adviser key vector: Argon2id at the floor, signing key derivation', () => {
  for (const c of vector('adviser_keys').cases) {
    const keys = mc.derivePassphraseKeys(c.passphrase, b(c.salt), c.opslimit, c.memlimit);
    same(keys.authKey, c.auth_key);
    same(keys.kek, c.kek);
    same(sodium.crypto_scalarmult_base(b(c.encryption_secret_key)), c.encryption_public_key);
    const sign = mc.adviserSigningKeys(b(c.encryption_secret_key));
    same(sign.signPublicKey, c.sign_public_key);
    same(sign.signSecretKey, c.sign_secret_key);
  }
});

test('secret key seal vector', () => {
  for (const c of vector('secret_key_seal').cases) {
    same(mc.sealSecretKey(b(c.encryption_secret_key), c.adviser_id, c.encryption_public_key, b(c.kek), b(c.nonce)),
      c.encrypted_secret_key);
    same(mc.openSecretKey(c.encrypted_secret_key, c.adviser_id, c.encryption_public_key, b(c.kek)), c.encryption_secret_key);
  }
});

test('auth hash vector', () => {
  for (const c of vector('auth_hash').cases) {
    same(mc.authHash(b(c.auth_key), b(c.server_auth_key)), c.auth_hash);
    same(sodium.crypto_generichash(32, b(c.hashed_message), b(c.server_auth_key)), c.auth_hash);
  }
});

test('prelogin salt vectors', () => {
  const { cases } = vector('prelogin_salt');
  for (const c of cases) {
    same(mc.preloginFakeSalt(c.email, b(c.prelogin_key)), c.salt, c.email);
    same(sodium.crypto_generichash(32, mc.utf8(c.lowercased), b(c.prelogin_key)).slice(0, 16), c.salt);
  }
  assert.equal(cases[0].salt, cases[1].salt, 'case-insensitive for ASCII');
});

test('audit chain vector: canonical JSON, hashes, signed head', () => {
  for (const c of vector('audit_chain').cases) {
    let prev = mc.AUDIT_GENESIS;
    for (const row of c.entries) {
      assert.equal(mc.canonicalJson(row.entry), row.canonical);
      same(prev, row.prev_hash);
      prev = mc.auditHash(prev, mc.utf8(row.canonical));
      same(prev, row.hash);
    }
    same(prev, c.head);
    same(mc.auditHeadMessage(c.date, prev), c.head_signed_message);
    assert.ok(sodium.crypto_sign_verify_detached(b(c.head_signature), b(c.head_signed_message), b(c.desk_sign_public_key)));
  }
});
