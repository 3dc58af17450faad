// Generates the known-answer vectors in tests/vectors/*.json from fixed
// inputs, with frontend/src/lib/meldcrypto.js. Run ONCE; the JSON files are
// committed as data and both test suites (C and JS) check against them.
// Re-running changes only the outputs that libsodium randomises internally
// (crypto_box_seal ephemeral keys in wrap.json, the secretstream header in
// attachment.json); everything else is deterministic.
//
//   node tests/vectors/generate.mjs            (from the repository root)

import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as mc from '../../frontend/src/lib/meldcrypto.js';

const here = dirname(fileURLToPath(import.meta.url));
await mc.ready();
const sodium = mc.libsodium();
const b64 = mc.toB64;

// Deterministic "random" bytes for a label.
function fixed(label, length) {
  return sodium.crypto_generichash(length, mc.utf8('meldpunt test vector|' + label));
}

function signKeys(label) {
  const kp = sodium.crypto_sign_seed_keypair(fixed('sign seed ' + label, 32));
  return { pk: kp.publicKey, sk: kp.privateKey };
}

function write(name, description, cases, extra = {}) {
  const body = { description, ...extra, cases };
  writeFileSync(join(here, name), JSON.stringify(body, null, 2) + '\n');
  console.log('wrote', name);
}

const CASE_ID = b64(fixed('case id', 16));
const ADVISER_ID = '3f0a6c52-8d1e-4b7a-9c2f-5e6d7a8b9c01';
const ADVISER_AUTHOR = 'adviser:' + ADVISER_ID;
const RECEIPT = 'K7Q2-M9XH-4TPA-W3ZE-8FNB-R2D5';
const reporter = mc.receiptKeys(RECEIPT);
const adviserSk = fixed('adviser x25519 secret key', 32);
const adviserEncPk = sodium.crypto_scalarmult_base(adviserSk);
const adviserSign = mc.adviserSigningKeys(adviserSk);
const certKeys = signKeys('desk certification');
const deskSign = signKeys('desk signing');
const K = fixed('case key', 32);
const { report: kReport, msg: kMsg } = mc.caseSubkeys(K);

// --- receipt -------------------------------------------------------------
function receiptCase(receipt, note) {
  const keys = mc.receiptKeys(receipt);
  return {
    note, receipt, valid: true, normalised: mc.normaliseReceipt(receipt),
    lookup_id: b64(keys.lookupId), sign_public_key: b64(keys.signPublicKey),
    sign_secret_key: b64(keys.signSecretKey), box_public_key: b64(keys.boxPublicKey),
    box_secret_key: b64(keys.boxSecretKey),
  };
}
write('receipt.json', 'SPEC 3.1: receipt normalisation and the keys derived from it. ' +
  'Valid cases give the normal form and derived keys; invalid ones must be rejected locally.', [
  receiptCase(RECEIPT, 'as shown'),
  receiptCase('k7q2 m9xh 4tpa w3ze 8fnb r2d5', 'lower case, spaces'),
  receiptCase('K7Q2\u2013M9XH\u20144TPA\u2010W3ZE\u20158FNB\u2011R2D5', 'dashes U+2010..U+2015'),
  receiptCase('0ILo-1lio-OOOO-1111-abcd-efgh', 'O->0, I->1, L->1 mapping'),
  { note: 'U is not in the alphabet', receipt: 'K7Q2-M9XH-4TPA-W3ZE-8FNB-R2DU', valid: false },
  { note: '23 symbols', receipt: 'K7Q2-M9XH-4TPA-W3ZE-8FNB-R2D', valid: false },
  { note: '25 symbols', receipt: 'K7Q2-M9XH-4TPA-W3ZE-8FNB-R2D55', valid: false },
  { note: 'non-ASCII letter (dotless i)', receipt: 'K7Q2-M9XH-4TPA-W3ZE-8FNB-R2D\u0131', valid: false },
  { note: 'fullwidth digit', receipt: 'K7Q2-M9XH-4TPA-W3ZE-8FNB-R2D\uFF15', valid: false },
  { note: 'tab is not a dropped separator', receipt: 'K7Q2\tM9XH-4TPA-W3ZE-8FNB-R2D5', valid: false },
  { note: 'underscore', receipt: 'K7Q2_M9XH-4TPA-W3ZE-8FNB-R2D5', valid: false },
]);

// --- case keys -----------------------------------------------------------
write('case_keys.json', 'SPEC 3.2: K -> K_report = kdf(K,1,"meldcase"), K_msg = kdf(K,2,"meldcase"), ' +
  'key_commitment = generichash(32, "meldpunt/v1/key-commitment", key = K_report).', [
  { case_key: b64(K), k_report: b64(kReport), k_msg: b64(kMsg), key_commitment: b64(mc.keyCommitment(kReport)) },
]);

// --- report --------------------------------------------------------------
const reportObject = {
  v: 1, what: 'Opmerkingen over afkomst tijdens het teamoverleg.', when: '2025-03', where: 'Den Haag, kantoor',
  who: 'Een leidinggevende', wish: 'advice', lang: 'nl', excluded: [],
};
const reportAdFields = { organisation: 'bzk', topic: 'racism', reporterSignPublicKey: reporter.signPublicKey };
const reportNonce = fixed('report nonce', 24);
const reportCiphertext = mc.encryptReport(reportObject, reportAdFields, kReport, reportNonce);
write('report.json', 'SPEC 3.2: report AEAD (padded to 4096) under K_report with the report AD.', [
  {
    k_report: b64(kReport), organisation: 'bzk', topic: 'racism',
    reporter_sign_public_key: b64(reporter.signPublicKey), ad: mc.reportAd(reportAdFields),
    nonce: b64(reportNonce), report: reportObject, report_ciphertext: b64(reportCiphertext),
  },
]);

// --- wrap ----------------------------------------------------------------
const recipientBox = sodium.crypto_box_seed_keypair(fixed('wrap recipient', 32));
const wrapObj = mc.wrapObject(ADVISER_AUTHOR, recipientBox.publicKey, K);
write('wrap.json', 'SPEC 3.3: crypto_box_seal(K, recipient pk) (80 bytes); opening it with the key pair gives K.', [
  {
    recipient: wrapObj.recipient, public_key: wrapObj.public_key, secret_key: b64(recipientBox.privateKey),
    wrap: wrapObj.wrap, key: b64(K),
  },
]);

// --- messages ------------------------------------------------------------
function messageCase(author, signSk, signPk, id, prev, text, label) {
  const nonce = fixed('message nonce ' + label, 24);
  const m = mc.encryptMessage({ caseId: CASE_ID, author, prev, text, id }, kMsg, signSk, nonce);
  return {
    note: label, case_id: CASE_ID, author, k_msg: b64(kMsg), nonce: b64(nonce),
    ad: 'meldpunt/v1/message|' + CASE_ID + '|' + author,
    plaintext: { v: 1, id, prev, text }, sign_public_key: b64(signPk),
    ciphertext: m.ciphertext, signature: m.signature,
    signed_message: b64(mc.messageSignedBytes(CASE_ID, author, mc.fromB64(m.ciphertext))),
    signature_valid: true,
  };
}
const msg1 = messageCase('reporter', reporter.signSecretKey, reporter.signPublicKey,
  b64(fixed('message id 1', 16)), '', 'Is er al iets bekend?', 'reporter, first message');
const msg2 = messageCase(ADVISER_AUTHOR, adviserSign.signSecretKey, adviserSign.signPublicKey,
  b64(fixed('message id 2', 16)), msg1.plaintext.id, 'Dank voor uw melding. "Zie" \u00e9\u00e8 \u{1F44D}\n', 'adviser reply');
const tampered = { ...msg2, note: 'ciphertext changed after signing: signature must not verify', signature_valid: false };
const ct = mc.fromB64(msg2.ciphertext);
ct[40] ^= 0x01;
tampered.ciphertext = b64(ct);
tampered.signed_message = b64(mc.messageSignedBytes(CASE_ID, ADVISER_AUTHOR, ct));
write('message.json', 'SPEC 3.4: message AEAD (padded to 1024) under K_msg and its Ed25519 signature over ' +
  'signed_message = "meldpunt/v1/message-sig|" + case_id + "|" + author + "|" || generichash(32, ciphertext).',
[msg1, msg2, tampered]);

// --- notes ---------------------------------------------------------------
const N = fixed('notes key', 32);
const noteNonce = fixed('note nonce', 24);
const noteId = b64(fixed('note id 1', 16));
const note = mc.encryptNote({ caseId: CASE_ID, adviserId: ADVISER_ID, prev: '', text: 'Eerste gesprek gepland.', id: noteId },
  N, adviserSign.signSecretKey, noteNonce);
write('note.json', 'SPEC 3.5: note AEAD (padded to 1024) under the notes key N, signed over ' +
  '"meldpunt/v1/note-sig|" + case_id + "|" + adviser_id + "|" || generichash(32, note).', [
  {
    case_id: CASE_ID, adviser_id: ADVISER_ID, notes_key: b64(N), nonce: b64(noteNonce),
    ad: 'meldpunt/v1/note|' + CASE_ID + '|' + ADVISER_ID,
    plaintext: { v: 1, id: noteId, prev: '', text: 'Eerste gesprek gepland.' },
    sign_public_key: b64(adviserSign.signPublicKey), ciphertext: note.ciphertext, signature: note.signature,
    signed_message: b64(mc.noteSignedBytes(CASE_ID, ADVISER_ID, mc.fromB64(note.ciphertext))),
  },
]);

const nkc = mc.notesKeyCommitment(CASE_ID, N);
write('notes_key.json', 'SPEC 3.5: notes_key_commitment = generichash(32, "meldpunt/v1/notes-key|" + case_id, key = N) ' +
  'and the creator\'s signature over "meldpunt/v1/notes-key-sig|" + case_id + "|" || commitment.', [
  {
    case_id: CASE_ID, notes_key: b64(N), notes_key_commitment: b64(nkc),
    sign_public_key: b64(adviserSign.signPublicKey),
    signed_message: b64(mc.notesKeySignedBytes(CASE_ID, nkc)),
    notes_key_signature: b64(mc.signNotesKeyCommitment(CASE_ID, nkc, adviserSign.signSecretKey)),
  },
]);

// --- attachment ----------------------------------------------------------
const fileBytes = mc.utf8('Meldpunt test attachment: a tiny file.\n');
const attachmentId = b64(fixed('attachment id', 16));
const fileKey = fixed('file key', 32);
const metaNonce = fixed('meta nonce', 24);
const att = mc.encryptAttachment({ caseId: CASE_ID, author: 'reporter', attachmentId, name: 'verslag.txt',
  type: 'text/plain', bytes: fileBytes }, kMsg, { fileKey, nonce: metaNonce });
const sizes = [0, 1, 65535, 65536, 524287, 524288, 1048576, 26214400].map((size) => ({
  size, block_size: mc.attachmentBlockSize(size), padded_size: mc.paddedAttachmentSize(size),
  stream_length: mc.attachmentStreamLength(size),
}));
write('attachment.json', 'SPEC 3.6: a tiny attachment. meta = AEAD(metadata JSON padded to 256) under K_msg; ' +
  'stream = secretstream header(24) || n x 65553-byte chunks under file_key, last tagged FINAL. ' +
  '"sizes" gives the padding rule for other sizes.', [
  {
    case_id: CASE_ID, author: 'reporter', attachment_id: attachmentId, k_msg: b64(kMsg),
    meta_ad: mc.attachmentMetaAd(CASE_ID, 'reporter', attachmentId), meta_nonce: b64(metaNonce),
    name: 'verslag.txt', type: 'text/plain', size: fileBytes.length, file_key: b64(fileKey),
    plaintext: b64(fileBytes), padded_size: mc.paddedAttachmentSize(fileBytes.length),
    stream_length: att.stream.length, meta: att.meta, stream: b64(att.stream),
  },
], { sizes });

// --- proof of work -------------------------------------------------------
const challenge = fixed('pow challenge', 32);
function powHash(nonce) {
  return sodium.crypto_generichash(32, mc.concat(challenge, nonce));
}
function counterNonce(i) {
  const n = new Uint8Array(8);
  new DataView(n.buffer).setUint32(0, i, true);
  return n;
}
function findNonce(predicate) {
  for (let i = 0; ; i++) if (predicate(powHash(counterNonce(i)))) return counterNonce(i);
}
function powCase(nonce, d, note) {
  return { note, challenge: b64(challenge), pow_nonce: b64(nonce), difficulty: d,
    hash: b64(powHash(nonce)), valid: mc.powValid(challenge, nonce, d) };
}
const powCases = [];
for (const d of [0, 1, 3, 7, 8, 9, 12, 13, 16]) powCases.push(powCase(mc.solvePow(challenge, d), d, `solved at d=${d}`));
function leadingZeros(h) {
  let i = 0;
  while (i < 256 && ((h[i >> 3] >> (7 - (i & 7))) & 1) === 0) i++;
  return i;
}
for (const d of [3, 7, 9, 13]) {
  const n = findNonce((h) => leadingZeros(h) === d - 1);
  powCases.push(powCase(n, d, `exactly ${d - 1} leading zero bits: invalid at d=${d}`));
  powCases.push(powCase(n, d - 1, `the same nonce is valid at d=${d - 1}`));
}
const lowBitsZero = findNonce((h) => (h[0] & 0x0f) === 0 && (h[0] & 0xf0) !== 0);
powCases.push(powCase(lowBitsZero, 4, 'h[0] low 4 bits zero, high bits not: invalid at d=4 (bit 0 is the MSB)'));
const highBitsZero = findNonce((h) => (h[0] & 0xf0) === 0 && (h[0] & 0x0f) !== 0);
powCases.push(powCase(highBitsZero, 4, 'h[0] high 4 bits zero, low bits not: valid at d=4'));
write('pow.json', 'SPEC 3.9: valid iff h = generichash(32, challenge || pow_nonce) has bit i zero for all i < d, ' +
  'bit i = (h[i >> 3] >> (7 - (i & 7))) & 1.', powCases);

// --- reporter login ------------------------------------------------------
const loginChallenge = fixed('login challenge', 32);
write('reporter_login.json', 'Section 4: reporter login signature, Ed25519 over "meldpunt/v1/reporter-login|" || challenge, ' +
  'with the receipt-derived signing key.', [
  {
    receipt: RECEIPT, lookup_id: b64(reporter.lookupId), sign_public_key: b64(reporter.signPublicKey),
    challenge: b64(loginChallenge), signed_message: b64(mc.reporterLoginMessage(loginChallenge)),
    signature: b64(mc.reporterLoginSignature(loginChallenge, reporter.signSecretKey)), valid: true,
  },
  {
    note: 'signature by another key', receipt: RECEIPT, lookup_id: b64(reporter.lookupId),
    sign_public_key: b64(reporter.signPublicKey), challenge: b64(loginChallenge),
    signed_message: b64(mc.reporterLoginMessage(loginChallenge)),
    signature: b64(mc.reporterLoginSignature(loginChallenge, adviserSign.signSecretKey)), valid: false,
  },
]);

// --- certificates and fingerprint ---------------------------------------
const certFields = {
  id: ADVISER_ID, name: 'Fatima de Vries-El Amrani', role: 'adviser', organisations: ['minfin', 'bzk'],
  topics: ['racism', 'discrimination'], notAfter: '2026-12-31',
  encryptionPublicKey: adviserEncPk, signPublicKey: adviserSign.signPublicKey,
};
// The text form of a scope list inside the certificate message.
function joined(list) {
  return list === '*' ? '*' : [...list].sort().join(',');
}
function certCase(fields, signWith, valid, note) {
  return {
    note, certification_public_key: b64(certKeys.pk), id: fields.id, name: fields.name, role: fields.role,
    organisations: fields.organisations, topics: fields.topics, not_after: fields.notAfter,
    organisations_joined: joined(fields.organisations), topics_joined: joined(fields.topics),
    encryption_public_key: b64(fields.encryptionPublicKey), sign_public_key: b64(fields.signPublicKey),
    signed_message: b64(mc.certificateMessage(fields)),
    certificate: b64(mc.signCertificate(fields, signWith === 'desk' ? certKeys.sk : signKeys('not the desk').sk)),
    valid,
  };
}
const coordFields = { ...certFields, id: '9b2d4e6f-1a3c-4e5f-8a7b-0c1d2e3f4a5b', name: 'Jan Jansen', role: 'coordinator',
  organisations: '*', topics: '*', notAfter: '2027-06-30' };
const forged = certCase(certFields, 'other', false, 'signed by a key that is not the desk certification key');
const altered = certCase(certFields, 'desk', true, '');
altered.note = 'certificate of the first case, but topics changed: must not verify';
altered.topics = ['racism'];
altered.topics_joined = 'racism';
altered.signed_message = b64(mc.certificateMessage({ ...certFields, topics: ['racism'] }));
altered.valid = false;
write('certificate.json', 'SPEC 3.8: adviser key certificates, Ed25519 by the desk certification key over signed_message = ' +
  '"meldpunt/v1/adviser-cert|" + id + "|" + b64(name) + "|" + role + "|" + organisations + "|" + topics + "|" + ' +
  'not_after + "|" || encryption_public_key || sign_public_key. organisations/topics are given as JSON ' +
  '(array or "*"); in the message they are sorted ascending (byte order) and joined by ",".', [
  certCase(certFields, 'desk', true, 'adviser with two organisations and two topics (given unsorted)'),
  certCase(coordFields, 'desk', true, 'coordinator with */*'),
  forged,
  altered,
]);

write('fingerprint.json', 'SPEC 3.8: fingerprint = first 16 bytes of generichash(32, encryption_public_key || ' +
  'sign_public_key), lowercase hex in 8 groups of 4 separated by one space.', [
  { encryption_public_key: b64(adviserEncPk), sign_public_key: b64(adviserSign.signPublicKey),
    fingerprint: mc.fingerprint(adviserEncPk, adviserSign.signPublicKey) },
]);

// --- proof of submission -------------------------------------------------
const proof = mc.signProof({
  v: 1, case_id: CASE_ID, received_on: '2025-04-02', organisation: 'bzk', topic: 'racism',
  reporter_sign_public_key: b64(reporter.signPublicKey), report_ciphertext: b64(reportCiphertext),
  key_commitment: b64(mc.keyCommitment(kReport)),
}, deskSign.sk);
const badProof = { ...proof, received_on: '2025-04-03' };
write('proof.json', 'SPEC 3.10: proof of submission, Ed25519 by the desk signing key over signed_message = ' +
  '"meldpunt/v1/proof|" + case_id + "|" + received_on + "|" + organisation + "|" + topic + "|" || ' +
  'generichash(32, report_ciphertext) || key_commitment; desk_key_id = first 8 bytes of ' +
  'generichash(32, desk_sign_public_key). disclosure_key is K_report.', [
  { note: 'valid proof', desk_sign_public_key: b64(deskSign.pk), desk_sign_secret_key: b64(deskSign.sk),
    desk_key_id: proof.desk_key_id, proof, signed_message: b64(mc.proofMessage(proof)),
    disclosure_key: mc.disclosureKey(kReport), report: reportObject, valid: true },
  { note: 'received_on changed after signing', desk_sign_public_key: b64(deskSign.pk),
    desk_sign_secret_key: b64(deskSign.sk), desk_key_id: proof.desk_key_id, proof: badProof,
    signed_message: b64(mc.proofMessage(badProof)), valid: false },
]);

// --- adviser keys and secret key seal -----------------------------------
const passphrase = 'correct horse battery staple paard kiezel';
const salt = fixed('pwhash salt', 16);
const pw = mc.derivePassphraseKeys(passphrase, salt, 3, 64 * 1024 * 1024);
write('adviser_keys.json', 'SPEC 3.7: crypto_pwhash(64, passphrase, salt, 3, 64 MiB, ARGON2ID13) -> auth_key (0..31), ' +
  'kek (32..63); adviser signing key = crypto_sign_seed_keypair(kdf(x25519_secret_key, 1, "meldadvs")).', [
  { passphrase, salt: b64(salt), opslimit: 3, memlimit: 64 * 1024 * 1024, auth_key: b64(pw.authKey), kek: b64(pw.kek),
    encryption_secret_key: b64(adviserSk), encryption_public_key: b64(adviserEncPk),
    sign_public_key: b64(adviserSign.signPublicKey), sign_secret_key: b64(adviserSign.signSecretKey) },
]);

const skNonce = fixed('secret key nonce', 24);
write('secret_key_seal.json', 'SPEC 3.7: encrypted_secret_key = AEAD(x25519_secret_key, "meldpunt/v1/adviser-key|" + ' +
  'adviser_id + "|" + b64(encryption_public_key), kek).', [
  { adviser_id: ADVISER_ID, encryption_public_key: b64(adviserEncPk), encryption_secret_key: b64(adviserSk),
    kek: b64(pw.kek), nonce: b64(skNonce), ad: 'meldpunt/v1/adviser-key|' + ADVISER_ID + '|' + b64(adviserEncPk),
    encrypted_secret_key: b64(mc.sealSecretKey(adviserSk, ADVISER_ID, adviserEncPk, pw.kek, skNonce)) },
]);

// --- server-side hashes --------------------------------------------------
const serverAuthKey = fixed('server auth key', 32);
write('auth_hash.json', 'SPEC 3.7: auth_hash = generichash(32, "meldpunt/v1/auth|" || auth_key, key = server_auth_key).', [
  { auth_key: b64(pw.authKey), server_auth_key: b64(serverAuthKey),
    hashed_message: b64(mc.concat(mc.utf8('meldpunt/v1/auth|'), pw.authKey)),
    auth_hash: b64(mc.authHash(pw.authKey, serverAuthKey)) },
]);

const preloginKey = fixed('prelogin key', 32);
write('prelogin_salt.json', 'Section 4: fake prelogin salt = first 16 bytes of generichash(32, lowercase(email), ' +
  'key = prelogin_key); lowercasing is ASCII A-Z only. "lowercased" is the exact hashed text.', [
  'adviser@example.org', 'Adviser@Example.ORG', 'J\u00c9R\u00d4ME@example.org',
].map((email) => ({ email, lowercased: email.replace(/[A-Z]/g, (c) => c.toLowerCase()),
  prelogin_key: b64(preloginKey), salt: b64(mc.preloginFakeSalt(email, preloginKey)) })));

// --- audit chain ---------------------------------------------------------
const auditEntries = [
  { action: 'login', actor: ADVISER_ID, at: '2025-04-02T09:00:00Z' },
  { at: '2025-04-02T09:01:00Z', action: 'open_case', actor: ADVISER_ID, case_id: CASE_ID },
  { action: 'status', actor: ADVISER_ID, case_id: CASE_ID, detail: { from: 'new', to: 'acknowledged', n: 2, ok: true, none: null },
    at: '2025-04-02T09:02:00Z' },
  { action: 'account_change', actor: '9b2d4e6f-1a3c-4e5f-8a7b-0c1d2e3f4a5b', at: '2025-04-02T10:00:00Z',
    note: 'naam "Jos\u00e9"\n\t\u0001\\ \u{1F600} /', list: ['b', 'a'], Zeta: 1, alpha: -5 },
];
let prev = mc.AUDIT_GENESIS;
const chain = auditEntries.map((entry) => {
  const canonical = mc.canonicalJson(entry);
  const h = mc.auditHash(prev, canonical);
  const row = { entry, canonical, prev_hash: b64(prev), hash: b64(h) };
  prev = h;
  return row;
});
const headDate = '2025-04-02';
write('audit_chain.json', 'Section 5: audit chain. canonical = canonical JSON of entry (keys sorted by byte order, ' +
  'no whitespace, JSON string escaping as cJSON prints it); hash = generichash(32, prev_hash || canonical), first ' +
  'prev_hash 32 zero bytes. The head signature is Ed25519 by the desk signing key over ' +
  '"meldpunt/v1/audit-head|" + date + "|" || head.', [
  { entries: chain, head: b64(prev), date: headDate, desk_sign_public_key: b64(deskSign.pk),
    head_signed_message: b64(mc.auditHeadMessage(headDate, prev)),
    head_signature: b64(sodium.crypto_sign_detached(mc.auditHeadMessage(headDate, prev), deskSign.sk)) },
]);
