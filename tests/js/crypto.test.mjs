// Round trips and negative cases for meldcrypto: encoding, receipts, case
// keys, reports, wraps, messages, notes, proof of work, login, proofs of
// submission, adviser keys and the audit chain.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mc, sodium, deskKeys, uuid } from './helpers.mjs';

const caseId = mc.newId();

function flip(bytes, index) {
  const copy = bytes.slice();
  copy[index] ^= 0x01;
  return copy;
}

function flipB64(text, index) {
  return mc.toB64(flip(mc.fromB64(text), index));
}

// --- encoding -------------------------------------------------------------

test('base64url round trip and strictness', () => {
  const bytes = sodium.randombytes_buf(33);
  assert.deepEqual(mc.fromB64(mc.toB64(bytes)), bytes);
  assert.equal(mc.toB64(new Uint8Array([0xfb, 0xff])), '-_8');
  for (const bad of ['AB==', 'AB=', 'a+b/', 'ab cd', 'A', 'AB', 'ab\n', 'é']) assert.throws(() => mc.fromB64(bad), /base64/, bad);
  assert.throws(() => mc.fromB64('AAAA', 2), /expected 2 bytes/);
  assert.throws(() => mc.fromB64(42), /base64/);
  assert.throws(() => mc.toB64('text'), /Uint8Array/);
});

test('utf8 refuses lone surrogates; concat joins', () => {
  assert.deepEqual(mc.utf8('é'), new Uint8Array([0xc3, 0xa9]));
  assert.throws(() => mc.utf8('a\uD800b'), /Unicode/);
  assert.throws(() => mc.fromUtf8(new Uint8Array([0xff])), /UTF-8/);
  assert.deepEqual(mc.concat(new Uint8Array([1]), new Uint8Array([2, 3])), new Uint8Array([1, 2, 3]));
  assert.throws(() => mc.concat([1]), /Uint8Array/);
});

// --- receipt --------------------------------------------------------------

test('newReceipt: six groups of four alphabet symbols, normalising to itself', () => {
  const seen = new Set();
  for (let i = 0; i < 20; i++) {
    const r = mc.newReceipt();
    assert.match(r, /^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{4}(-[0-9ABCDEFGHJKMNPQRSTVWXYZ]{4}){5}$/);
    assert.equal(mc.formatReceipt(mc.normaliseReceipt(r)), r);
    seen.add(r);
  }
  assert.equal(seen.size, 20);
});

test('normaliseReceipt accepts typing variants that map to one receipt', () => {
  const normal = 'K7Q2M9XH4TPAW3ZE8FNBR2D5';
  for (const typed of ['k7q2m9xh4tpaw3ze8fnbr2d5', ' K7Q2 M9XH 4TPA W3ZE 8FNB R2D5 ', 'K7Q2--M9XH\u2012\u20134TPAW3ZE8FNBR2D5'])
    assert.equal(mc.normaliseReceipt(typed), normal, typed);
  assert.equal(mc.normaliseReceipt('oOiIlL' + '0'.repeat(18)), '001111' + '0'.repeat(18));
  assert.deepEqual(mc.receiptKeys('k7q2 m9xh 4tpa w3ze 8fnb r2d5').lookupId, mc.receiptKeys(normal).lookupId);
});

test('normaliseReceipt rejects bad receipts of every kind', () => {
  const good = 'K7Q2M9XH4TPAW3ZE8FNBR2D';
  const bad = {
    'too short': good,
    'too long': good + '55',
    empty: '',
    'only separators': '---- ----',
    'U is not in the alphabet': good + 'U',
    'lower-case u': good + 'u',
    'dotless i (non-ASCII)': good + '\u0131',
    'long s (non-ASCII, uppercases to S)': good + '\u017f',
    'Kelvin sign (non-ASCII)': good + '\u212a',
    'fullwidth K': good + '\uff2b',
    'Cyrillic O': good + '\u041e',
    'accented E': good + '\u00c9',
    tab: 'K7Q2\tM9XH4TPAW3ZE8FNBR2D5',
    'no-break space': 'K7Q2\u00a0M9XH4TPAW3ZE8FNBR2D5',
    'double vertical line U+2016': 'K7Q2\u2016M9XH4TPAW3ZE8FNBR2D5',
    'minus sign U+2212': 'K7Q2\u2212M9XH4TPAW3ZE8FNBR2D5',
    underscore: 'K7Q2_M9XH4TPAW3ZE8FNBR2D5',
    dot: 'K7Q2.M9XH4TPAW3ZE8FNBR2D5',
    emoji: good + '\u{1F600}',
  };
  for (const [what, text] of Object.entries(bad)) assert.throws(() => mc.normaliseReceipt(text), /receipt/, what);
  assert.throws(() => mc.normaliseReceipt(null), /receipt/);
  assert.throws(() => mc.normaliseReceipt('K'.repeat(1000)), /receipt/);
});

test('receipt errors never echo the receipt', () => {
  try {
    mc.normaliseReceipt('SECRETSECRETSECRETSECRETU');
    assert.fail('should throw');
  } catch (e) {
    assert.ok(!e.message.includes('SECRET'));
  }
});

test('receiptKeys: distinct receipts give distinct keys; key sizes', () => {
  const a = mc.receiptKeys(mc.newReceipt());
  const b = mc.receiptKeys(mc.newReceipt());
  assert.notDeepEqual(a.lookupId, b.lookupId);
  assert.equal(a.lookupId.length, 32);
  assert.equal(a.signSecretKey.length, 64);
  assert.equal(a.boxSecretKey.length, 32);
  assert.deepEqual(sodium.crypto_scalarmult_base(a.boxSecretKey), a.boxPublicKey);
});

// --- case keys and reports --------------------------------------------------

const report = { v: 1, what: 'Wat er gebeurde', when: '2025-02', where: 'Utrecht', who: 'Collega', wish: 'mediation',
  contact: 'liever niet', lang: 'nl', excluded: [uuid()] };

function reportContext() {
  const K = mc.newCaseKey();
  const reporter = mc.receiptKeys(mc.newReceipt());
  const ad = { organisation: 'bzk', topic: 'racism', reporterSignPublicKey: reporter.signPublicKey };
  return { K, sub: mc.caseSubkeys(K), ad };
}

test('case subkeys differ from each other and from K; commitment checks', () => {
  const { K, sub } = reportContext();
  assert.notDeepEqual(sub.report, sub.msg);
  assert.notDeepEqual(sub.report, K);
  const c = mc.keyCommitment(sub.report);
  assert.equal(mc.checkKeyCommitment(sub.report, c), true);
  assert.equal(mc.checkKeyCommitment(sub.report, mc.toB64(c)), true);
  assert.equal(mc.checkKeyCommitment(sub.msg, c), false, 'wrong key commitment');
  assert.equal(mc.checkKeyCommitment(sub.report, flip(c, 0)), false);
  assert.equal(mc.checkKeyCommitment(sub.report, 'short'), false);
  assert.throws(() => mc.caseSubkeys(new Uint8Array(31)), /32 bytes/);
});

test('report round trip, padded to a multiple of 4096', () => {
  const { sub, ad } = reportContext();
  const sealed = mc.encryptReport(report, ad, sub.report);
  assert.equal((sealed.length - 24 - 16) % 4096, 0);
  assert.deepEqual(mc.decryptReport(sealed, ad, sub.report), report);
  assert.deepEqual(mc.decryptReport(mc.toB64(sealed), ad, sub.report), report);
});

test('report decryption fails on tampering, other AD fields or the wrong key', () => {
  const { sub, ad } = reportContext();
  const sealed = mc.encryptReport(report, ad, sub.report);
  assert.throws(() => mc.decryptReport(flip(sealed, 30), ad, sub.report), /does not decrypt/);
  assert.throws(() => mc.decryptReport(flip(sealed, 3), ad, sub.report), /does not decrypt/, 'nonce');
  assert.throws(() => mc.decryptReport(sealed, { ...ad, organisation: 'minfin' }, sub.report), /does not decrypt/);
  assert.throws(() => mc.decryptReport(sealed, { ...ad, topic: 'integrity' }, sub.report), /does not decrypt/);
  assert.throws(() => mc.decryptReport(sealed, { ...ad, reporterSignPublicKey: new Uint8Array(32) }, sub.report),
    /does not decrypt/);
  assert.throws(() => mc.decryptReport(sealed, ad, sub.msg), /does not decrypt/);
  assert.throws(() => mc.decryptReport(sealed.subarray(0, 30), ad, sub.report), /too short/);
});

test('encryptReport validates the report and its AD fields', () => {
  const { sub, ad } = reportContext();
  const bad = [
    { ...report, v: 2 }, { ...report, wish: 'revenge' }, { ...report, when: '2025-13' }, { ...report, what: 7 },
    { ...report, extra: 'x' }, { ...report, excluded: ['not-a-uuid'] }, { ...report, excluded: undefined },
  ];
  for (const r of bad) assert.throws(() => mc.encryptReport(r, ad, sub.report), /report/);
  assert.ok(mc.encryptReport({ ...report, when: '' }, ad, sub.report));
  assert.throws(() => mc.encryptReport(report, { ...ad, organisation: 'a|b' }, sub.report), /organisation/);
  assert.throws(() => mc.encryptReport(report, { ...ad, topic: '' }, sub.report), /topic/);
  assert.throws(() => mc.encryptReport(report, ad, sub.report, new Uint8Array(12)), /nonce/);
});

// --- wraps --------------------------------------------------------------------

test('wraps: seal and open; wrong key pair, tampering and bad lengths fail', () => {
  const K = mc.newCaseKey();
  const kp = sodium.crypto_box_keypair();
  const other = sodium.crypto_box_keypair();
  const wrap = mc.wrapKey(K, kp.publicKey);
  assert.equal(wrap.length, 80);
  assert.deepEqual(mc.openWrap(wrap, kp.publicKey, kp.privateKey), K);
  assert.throws(() => mc.openWrap(wrap, other.publicKey, other.privateKey), /cannot be opened/);
  assert.throws(() => mc.openWrap(flip(wrap, 50), kp.publicKey, kp.privateKey), /cannot be opened/);
  assert.throws(() => mc.openWrap(wrap.subarray(1), kp.publicKey, kp.privateKey), /80 bytes/);
  assert.throws(() => mc.wrapKey(K, new Uint8Array(32)), /not usable/, 'low-order public key');
  assert.throws(() => mc.wrapKey(K.subarray(1), kp.publicKey), /32 bytes/);
});

test('wrapObject carries recipient, public key and wrap as base64url', () => {
  const K = mc.newCaseKey();
  const kp = sodium.crypto_box_keypair();
  const id = uuid();
  const w = mc.wrapObject('adviser:' + id, kp.publicKey, K);
  assert.deepEqual(Object.keys(w), ['recipient', 'public_key', 'wrap']);
  assert.equal(w.recipient, 'adviser:' + id);
  assert.equal(w.public_key, mc.toB64(kp.publicKey));
  assert.deepEqual(mc.openWrap(w.wrap, w.public_key, kp.privateKey), K);
  assert.equal(mc.wrapObject('reporter', kp.publicKey, K).recipient, 'reporter');
  assert.equal(mc.wrapObject('recovery', mc.toB64(kp.publicKey), K).recipient, 'recovery');
  for (const bad of ['adviser', 'adviser:x', 'coordinator:' + id, 'REPORTER'])
    assert.throws(() => mc.wrapObject(bad, kp.publicKey, K), /recipient/, bad);
});

// --- messages -------------------------------------------------------------------

function messageContext() {
  const K = mc.newCaseKey();
  const reporter = mc.receiptKeys(mc.newReceipt());
  const adviser = mc.newAdviserKeys();
  return { kMsg: mc.caseSubkeys(K).msg, reporter, adviser, adviserAuthor: 'adviser:' + uuid() };
}

test('message round trip for reporter and adviser, padded to 1024', () => {
  const { kMsg, reporter, adviser, adviserAuthor } = messageContext();
  const first = mc.encryptMessage({ caseId, author: 'reporter', prev: '', text: 'Hallo' }, kMsg, reporter.signSecretKey);
  assert.equal((mc.fromB64(first.ciphertext).length - 40) % 1024, 0);
  assert.equal(mc.fromB64(first.id).length, 16);
  const opened = mc.decryptMessage({ caseId, author: 'reporter', ...first }, kMsg, [reporter.signPublicKey]);
  assert.deepEqual(opened, { v: 1, id: first.id, prev: '', text: 'Hallo' });
  const reply = mc.encryptMessage({ caseId, author: adviserAuthor, prev: first.id, text: 'x'.repeat(3000) },
    kMsg, adviser.signSecretKey);
  assert.equal(mc.fromB64(reply.ciphertext).length, 24 + 4096 + 16);
  const other = mc.newAdviserKeys();
  const back = mc.decryptMessage({ caseId, author: adviserAuthor, ...reply }, kMsg,
    [other.signPublicKey, mc.toB64(adviser.signPublicKey)]);
  assert.equal(back.prev, first.id);
  assert.equal(back.text.length, 3000);
});

test('message signature over the exact bytes of SPEC 3.4', () => {
  const { kMsg, reporter } = messageContext();
  const m = mc.encryptMessage({ caseId, author: 'reporter', prev: '', text: 't' }, kMsg, reporter.signSecretKey);
  const sealed = mc.fromB64(m.ciphertext);
  const expected = mc.concat(mc.utf8(`meldpunt/v1/message-sig|${caseId}|reporter|`), sodium.crypto_generichash(32, sealed));
  assert.deepEqual(mc.messageSignedBytes(caseId, 'reporter', sealed), expected);
  assert.ok(sodium.crypto_sign_verify_detached(mc.fromB64(m.signature), expected, reporter.signPublicKey));
});

test('message decryption fails on tampered ciphertext, signature, AD or keys', () => {
  const { kMsg, reporter, adviser } = messageContext();
  const m = mc.encryptMessage({ caseId, author: 'reporter', prev: '', text: 'geheim' }, kMsg, reporter.signSecretKey);
  const input = { caseId, author: 'reporter', ...m };
  const keys = [reporter.signPublicKey];
  assert.throws(() => mc.decryptMessage({ ...input, ciphertext: flipB64(m.ciphertext, 60) }, kMsg, keys), /signature/);
  assert.throws(() => mc.decryptMessage({ ...input, signature: flipB64(m.signature, 5) }, kMsg, keys), /signature/);
  assert.throws(() => mc.decryptMessage(input, kMsg, [adviser.signPublicKey]), /signature/, 'wrong signer');
  assert.throws(() => mc.decryptMessage(input, kMsg, []), /signature/, 'no keys');
  assert.throws(() => mc.decryptMessage({ ...input, caseId: mc.newId() }, kMsg, keys), /signature/, 'other case');
  assert.throws(() => mc.decryptMessage(input, mc.newCaseKey(), keys), /does not decrypt/, 'wrong K_msg');
  // A valid signature by the author over the same ciphertext in another case: the AD still binds the case.
  const otherCase = mc.newId();
  const resigned = mc.toB64(sodium.crypto_sign_detached(
    mc.messageSignedBytes(otherCase, 'reporter', mc.fromB64(m.ciphertext)), reporter.signSecretKey));
  assert.throws(() => mc.decryptMessage({ ...input, caseId: otherCase, signature: resigned }, kMsg, keys), /does not decrypt/);
  // Same for the author: an adviser re-signing a reporter message as theirs.
  const advAuthor = 'adviser:' + uuid();
  const asAdviser = mc.toB64(sodium.crypto_sign_detached(
    mc.messageSignedBytes(caseId, advAuthor, mc.fromB64(m.ciphertext)), adviser.signSecretKey));
  assert.throws(() => mc.decryptMessage({ ...input, author: advAuthor, signature: asAdviser }, kMsg,
    [adviser.signPublicKey]), /does not decrypt/);
});

test('encryptMessage validates its inputs', () => {
  const { kMsg, reporter } = messageContext();
  const ok = { caseId, author: 'reporter', prev: '', text: 't' };
  assert.throws(() => mc.encryptMessage({ ...ok, caseId: 'abc' }, kMsg, reporter.signSecretKey), /case id/);
  assert.throws(() => mc.encryptMessage({ ...ok, author: 'adviser:42' }, kMsg, reporter.signSecretKey), /author/);
  assert.throws(() => mc.encryptMessage({ ...ok, prev: 'nope' }, kMsg, reporter.signSecretKey), /prev/);
  assert.throws(() => mc.encryptMessage({ ...ok, text: 5 }, kMsg, reporter.signSecretKey), /text/);
  assert.throws(() => mc.encryptMessage(ok, kMsg, reporter.signPublicKey), /64 bytes/);
  assert.throws(() => mc.encryptMessage(ok, kMsg.subarray(2), reporter.signSecretKey), /32 bytes/);
});

test('orderMessages shows each id once and reports missing prev ids', () => {
  const a = { id: mc.newId(), prev: '', text: 'a' };
  const b = { id: mc.newId(), prev: a.id, text: 'b' };
  const lost = mc.newId();
  const c = { id: mc.newId(), prev: lost, text: 'c' };
  const clean = mc.orderMessages([a, b]);
  assert.deepEqual(clean.missing, []);
  assert.deepEqual(clean.messages.map((m) => m.id), [a.id, b.id]);
  const out = mc.orderMessages([a, b, { ...b, text: 'replayed' }, c]);
  assert.deepEqual(out.messages.map((m) => m.text), ['a', 'b', 'c']);
  assert.deepEqual(out.missing, [lost]);
  assert.equal(out.messages[2].prevMissing, true);
  assert.equal(out.messages[1].prevMissing, false);
});

// --- notes ------------------------------------------------------------------------

test('notes: round trip, AD and signature bound to the adviser; commitment checks', () => {
  const N = mc.newNotesKey();
  const adviser = mc.newAdviserKeys();
  const adviserId = uuid();
  const n = mc.encryptNote({ caseId, adviserId, prev: '', text: 'intern' }, N, adviser.signSecretKey);
  const input = { caseId, adviserId, ...n };
  assert.equal(mc.decryptNote(input, N, [adviser.signPublicKey]).text, 'intern');
  assert.equal(mc.decryptNote({ caseId, author: 'adviser:' + adviserId, ...n }, N, [adviser.signPublicKey]).text, 'intern');
  assert.throws(() => mc.decryptNote({ ...input, adviserId: uuid() }, N, [adviser.signPublicKey]), /signature/);
  assert.throws(() => mc.decryptNote(input, mc.newNotesKey(), [adviser.signPublicKey]), /does not decrypt/);
  assert.throws(() => mc.decryptNote({ ...input, ciphertext: flipB64(n.ciphertext, 70) }, N, [adviser.signPublicKey]),
    /signature/);
  assert.throws(() => mc.encryptNote({ caseId, author: 'reporter', prev: '', text: 'x' }, N, adviser.signSecretKey), /reporter/);
  // A message ciphertext is not a note: the signature labels differ.
  const kMsg = mc.caseSubkeys(mc.newCaseKey()).msg;
  const m = mc.encryptMessage({ caseId, author: 'adviser:' + adviserId, prev: '', text: 'm' }, kMsg, adviser.signSecretKey);
  assert.throws(() => mc.decryptNote({ caseId, adviserId, ...m }, kMsg, [adviser.signPublicKey]), /signature/);

  const commitment = mc.notesKeyCommitment(caseId, N);
  const sig = mc.signNotesKeyCommitment(caseId, commitment, adviser.signSecretKey);
  const keys = [mc.newAdviserKeys().signPublicKey, adviser.signPublicKey];
  assert.equal(mc.verifyNotesKeyCommitment(caseId, N, commitment, sig, keys), true);
  assert.equal(mc.verifyNotesKeyCommitment(caseId, N, mc.toB64(commitment), mc.toB64(sig), keys), true);
  assert.equal(mc.verifyNotesKeyCommitment(caseId, mc.newNotesKey(), commitment, sig, keys), false, 'server N');
  assert.equal(mc.verifyNotesKeyCommitment(mc.newId(), N, commitment, sig, keys), false, 'other case');
  assert.equal(mc.verifyNotesKeyCommitment(caseId, N, commitment, flip(sig, 1), keys), false);
  assert.equal(mc.verifyNotesKeyCommitment(caseId, N, commitment, sig, [keys[0]]), false, 'not the signer');
  assert.equal(mc.verifyNotesKeyCommitment(caseId, N, 'bad', sig, keys), false);
});

// --- proof of work and login ----------------------------------------------------------

test('proof of work: solve and check, bit order from the most significant bit', () => {
  const challenge = sodium.randombytes_buf(32);
  for (const d of [0, 5, 10]) {
    const nonce = mc.solvePow(challenge, d);
    assert.equal(nonce.length, 8);
    assert.equal(mc.powValid(challenge, nonce, d), true);
    assert.equal(mc.powValid(mc.toB64(challenge), mc.toB64(nonce), d), true);
  }
  // Find a nonce whose hash starts 0b0001xxxx: 3 zero bits, invalid at 4.
  let nonce;
  for (let i = 0; ; i++) {
    nonce = new Uint8Array(8);
    nonce[0] = i & 0xff;
    nonce[1] = i >> 8;
    const h = sodium.crypto_generichash(32, mc.concat(challenge, nonce));
    if ((h[0] & 0xf0) === 0x10) break;
  }
  assert.equal(mc.powValid(challenge, nonce, 3), true);
  assert.equal(mc.powValid(challenge, nonce, 4), false, 'off by one');
  assert.throws(() => mc.powValid(challenge, nonce.subarray(1), 1), /8 bytes/);
  assert.throws(() => mc.powValid(challenge.subarray(1), nonce, 1), /32 bytes/);
  assert.throws(() => mc.powValid(challenge, nonce, -1), /difficulty/);
  assert.throws(() => mc.powValid(challenge, nonce, 1.5), /difficulty/);
  assert.throws(() => mc.solvePow(challenge, 40), /difficulty/);
});

test('reporter login signature verifies under the receipt key only', () => {
  const keys = mc.receiptKeys(mc.newReceipt());
  const challenge = sodium.randombytes_buf(32);
  const sig = mc.reporterLoginSignature(challenge, keys.signSecretKey);
  const message = mc.concat(mc.utf8('meldpunt/v1/reporter-login|'), challenge);
  assert.ok(sodium.crypto_sign_verify_detached(sig, message, keys.signPublicKey));
  assert.ok(!sodium.crypto_sign_verify_detached(sig, challenge, keys.signPublicKey));
  assert.ok(!sodium.crypto_sign_verify_detached(sig, message, mc.receiptKeys(mc.newReceipt()).signPublicKey));
  assert.throws(() => mc.reporterLoginSignature(challenge.subarray(4), keys.signSecretKey), /32 bytes/);
});

// --- proof of submission ---------------------------------------------------------------

function signedProof(desk) {
  const { sub, ad } = reportContext();
  const ciphertext = mc.encryptReport(report, ad, sub.report);
  const proof = mc.signProof({ v: 1, case_id: caseId, received_on: '2025-05-01', organisation: ad.organisation,
    topic: ad.topic, reporter_sign_public_key: mc.toB64(ad.reporterSignPublicKey), report_ciphertext: mc.toB64(ciphertext),
    key_commitment: mc.toB64(mc.keyCommitment(sub.report)) }, desk.signingSecretKey);
  return { proof, kReport: sub.report };
}

test('proof of submission verifies against the pinned key; tampering fails', () => {
  const desk = deskKeys();
  const { proof, kReport } = signedProof(desk);
  assert.deepEqual(Object.keys(proof).sort(), ['case_id', 'desk_key_id', 'key_commitment', 'organisation',
    'received_on', 'report_ciphertext', 'reporter_sign_public_key', 'signature', 'topic', 'v']);
  assert.equal(mc.verifyProof(proof, desk.pins.signing), true);
  assert.equal(mc.verifyProof(proof, deskKeys().pins.signing), false, 'other pinned key');
  const changes = { received_on: '2025-05-02', organisation: 'minfin', topic: 'integrity', case_id: mc.newId(),
    key_commitment: mc.toB64(new Uint8Array(32)), v: 2, desk_key_id: 'AAAAAAAAAAA', signature: 'x',
    reporter_sign_public_key: 'AAAA', report_ciphertext: flipB64(proof.report_ciphertext, 100) };
  for (const [field, value] of Object.entries(changes))
    assert.equal(mc.verifyProof({ ...proof, [field]: value }, desk.pins.signing), false, field);
  assert.equal(mc.verifyProof(null, desk.pins.signing), false);
  assert.throws(() => mc.verifyProof(proof, new Uint8Array(31)), /32 bytes/);
  assert.deepEqual(mc.deskKeyId(desk.pins.signing), sodium.crypto_generichash(32, desk.pins.signing).slice(0, 8));
  assert.equal(mc.disclosureKey(kReport), mc.toB64(kReport));
  assert.deepEqual(mc.openDisclosure(proof, mc.disclosureKey(kReport)), report);
  assert.throws(() => mc.openDisclosure(proof, mc.toB64(mc.newCaseKey())), /commitment/);
});

// --- adviser keys ------------------------------------------------------------------------

test('passphrase keys: parameters below the floor are refused', () => {
  const salt = mc.newSalt();
  const MiB = 1024 * 1024;
  assert.throws(() => mc.derivePassphraseKeys('lang genoeg wachtwoord', salt, 2, 64 * MiB), /opslimit/);
  assert.throws(() => mc.derivePassphraseKeys('lang genoeg wachtwoord', salt, 3, 64 * MiB - 1), /memlimit/);
  assert.throws(() => mc.derivePassphraseKeys('lang genoeg wachtwoord', salt, 3, 32 * MiB), /memlimit/);
  assert.throws(() => mc.derivePassphraseKeys('lang genoeg wachtwoord', salt, 100, 64 * MiB), /opslimit/);
  assert.throws(() => mc.derivePassphraseKeys('lang genoeg wachtwoord', salt, 3, 8 * 1024 * MiB), /memlimit/);
  assert.throws(() => mc.derivePassphraseKeys('lang genoeg wachtwoord', salt.subarray(1), 3, 64 * MiB), /16 bytes/);
  assert.throws(() => mc.derivePassphraseKeys('', salt, 3, 64 * MiB), /empty/);
});

test('passphrase keys: NFC and NFD spellings give the same keys', () => {
  const salt = mc.newSalt();
  const nfc = mc.derivePassphraseKeys('caf\u00e9 paard kiezel', salt, 3, 64 * 1024 * 1024);
  const nfd = mc.derivePassphraseKeys('cafe\u0301 paard kiezel', salt, 3, 64 * 1024 * 1024);
  assert.deepEqual(nfc.authKey, nfd.authKey);
  assert.deepEqual(nfc.kek, nfd.kek);
  assert.notDeepEqual(nfc.authKey, nfc.kek);
});

test('adviser secret key seal: round trip and every binding checked', () => {
  const keys = mc.newAdviserKeys();
  const other = mc.newAdviserKeys();
  const kek = sodium.randombytes_buf(32);
  const id = uuid();
  assert.deepEqual(mc.adviserSigningKeys(keys.encryptionSecretKey).signPublicKey, keys.signPublicKey);
  const sealed = mc.sealSecretKey(keys.encryptionSecretKey, id, keys.encryptionPublicKey, kek);
  assert.deepEqual(mc.openSecretKey(sealed, id, keys.encryptionPublicKey, kek), keys.encryptionSecretKey);
  assert.deepEqual(mc.openSecretKey(mc.toB64(sealed), id, mc.toB64(keys.encryptionPublicKey), kek), keys.encryptionSecretKey);
  assert.throws(() => mc.openSecretKey(sealed, uuid(), keys.encryptionPublicKey, kek), /does not decrypt/);
  assert.throws(() => mc.openSecretKey(sealed, id, other.encryptionPublicKey, kek), /does not decrypt/);
  assert.throws(() => mc.openSecretKey(sealed, id, keys.encryptionPublicKey, sodium.randombytes_buf(32)), /does not decrypt/);
  assert.throws(() => mc.sealSecretKey(keys.encryptionSecretKey, id, other.encryptionPublicKey, kek), /does not match/);
  // A sealed secret key that decrypts but does not match its public key is refused.
  const mismatched = mc.concat(new Uint8Array(24), sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
    other.encryptionSecretKey, mc.utf8(`meldpunt/v1/adviser-key|${id}|${mc.toB64(keys.encryptionPublicKey)}`),
    null, new Uint8Array(24), kek));
  assert.throws(() => mc.openSecretKey(mismatched, id, keys.encryptionPublicKey, kek), /does not match/);
});

test('auth hash and prelogin salt: keyed, fixed lengths', () => {
  const authKey = sodium.randombytes_buf(32);
  const k1 = sodium.randombytes_buf(32);
  const k2 = sodium.randombytes_buf(32);
  assert.equal(mc.authHash(authKey, k1).length, 32);
  assert.notDeepEqual(mc.authHash(authKey, k1), mc.authHash(authKey, k2));
  assert.throws(() => mc.authHash(authKey.subarray(1), k1), /32 bytes/);
  assert.deepEqual(mc.preloginFakeSalt('A@B.NL', k1), mc.preloginFakeSalt('a@b.nl', k1));
  assert.notDeepEqual(mc.preloginFakeSalt('a@b.nl', k1), mc.preloginFakeSalt('a@b.nl', k2));
  assert.equal(mc.preloginFakeSalt('a@b.nl', k1).length, 16);
});

// --- audit chain ---------------------------------------------------------------------------

test('canonical JSON: sorted keys by byte order, no whitespace, integers only', () => {
  assert.equal(mc.canonicalJson({ b: 1, a: [true, null, 'x'], c: { z: -2, y: 'é' } }),
    '{"a":[true,null,"x"],"b":1,"c":{"y":"é","z":-2}}');
  assert.equal(mc.canonicalJson({ 'é': 1, z: 2, Z: 3 }), '{"Z":3,"z":2,"é":1}');
  assert.equal(mc.canonicalJson({ '\uffff': 1, '\u{1F600}': 2 }), '{"\uffff":1,"\u{1F600}":2}', 'UTF-8 byte order');
  assert.equal(mc.canonicalJson('a"\\\n\u0001'), '"a\\"\\\\\\n\\u0001"');
  for (const bad of [1.5, NaN, 1e16, undefined, () => 1, { a: undefined }, 'a\uDC00', 10n])
    assert.throws(() => mc.canonicalJson(bad), /canonicalJson/);
});

test('audit hash chains from 32 zero bytes', () => {
  const e1 = mc.canonicalJson({ action: 'login' });
  const h1 = mc.auditHash(mc.AUDIT_GENESIS, e1);
  assert.deepEqual(h1, sodium.crypto_generichash(32, mc.concat(new Uint8Array(32), mc.utf8(e1))));
  const h2 = mc.auditHash(h1, mc.utf8('{"action":"logout"}'));
  assert.notDeepEqual(h2, mc.auditHash(mc.AUDIT_GENESIS, mc.utf8('{"action":"logout"}')));
  assert.throws(() => mc.auditHash(new Uint8Array(31), e1), /32 bytes/);
  assert.throws(() => mc.auditHeadMessage('2025-02-30', h1), /calendar/);
});

test('functions refuse to run before ready() in a fresh module instance', async () => {
  const fresh = await import('../../frontend/src/lib/meldcrypto.js?fresh');
  assert.throws(() => fresh.newCaseKey(), /ready/);
  await fresh.ready();
  assert.equal(fresh.newCaseKey().length, 32);
});
