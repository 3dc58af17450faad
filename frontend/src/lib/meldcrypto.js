// meldcrypto.js — every client-side construction of SPEC section 3 (and the
// few crypto details of sections 4 and 5), over libsodium-wrappers-sumo.
//
// Runs unchanged in Node (API tests), a browser page and a Web Worker: no DOM,
// no storage, no network. Call `await ready()` once; everything else is
// synchronous. Binary values cross the API as Uint8Array; text that travels in
// JSON is base64url without padding (toB64/fromB64). Every function checks
// its inputs and throws Error with a message that never contains a secret or
// the caller's input. Functions named verify* return false for data that does
// not verify (including malformed server data) and throw only for invalid
// arguments of the caller's own (pinned keys, dates). open*/decrypt* throw.

import sodium from 'libsodium-wrappers-sumo';

// ---------------------------------------------------------------------------
// Constants of the protocol (SPEC section 3)

export const RECEIPT_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const RECEIPT_LENGTH = 24;
export const KEY_BYTES = 32;
export const NONCE_BYTES = 24;
export const ID_BYTES = 16;
export const WRAP_BYTES = 80;
export const SIGNATURE_BYTES = 64;
export const REPORT_BLOCK = 4096;
export const MESSAGE_BLOCK = 1024;
export const META_BLOCK = 256;
export const META_MAX_CHARS = 4096;
export const CHUNK_BYTES = 65536;
export const STREAM_HEADER_BYTES = 24;
export const CHUNK_CIPHER_BYTES = CHUNK_BYTES + 17;
export const PWHASH_MIN_OPSLIMIT = 3;
export const PWHASH_MIN_MEMLIMIT = 64 * 1024 * 1024;
export const PWHASH_MAX_OPSLIMIT = 32;
export const PWHASH_MAX_MEMLIMIT = 1024 * 1024 * 1024;
export const SALT_BYTES = 16;
export const POW_CHALLENGE_BYTES = 32;
export const POW_NONCE_BYTES = 8;
export const AUDIT_GENESIS = new Uint8Array(32);

const AEAD_TAG_BYTES = 16;
const B64_NO_PAD = 7; // sodium.base64_variants.URLSAFE_NO_PADDING
const ADVISER_KINDS = ['adviser', 'coordinator'];
const REPORT_WISHES = ['advice', 'mediation', 'formal'];
// The one rule of backend/lib/ids.h: lowercase UUIDs, slugs led by a letter.
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SLUG_RE = /^[a-z][a-z0-9_-]{0,63}$/;
const DATE_RE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
const MONTH_RE = /^[0-9]{4}-(0[1-9]|1[0-2])$/;
const LONE_SURROGATE_RE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

let initialised = false;

/** Resolves once libsodium is loaded; await it once before any other call. */
export async function ready() {
  await sodium.ready;
  initialised = true;
}

/** The ready libsodium instance itself, for tests and tooling only. */
export function libsodium() {
  return na();
}

function na() {
  if (!initialised) throw new Error('meldcrypto: await ready() first');
  return sodium;
}

// ---------------------------------------------------------------------------
// Bytes, text and argument checks

function fail(message) {
  throw new Error(message);
}

function requireBytes(name, value, length) {
  if (!(value instanceof Uint8Array)) fail(`${name}: expected a Uint8Array`);
  if (length !== undefined && value.length !== length)
    fail(`${name}: expected ${length} bytes, got ${value.length}`);
  return value;
}

function requireString(name, value, maxLength = 1 << 20) {
  if (typeof value !== 'string') fail(`${name}: expected a string`);
  if (value.length > maxLength) fail(`${name}: longer than ${maxLength} characters`);
  if (LONE_SURROGATE_RE.test(value)) fail(`${name}: not well-formed Unicode`);
  return value;
}

// Bytes given either as a Uint8Array or as base64url text (API and pins form).
function bytesArg(name, value, length) {
  if (typeof value === 'string') return fromB64(value, length, name);
  return requireBytes(name, value, length);
}

function requireInteger(name, value, min, max) {
  if (!Number.isSafeInteger(value) || value < min || value > max)
    fail(`${name}: expected an integer in [${min}, ${max}]`);
  return value;
}

/** Bytes → base64url text without padding. */
export function toB64(bytes) {
  requireBytes('toB64', bytes);
  return na().to_base64(bytes, B64_NO_PAD);
}

/**
 * Base64url text without padding → bytes. Strict: throws on padding,
 * whitespace, other alphabets, non-canonical trailing bits, or (when
 * `length` is given) a decoded length other than `length`.
 */
export function fromB64(text, length, name = 'base64') {
  if (typeof text !== 'string') fail(`${name}: expected base64url text`);
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1)
    fail(`${name}: invalid base64url`);
  let bytes;
  try {
    bytes = na().from_base64(text, B64_NO_PAD);
  } catch {
    fail(`${name}: invalid base64url`);
  }
  if (na().to_base64(bytes, B64_NO_PAD) !== text) fail(`${name}: non-canonical base64url`);
  if (length !== undefined && bytes.length !== length)
    fail(`${name}: expected ${length} bytes, got ${bytes.length}`);
  return bytes;
}

/** String → UTF-8 bytes; throws on lone surrogates (never silently replaced). */
export function utf8(str) {
  requireString('utf8', str, Number.MAX_SAFE_INTEGER);
  return new TextEncoder().encode(str);
}

/** UTF-8 bytes → string; throws on invalid UTF-8. */
export function fromUtf8(bytes) {
  requireBytes('fromUtf8', bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    fail('fromUtf8: invalid UTF-8');
  }
}

/** Concatenation of Uint8Arrays into a new Uint8Array. */
export function concat(...arrays) {
  let total = 0;
  for (const [i, a] of arrays.entries()) total += requireBytes(`concat[${i}]`, a).length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const a of arrays) {
    out.set(a, offset);
    offset += a.length;
  }
  return out;
}

/** Constant-time equality of two byte arrays (false for different lengths). */
export function equalBytes(a, b) {
  requireBytes('equalBytes a', a);
  requireBytes('equalBytes b', b);
  return a.length === b.length && na().memcmp(a, b);
}

/** Overwrites a Uint8Array with zeros (no-op for anything else). */
export function wipe(bytes) {
  if (bytes instanceof Uint8Array) na().memzero(bytes);
}

// Byte-order comparison of strings (SPEC 0: lists sorted by byte order).
function compareUtf8(a, b) {
  const x = utf8(a);
  const y = utf8(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

// ---------------------------------------------------------------------------
// Ids and dates

function requireRandomId(name, value) {
  fromB64(value, ID_BYTES, name);
  return value;
}

function requireAccountId(name, value) {
  if (typeof value !== 'string' || !UUID_RE.test(value)) fail(`${name}: expected a UUID`);
  return value;
}

function requireSlug(name, value) {
  if (typeof value !== 'string' || !SLUG_RE.test(value)) fail(`${name}: expected a short lowercase id`);
  return value;
}

function requireAuthor(name, value) {
  if (value === 'reporter') return value;
  if (typeof value !== 'string' || !value.startsWith('adviser:'))
    fail(`${name}: expected "reporter" or "adviser:<id>"`);
  requireAccountId(name, value.slice('adviser:'.length));
  return value;
}

function requireDate(name, value) {
  if (typeof value !== 'string' || !DATE_RE.test(value)) fail(`${name}: expected YYYY-MM-DD`);
  const [y, m, d] = value.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d)
    fail(`${name}: not a calendar date`);
  return value;
}

/** Today's UTC date as YYYY-MM-DD. */
export function todayUtc() {
  return new Date().toISOString().slice(0, 10);
}

/** A fresh random 16-byte id (case, message, attachment) as base64url. */
export function newId() {
  return toB64(na().randombytes_buf(ID_BYTES));
}

// ---------------------------------------------------------------------------
// Primitives as SPEC section 0 names them

function hash32(message, key = null) {
  return na().crypto_generichash(32, message, key);
}

function kdf(key, id, ctx) {
  requireBytes('kdf key', key, KEY_BYTES);
  if (ctx.length !== 8) fail('kdf: context must have 8 characters');
  return na().crypto_kdf_derive_from_key(KEY_BYTES, id, ctx, key);
}

function randomNonce(nonce) {
  if (nonce === undefined || nonce === null) return na().randombytes_buf(NONCE_BYTES);
  return requireBytes('nonce', nonce, NONCE_BYTES);
}

// AEAD as SPEC 0: sealed = nonce(24) || ciphertext. `ad` is a string.
function aeadSeal(plaintext, ad, key, nonce) {
  requireBytes('AEAD key', key, KEY_BYTES);
  const n = randomNonce(nonce);
  const ct = na().crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, utf8(ad), null, n, key);
  return concat(n, ct);
}

function aeadOpen(sealed, ad, key, what) {
  requireBytes(`${what} key`, key, KEY_BYTES);
  requireBytes(what, sealed);
  if (sealed.length < NONCE_BYTES + AEAD_TAG_BYTES) fail(`${what}: too short`);
  try {
    return na().crypto_aead_xchacha20poly1305_ietf_decrypt(null, sealed.subarray(NONCE_BYTES),
      utf8(ad), sealed.subarray(0, NONCE_BYTES), key);
  } catch {
    fail(`${what}: does not decrypt (wrong key, context or tampered)`);
  }
}

function padTo(bytes, block) {
  return na().pad(bytes, block);
}

function unpadFrom(bytes, block, what) {
  if (bytes.length === 0 || bytes.length % block !== 0) fail(`${what}: not padded to ${block} bytes`);
  try {
    return na().unpad(bytes, block);
  } catch {
    fail(`${what}: invalid padding`);
  }
}

function sealJson(value, block, ad, key, nonce) {
  const plain = padTo(utf8(JSON.stringify(value)), block);
  try {
    return aeadSeal(plain, ad, key, nonce);
  } finally {
    wipe(plain);
  }
}

function openJson(sealed, block, ad, key, what) {
  const padded = aeadOpen(sealed, ad, key, what);
  try {
    const value = JSON.parse(fromUtf8(unpadFrom(padded, block, what)));
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      fail(`${what}: plaintext is not a JSON object`);
    return value;
  } catch (e) {
    if (e instanceof SyntaxError) fail(`${what}: plaintext is not JSON`);
    throw e;
  } finally {
    wipe(padded);
  }
}

function signDetached(message, signSecretKey) {
  requireBytes('sign secret key', signSecretKey, 64);
  return na().crypto_sign_detached(message, signSecretKey);
}

// True if `signature` verifies over `message` under any of `publicKeys`.
function verifyAny(signature, message, publicKeys) {
  if (!Array.isArray(publicKeys)) fail('signPublicKeys: expected an array');
  const keys = publicKeys.map((k, i) => bytesArg(`signPublicKeys[${i}]`, k, 32));
  return keys.some((k) => na().crypto_sign_verify_detached(signature, message, k));
}

// ---------------------------------------------------------------------------
// 3.1 Receipt

/** A fresh receipt, 24 uniform Crockford symbols shown as XXXX-XXXX-…-XXXX. */
export function newReceipt() {
  const s = na();
  let symbols = '';
  for (let i = 0; i < RECEIPT_LENGTH; i++) symbols += RECEIPT_ALPHABET[s.randombytes_uniform(32)];
  return formatReceipt(symbols);
}

/** A normalised 24-symbol receipt → six groups of four joined by "-". */
export function formatReceipt(normalised) {
  const n = normaliseReceipt(normalised);
  return n.match(/.{4}/g).join('-');
}

/**
 * Receipt as typed → the 24-symbol normal form (SPEC 3.1), or throws:
 * ASCII a–z uppercased, U+0020, U+002D and U+2010–U+2015 dropped,
 * O→0, I→1, L→1, then exactly 24 alphabet symbols; anything else rejects.
 */
export function normaliseReceipt(text) {
  if (typeof text !== 'string') fail('receipt: expected text');
  if (text.length > 256) fail('receipt: too long');
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0);
    if (code === 0x20 || code === 0x2d || (code >= 0x2010 && code <= 0x2015)) continue;
    let symbol = code >= 0x61 && code <= 0x7a ? String.fromCharCode(code - 0x20) : ch;
    if (symbol === 'O') symbol = '0';
    else if (symbol === 'I' || symbol === 'L') symbol = '1';
    if (symbol.length !== 1 || !RECEIPT_ALPHABET.includes(symbol))
      fail('receipt: contains a character that is not a receipt symbol');
    out += symbol;
  }
  if (out.length !== RECEIPT_LENGTH) fail(`receipt: must have ${RECEIPT_LENGTH} symbols, has ${out.length}`);
  return out;
}

/**
 * Receipt text → the reporter's keys (SPEC 3.1):
 * {lookupId(32), signPublicKey(32), signSecretKey(64), boxPublicKey(32), boxSecretKey(32)}.
 * Throws if the receipt does not normalise. The caller wipes the secret keys.
 */
export function receiptKeys(receiptText) {
  const s = na();
  const normalised = normaliseReceipt(receiptText);
  const input = utf8('meldpunt/v1/receipt|' + normalised);
  const seed = hash32(input);
  const signSeed = kdf(seed, 2, 'meldrcpt');
  const boxSeed = kdf(seed, 3, 'meldrcpt');
  try {
    const sign = s.crypto_sign_seed_keypair(signSeed);
    const box = s.crypto_box_seed_keypair(boxSeed);
    return {
      lookupId: kdf(seed, 1, 'meldrcpt'),
      signPublicKey: sign.publicKey,
      signSecretKey: sign.privateKey,
      boxPublicKey: box.publicKey,
      boxSecretKey: box.privateKey,
    };
  } finally {
    wipe(input);
    wipe(seed);
    wipe(signSeed);
    wipe(boxSeed);
  }
}

// ---------------------------------------------------------------------------
// 3.2 Case keys and report

/** A fresh 32-byte case key K. */
export function newCaseKey() {
  return na().randombytes_buf(KEY_BYTES);
}

/** K → {report: K_report, msg: K_msg} (SPEC 3.2). */
export function caseSubkeys(K) {
  requireBytes('case key', K, KEY_BYTES);
  return { report: kdf(K, 1, 'meldcase'), msg: kdf(K, 2, 'meldcase') };
}

/** K_report → key_commitment (32 bytes), keyed generichash of a fixed label. */
export function keyCommitment(kReport) {
  requireBytes('K_report', kReport, KEY_BYTES);
  return hash32(utf8('meldpunt/v1/key-commitment'), kReport);
}

/** True iff `commitment` (bytes or b64) is the commitment of K_report. */
export function checkKeyCommitment(kReport, commitment) {
  let c;
  try {
    c = bytesArg('key commitment', commitment, 32);
  } catch {
    return false;
  }
  return equalBytes(keyCommitment(kReport), c);
}

/** The report AD string of SPEC 3.2. */
export function reportAd({ organisation, topic, reporterSignPublicKey }) {
  requireSlug('organisation', organisation);
  requireSlug('topic', topic);
  const pk = bytesArg('reporter sign public key', reporterSignPublicKey, 32);
  return 'meldpunt/v1/report|' + organisation + '|' + topic + '|' + toB64(pk);
}

/**
 * Checks a report plaintext object against SPEC 3.2: v 1, what/where/who/lang
 * strings, when YYYY-MM (or "" for unknown), wish advice|mediation|formal,
 * optional contact string, excluded an array of adviser ids. Throws if not.
 */
export function validateReport(report) {
  if (report === null || typeof report !== 'object' || Array.isArray(report)) fail('report: expected an object');
  const allowed = ['v', 'what', 'when', 'where', 'who', 'wish', 'contact', 'lang', 'excluded'];
  for (const key of Object.keys(report))
    if (!allowed.includes(key)) fail(`report: unknown field ${JSON.stringify(key)}`);
  if (report.v !== 1) fail('report: v must be 1');
  for (const key of ['what', 'where', 'who', 'lang']) requireString(`report.${key}`, report[key]);
  if (report.when !== '' && !(typeof report.when === 'string' && MONTH_RE.test(report.when)))
    fail('report.when: expected YYYY-MM or ""');
  if (!REPORT_WISHES.includes(report.wish)) fail('report.wish: expected advice, mediation or formal');
  if (report.contact !== undefined) requireString('report.contact', report.contact);
  if (!Array.isArray(report.excluded)) fail('report.excluded: expected an array');
  report.excluded.forEach((id, i) => requireAccountId(`report.excluded[${i}]`, id));
  return report;
}

/**
 * Encrypts a report object (SPEC 3.2): JSON, sodium_pad to 4096, AEAD under
 * K_report with the report AD. Returns the sealed value nonce||ct.
 * `nonce` exists only for known-answer vectors.
 */
export function encryptReport(report, adFields, kReport, nonce) {
  validateReport(report);
  return sealJson(report, REPORT_BLOCK, reportAd(adFields), kReport, nonce);
}

/** Opens a sealed report (bytes or b64) → report object; throws on any failure. */
export function decryptReport(sealed, adFields, kReport) {
  const bytes = bytesArg('report ciphertext', sealed);
  const report = openJson(bytes, REPORT_BLOCK, reportAd(adFields), kReport, 'report');
  if (report.v !== 1) fail('report: unsupported version');
  return report;
}

// ---------------------------------------------------------------------------
// 3.3 Key wraps

/** crypto_box_seal(K, recipient X25519 public key) → 80-byte wrap. */
export function wrapKey(K, recipientPublicKey) {
  requireBytes('wrapped key', K, KEY_BYTES);
  const pk = bytesArg('recipient public key', recipientPublicKey, 32);
  try {
    return na().crypto_box_seal(K, pk);
  } catch {
    fail('wrap: recipient public key is not usable');
  }
}

/** Opens a wrap (bytes or b64) with the recipient's key pair → the 32-byte key. */
export function openWrap(wrap, publicKey, secretKey) {
  const w = bytesArg('wrap', wrap, WRAP_BYTES);
  const pk = bytesArg('wrap public key', publicKey, 32);
  requireBytes('wrap secret key', secretKey, 32);
  let key;
  try {
    key = na().crypto_box_seal_open(w, pk, secretKey);
  } catch {
    fail('wrap: cannot be opened with this key pair');
  }
  return requireBytes('unwrapped key', key, KEY_BYTES);
}

function requireRecipient(recipient) {
  if (recipient === 'reporter' || recipient === 'recovery') return recipient;
  try {
    return requireAuthor('recipient', recipient);
  } catch {
    fail('recipient: expected "reporter", "recovery" or "adviser:<id>"');
  }
}

/** → {recipient, public_key, wrap} as the API carries wraps (SPEC 3.3). */
export function wrapObject(recipient, publicKey, K) {
  requireRecipient(recipient);
  const pk = bytesArg('recipient public key', publicKey, 32);
  return { recipient, public_key: toB64(pk), wrap: toB64(wrapKey(K, pk)) };
}

// ---------------------------------------------------------------------------
// 3.4 Messages and 3.5 notes (shared shape: signed, padded JSON)

const THREADS = {
  message: { ad: 'meldpunt/v1/message|', sig: 'meldpunt/v1/message-sig|' },
  note: { ad: 'meldpunt/v1/note|', sig: 'meldpunt/v1/note-sig|' },
};

function threadSignedBytes(kind, caseId, label, sealed) {
  requireRandomId('case id', caseId);
  requireBytes(`${kind} ciphertext`, sealed);
  return concat(utf8(THREADS[kind].sig + caseId + '|' + label + '|'), hash32(sealed));
}

function threadPlaintext({ prev, text, id }) {
  const entryId = id === undefined ? newId() : requireRandomId('id', id);
  if (prev !== '') requireRandomId('prev', prev);
  requireString('text', text);
  return { v: 1, id: entryId, prev, text };
}

function checkThreadPlaintext(value, kind) {
  const keys = Object.keys(value).sort().join(',');
  if (keys !== 'id,prev,text,v' || value.v !== 1) fail(`${kind}: unexpected plaintext fields or version`);
  requireRandomId(`${kind} id`, value.id);
  if (value.prev !== '') requireRandomId(`${kind} prev`, value.prev);
  requireString(`${kind} text`, value.text);
  return { v: 1, id: value.id, prev: value.prev, text: value.text };
}

function encryptThread(kind, caseId, label, entry, key, signSecretKey, nonce) {
  const plain = threadPlaintext(entry);
  const sealed = sealJson(plain, MESSAGE_BLOCK, THREADS[kind].ad + caseId + '|' + label, key, nonce);
  const signature = signDetached(threadSignedBytes(kind, caseId, label, sealed), signSecretKey);
  return { id: plain.id, ciphertext: toB64(sealed), signature: toB64(signature) };
}

function decryptThread(kind, caseId, label, { ciphertext, signature }, key, signPublicKeys) {
  const sealed = bytesArg(`${kind} ciphertext`, ciphertext);
  const sig = bytesArg(`${kind} signature`, signature, SIGNATURE_BYTES);
  if (!verifyAny(sig, threadSignedBytes(kind, caseId, label, sealed), signPublicKeys))
    fail(`${kind}: signature does not verify`);
  const value = openJson(sealed, MESSAGE_BLOCK, THREADS[kind].ad + caseId + '|' + label, key, kind);
  return checkThreadPlaintext(value, kind);
}

/** Bytes a message signature covers (SPEC 3.4), for checks and vectors. */
export function messageSignedBytes(caseId, author, sealed) {
  requireAuthor('author', author);
  return threadSignedBytes('message', caseId, author, bytesArg('message ciphertext', sealed));
}

/**
 * Encrypts and signs a message (SPEC 3.4) under K_msg with the author's
 * Ed25519 secret key → {id, ciphertext (b64), signature (b64)}. `prev` is the
 * newest displayed message id or ""; `id` and `nonce` only for vectors.
 */
export function encryptMessage({ caseId, author, prev, text, id }, kMsg, signSecretKey, nonce) {
  requireRandomId('case id', caseId);
  requireAuthor('author', author);
  return encryptThread('message', caseId, author, { prev, text, id }, kMsg, signSecretKey, nonce);
}

/**
 * Verifies (signature under any of `signPublicKeys`, then AD) and decrypts a
 * message → {v, id, prev, text}; throws on any failure.
 */
export function decryptMessage({ caseId, author, ciphertext, signature }, kMsg, signPublicKeys) {
  requireRandomId('case id', caseId);
  requireAuthor('author', author);
  return decryptThread('message', caseId, author, { ciphertext, signature }, kMsg, signPublicKeys);
}

// Notes name their writer by bare adviser id; "adviser:<id>" is accepted too.
function noteWriter({ adviserId, author }) {
  let id = adviserId;
  if (author !== undefined) {
    requireAuthor('author', author);
    if (author === 'reporter') fail('note: the reporter cannot write notes');
    id = author.slice('adviser:'.length);
    if (adviserId !== undefined && adviserId !== id) fail('note: adviserId and author disagree');
  }
  return requireAccountId('adviser id', id);
}

/** Bytes a note signature covers (SPEC 3.5). */
export function noteSignedBytes(caseId, adviserId, sealed) {
  return threadSignedBytes('note', caseId, requireAccountId('adviser id', adviserId),
    bytesArg('note ciphertext', sealed));
}

/**
 * Encrypts and signs an internal note (SPEC 3.5) under the notes key N →
 * {id, ciphertext, signature}. Writer as `adviserId` (or `author`).
 */
export function encryptNote({ caseId, adviserId, author, prev, text, id }, N, signSecretKey, nonce) {
  requireRandomId('case id', caseId);
  const writer = noteWriter({ adviserId, author });
  return encryptThread('note', caseId, writer, { prev, text, id }, N, signSecretKey, nonce);
}

/** Verifies and decrypts a note → {v, id, prev, text}; throws on any failure. */
export function decryptNote({ caseId, adviserId, author, ciphertext, signature }, N, signPublicKeys) {
  requireRandomId('case id', caseId);
  const writer = noteWriter({ adviserId, author });
  return decryptThread('note', caseId, writer, { ciphertext, signature }, N, signPublicKeys);
}

/** A fresh 32-byte notes key N. */
export function newNotesKey() {
  return na().randombytes_buf(KEY_BYTES);
}

/** notes_key_commitment = generichash(32, "meldpunt/v1/notes-key|" + case_id, key = N). */
export function notesKeyCommitment(caseId, N) {
  requireRandomId('case id', caseId);
  requireBytes('notes key', N, KEY_BYTES);
  return hash32(utf8('meldpunt/v1/notes-key|' + caseId), N);
}

/** Bytes the notes-key signature covers. */
export function notesKeySignedBytes(caseId, commitment) {
  requireRandomId('case id', caseId);
  return concat(utf8('meldpunt/v1/notes-key-sig|' + caseId + '|'), bytesArg('notes key commitment', commitment, 32));
}

/** The creator's signature (64 bytes) over the notes-key commitment. */
export function signNotesKeyCommitment(caseId, commitment, signSecretKey) {
  return signDetached(notesKeySignedBytes(caseId, commitment), signSecretKey);
}

/**
 * True iff `commitment` is N's commitment for this case and `signature`
 * (bytes or b64) verifies under one of `signPublicKeys`.
 */
export function verifyNotesKeyCommitment(caseId, N, commitment, signature, signPublicKeys) {
  let c, sig;
  try {
    c = bytesArg('notes key commitment', commitment, 32);
    sig = bytesArg('notes key signature', signature, SIGNATURE_BYTES);
  } catch {
    return false;
  }
  if (!equalBytes(notesKeyCommitment(caseId, N), c)) return false;
  return verifyAny(sig, notesKeySignedBytes(caseId, c), signPublicKeys);
}

/**
 * Orders decrypted messages (or notes) for display, given in server order:
 * → {messages, missing}. Each id is kept once (first occurrence); each kept
 * entry is a copy with `prevMissing` true when its `prev` names no entry of
 * the list; `missing` lists those unknown prev ids. Pages show "a message is
 * missing" when `missing` is not empty.
 */
export function orderMessages(list) {
  if (!Array.isArray(list)) fail('orderMessages: expected an array');
  const known = new Set(list.map((m) => m.id));
  const seen = new Set();
  const missing = new Set();
  const messages = [];
  for (const m of list) {
    if (seen.has(m.id)) continue;
    seen.add(m.id);
    const prevMissing = m.prev !== '' && !known.has(m.prev);
    if (prevMissing) missing.add(m.prev);
    messages.push({ ...m, prevMissing });
  }
  return { messages, missing: [...missing] };
}

// ---------------------------------------------------------------------------
// 3.6 Attachments

function requireSize(size) {
  return requireInteger('attachment size', size, 0, Number.MAX_SAFE_INTEGER - 2 * CHUNK_BYTES);
}

/** Padding block for a file of `size` bytes: max(65536, 2^(floor(log2 size) − 3)). */
export function attachmentBlockSize(size) {
  requireSize(size);
  if (size === 0) return CHUNK_BYTES;
  let exponent = 0;
  while (2 ** (exponent + 1) <= size) exponent++;
  return Math.max(CHUNK_BYTES, 2 ** (exponent - 3));
}

/** Length after sodium_pad to that block (always at least one padding byte). */
export function paddedAttachmentSize(size) {
  const block = attachmentBlockSize(size);
  return (Math.floor(size / block) + 1) * block;
}

/** Length of the encrypted stream for a file of `size` bytes: 24 + n × 65553. */
export function attachmentStreamLength(size) {
  return STREAM_HEADER_BYTES + (paddedAttachmentSize(size) / CHUNK_BYTES) * CHUNK_CIPHER_BYTES;
}

/** The attachment metadata AD string of SPEC 3.6. */
export function attachmentMetaAd(caseId, author, attachmentId) {
  requireRandomId('case id', caseId);
  requireAuthor('author', author);
  requireRandomId('attachment id', attachmentId);
  return 'meldpunt/v1/attachment|' + caseId + '|' + author + '|' + attachmentId;
}

/**
 * Chunk-wise attachment encryptor for a file of exactly `size` bytes under
 * file key F (SPEC 3.6). Returns {header, update(bytes) → ciphertext of the
 * chunks completed, final() → the remaining ciphertext}. The stream is
 * header || update outputs || final output. Padding (0x80 then zeros, as
 * sodium_pad) is added by final(); the last chunk is tagged FINAL.
 */
export function createAttachmentEncryptor(fileKey, size) {
  const s = na();
  requireBytes('file key', fileKey, KEY_BYTES);
  requireSize(size);
  const chunkCount = paddedAttachmentSize(size) / CHUNK_BYTES;
  const { state, header } = s.crypto_secretstream_xchacha20poly1305_init_push(fileKey);
  const buffer = new Uint8Array(CHUNK_BYTES);
  let filled = 0;
  let consumed = 0;
  let chunksOut = 0;
  let finished = false;

  function pushChunk() {
    const last = chunksOut === chunkCount - 1;
    const tag = last ? s.crypto_secretstream_xchacha20poly1305_TAG_FINAL
      : s.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
    const out = s.crypto_secretstream_xchacha20poly1305_push(state, buffer, null, tag);
    wipe(buffer);
    filled = 0;
    chunksOut++;
    return out;
  }

  function update(bytes) {
    requireBytes('attachment bytes', bytes);
    if (finished) fail('attachment encryptor: already finished');
    if (consumed + bytes.length > size) fail('attachment encryptor: more bytes than the declared size');
    const out = [];
    for (let offset = 0; offset < bytes.length;) {
      const n = Math.min(CHUNK_BYTES - filled, bytes.length - offset);
      buffer.set(bytes.subarray(offset, offset + n), filled);
      filled += n;
      offset += n;
      if (filled === CHUNK_BYTES) out.push(pushChunk());
    }
    consumed += bytes.length;
    return concat(...out);
  }

  function final() {
    if (finished) fail('attachment encryptor: already finished');
    if (consumed !== size) fail('attachment encryptor: fewer bytes than the declared size');
    finished = true;
    buffer[filled] = 0x80;
    filled = CHUNK_BYTES;
    const out = [pushChunk()];
    while (chunksOut < chunkCount) out.push(pushChunk());
    return concat(...out);
  }

  return { header, update, final };
}

/**
 * Chunk-wise attachment decryptor for a file whose metadata says `size`.
 * Returns {update(bytes) → plaintext produced so far, final()}. Feed the whole
 * stream (header first) in slices of any length. Throws, and the caller must
 * discard all output, if a chunk does not decrypt, FINAL is missing or not
 * last, bytes follow FINAL, or the unpadded size differs from `size`.
 */
export function createAttachmentDecryptor(fileKey, size) {
  const s = na();
  requireBytes('file key', fileKey, KEY_BYTES);
  requireSize(size);
  const paddedSize = paddedAttachmentSize(size);
  let pending = new Uint8Array(0);
  let state = null;
  let position = 0;
  let finalSeen = false;
  let failed = false;

  function checkPadding(chunk, start) {
    for (let i = Math.max(0, size - start); i < chunk.length; i++) {
      const expected = start + i === size ? 0x80 : 0;
      if (chunk[i] !== expected) fail('attachment: unpadded size differs from the metadata size');
    }
  }

  function pullChunk(cipher) {
    if (finalSeen) fail('attachment: bytes follow the FINAL chunk');
    const r = s.crypto_secretstream_xchacha20poly1305_pull(state, cipher, null);
    if (!r) fail('attachment: a chunk does not decrypt');
    if (r.tag === s.crypto_secretstream_xchacha20poly1305_TAG_FINAL) finalSeen = true;
    else if (r.tag !== s.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE) fail('attachment: unexpected chunk tag');
    if (position + CHUNK_BYTES > paddedSize) fail('attachment: stream longer than its metadata size allows');
    checkPadding(r.message, position);
    const keep = Math.max(0, Math.min(CHUNK_BYTES, size - position));
    position += CHUNK_BYTES;
    return r.message.subarray(0, keep);
  }

  function consume() {
    const out = [];
    if (state === null && pending.length >= STREAM_HEADER_BYTES) {
      state = s.crypto_secretstream_xchacha20poly1305_init_pull(pending.subarray(0, STREAM_HEADER_BYTES), fileKey);
      pending = pending.slice(STREAM_HEADER_BYTES);
    }
    let offset = 0;
    while (state !== null && pending.length - offset >= CHUNK_CIPHER_BYTES) {
      out.push(pullChunk(pending.subarray(offset, offset + CHUNK_CIPHER_BYTES)));
      offset += CHUNK_CIPHER_BYTES;
    }
    pending = pending.slice(offset);
    if (finalSeen && pending.length > 0) fail('attachment: bytes follow the FINAL chunk');
    return concat(...out);
  }

  function guarded(fn) {
    if (failed) fail('attachment decryptor: failed earlier');
    try {
      return fn();
    } catch (e) {
      failed = true;
      throw e;
    }
  }

  function update(bytes) {
    requireBytes('attachment stream', bytes);
    return guarded(() => {
      pending = concat(pending, bytes);
      return consume();
    });
  }

  function final() {
    guarded(() => {
      if (state === null || pending.length > 0) fail('attachment: stream truncated');
      if (!finalSeen) fail('attachment: FINAL chunk missing');
      if (position !== paddedSize) fail('attachment: unpadded size differs from the metadata size');
    });
  }

  return { update, final };
}

function attachmentMeta({ attachmentId, name, type, size, fileKey }) {
  requireString('attachment name', name, 1024);
  requireString('attachment type', type, 255);
  return { id: attachmentId, name, type, size, file_key: toB64(fileKey) };
}

/**
 * Encrypts a whole file (SPEC 3.6) → {attachmentId (b64), stream (Uint8Array),
 * meta (b64 AEAD of the padded metadata)}. `author` is "reporter" or
 * "adviser:<id>"; `attachmentId` is drawn when omitted. `options.fileKey`
 * and `options.nonce` exist only for vectors.
 */
export function encryptAttachment({ caseId, author, attachmentId, name, type, bytes }, kMsg, options = {}) {
  requireBytes('attachment bytes', bytes);
  const id = attachmentId === undefined ? newId() : attachmentId;
  const ad = attachmentMetaAd(caseId, author, id);
  const fileKey = options.fileKey
    ? requireBytes('file key', options.fileKey, KEY_BYTES) : na().randombytes_buf(KEY_BYTES);
  try {
    const enc = createAttachmentEncryptor(fileKey, bytes.length);
    const stream = concat(enc.header, enc.update(bytes), enc.final());
    const meta = toB64(sealJson(attachmentMeta({ attachmentId: id, name, type, size: bytes.length, fileKey }),
      META_BLOCK, ad, kMsg, options.nonce));
    if (meta.length > META_MAX_CHARS) fail('attachment: metadata too long (shorten the file name)');
    return { attachmentId: id, stream, meta };
  } finally {
    if (!options.fileKey) wipe(fileKey);
  }
}

/**
 * Opens attachment metadata (b64) → {id, name, type, size, fileKey}; throws
 * if it does not decrypt under this case/author/attachment id or is malformed.
 */
export function decryptAttachmentMeta({ caseId, author, attachmentId, meta }, kMsg) {
  const ad = attachmentMetaAd(caseId, author, attachmentId);
  if (typeof meta !== 'string' || meta.length > META_MAX_CHARS) fail('attachment metadata: too long or not text');
  const value = openJson(fromB64(meta, undefined, 'attachment metadata'), META_BLOCK, ad, kMsg, 'attachment metadata');
  const keys = Object.keys(value).sort().join(',');
  if (keys !== 'file_key,id,name,size,type') fail('attachment metadata: unexpected fields');
  if (value.id !== attachmentId) fail('attachment metadata: id differs from the attachment id');
  requireString('attachment name', value.name, 1024);
  requireString('attachment type', value.type, 255);
  requireSize(value.size);
  return { id: value.id, name: value.name, type: value.type, size: value.size,
    fileKey: fromB64(value.file_key, KEY_BYTES, 'file key') };
}

/**
 * Decrypts a whole attachment: metadata, then the stream (Uint8Array) →
 * {name, type, size, bytes}; throws on any failure of SPEC 3.6.
 */
export function decryptAttachment({ caseId, author, attachmentId, stream, meta }, kMsg) {
  requireBytes('attachment stream', stream);
  const m = decryptAttachmentMeta({ caseId, author, attachmentId, meta }, kMsg);
  try {
    const dec = createAttachmentDecryptor(m.fileKey, m.size);
    const bytes = dec.update(stream);
    dec.final();
    return { name: m.name, type: m.type, size: m.size, bytes };
  } finally {
    wipe(m.fileKey);
  }
}

// ---------------------------------------------------------------------------
// 3.9 Proof of work and the reporter login (section 4)

function requireDifficulty(d) {
  return requireInteger('difficulty', d, 0, 256);
}

/**
 * True iff h = generichash(32, challenge || pow_nonce) has, for all i < d,
 * ((h[i >> 3] >> (7 − (i & 7))) & 1) == 0 (SPEC 3.9).
 */
export function powValid(challenge, powNonce, d) {
  const c = bytesArg('challenge', challenge, POW_CHALLENGE_BYTES);
  const n = bytesArg('pow nonce', powNonce, POW_NONCE_BYTES);
  requireDifficulty(d);
  return hashMeetsDifficulty(hash32(concat(c, n)), d);
}

function hashMeetsDifficulty(h, d) {
  for (let i = 0; i < d; i++) if (((h[i >> 3] >> (7 - (i & 7))) & 1) !== 0) return false;
  return true;
}

/**
 * Finds an 8-byte pow_nonce (a little-endian counter) valid for `challenge`
 * at difficulty d ≤ 32. Synchronous: run it in a Worker in pages.
 */
export function solvePow(challenge, d) {
  const c = bytesArg('challenge', challenge, POW_CHALLENGE_BYTES);
  requireInteger('difficulty', d, 0, 32);
  const input = new Uint8Array(POW_CHALLENGE_BYTES + POW_NONCE_BYTES);
  input.set(c);
  const view = new DataView(input.buffer, POW_CHALLENGE_BYTES);
  for (let high = 0; high < 2 ** 32; high++) {
    view.setUint32(4, high, true);
    for (let low = 0; low < 2 ** 32; low++) {
      view.setUint32(0, low, true);
      if (hashMeetsDifficulty(hash32(input), d)) return input.slice(POW_CHALLENGE_BYTES);
    }
  }
  fail('solvePow: no nonce found');
}

/** Bytes the reporter login signature covers: label || challenge. */
export function reporterLoginMessage(challenge) {
  const c = bytesArg('login challenge', challenge, 32);
  return concat(utf8('meldpunt/v1/reporter-login|'), c);
}

/** Ed25519 signature (64 bytes) over "meldpunt/v1/reporter-login|" || challenge. */
export function reporterLoginSignature(challenge, signSecretKey) {
  return signDetached(reporterLoginMessage(challenge), signSecretKey);
}

// ---------------------------------------------------------------------------
// 3.8 Certificates, adviser entries and routing

// organisations/topics → "*" or ascending byte-order ids joined by ",".
function scopeField(name, value) {
  if (value === '*' || (Array.isArray(value) && value.length === 1 && value[0] === '*')) return '*';
  if (!Array.isArray(value) || value.length === 0) fail(`${name}: expected "*" or a non-empty array of ids`);
  value.forEach((id, i) => requireSlug(`${name}[${i}]`, id));
  const sorted = [...value].sort(compareUtf8);
  for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) fail(`${name}: duplicate id`);
  return sorted.join(',');
}

/**
 * The bytes a key certificate signs (SPEC 3.8): "meldpunt/v1/adviser-cert|" +
 * id + "|" + b64(name) + "|" + role + "|" + organisations + "|" + topics + "|"
 * + not_after + "|" || encryption_public_key || sign_public_key.
 */
export function certificateMessage({ id, name, role, organisations, topics, notAfter,
  encryptionPublicKey, signPublicKey }) {
  requireAccountId('certificate id', id);
  requireString('certificate name', name, 1024);
  if (!ADVISER_KINDS.includes(role)) fail('certificate role: expected adviser or coordinator');
  const text = 'meldpunt/v1/adviser-cert|' + id + '|' + toB64(utf8(name)) + '|' + role + '|' +
    scopeField('organisations', organisations) + '|' + scopeField('topics', topics) + '|' +
    requireDate('not_after', notAfter) + '|';
  return concat(utf8(text), bytesArg('encryption public key', encryptionPublicKey, 32),
    bytesArg('sign public key', signPublicKey, 32));
}

/** Signs a certificate with the desk certification secret key (tests, tooling). */
export function signCertificate(fields, certSecretKey) {
  return signDetached(certificateMessage(fields), certSecretKey);
}

// The fields a key's certificate covers. A key may carry the name, role and
// scope it was certified with (older keys after a rename or scope change);
// otherwise the entry's current ones apply.
function certifiedFields(entry, key) {
  const scope = key.scope ?? entry.scope ?? {};
  return {
    id: entry.id,
    name: key.name ?? entry.name,
    role: key.role ?? entry.role,
    organisations: scope.organisations,
    topics: scope.topics,
    notAfter: key.not_after,
    encryptionPublicKey: key.encryption_public_key,
    signPublicKey: key.sign_public_key,
  };
}

function certificateVerifies(entry, key, pin) {
  try {
    const signature = fromB64(key.certificate, SIGNATURE_BYTES, 'certificate');
    return na().crypto_sign_verify_detached(signature, certificateMessage(certifiedFields(entry, key)), pin);
  } catch {
    return false;
  }
}

/**
 * True iff `key` (one of entry.keys) has a certificate that verifies under the
 * pinned certification key for this entry and is not expired: not_after ≥
 * `createdOn` when given (a message written while the key was valid), else
 * not_after ≥ `today` (default: today's UTC date).
 */
export function verifyAdviserKey(entry, key, pinnedCertPublicKey, { today, createdOn } = {}) {
  const pin = bytesArg('pinned certification key', pinnedCertPublicKey, 32);
  const day = requireDate(createdOn !== undefined ? 'createdOn' : 'today', createdOn ?? today ?? todayUtc());
  if (entry === null || typeof entry !== 'object' || key === null || typeof key !== 'object') return false;
  if (typeof key.not_after !== 'string' || !DATE_RE.test(key.not_after) || key.not_after < day) return false;
  return certificateVerifies(entry, key, pin);
}

function scopeIncludes(list, id) {
  if (list === '*') return true;
  return Array.isArray(list) && (list.includes(id) || list.includes('*'));
}

function isStar(list) {
  return list === '*' || (Array.isArray(list) && list.length === 1 && list[0] === '*');
}

/**
 * True iff an entry ({role, scope}) qualifies for routing tier 1, 2 or 3 of
 * (organisation, topic) (SPEC 5): 1 — adviser or coordinator whose scope
 * covers both ("*" covers all); 2 — coordinator whose organisations include
 * it, topics "*"; 3 — coordinator with "*"/"*".
 */
export function fitsTier(entry, organisation, topic, tier) {
  requireSlug('organisation', organisation);
  requireSlug('topic', topic);
  const scope = entry?.scope ?? {};
  const role = entry?.role;
  if (tier === 1) return ADVISER_KINDS.includes(role) && scopeIncludes(scope.organisations, organisation) &&
    scopeIncludes(scope.topics, topic);
  if (tier === 2) return role === 'coordinator' && scopeIncludes(scope.organisations, organisation) &&
    isStar(scope.topics);
  if (tier === 3) return role === 'coordinator' && isStar(scope.organisations) && isStar(scope.topics);
  return false;
}

/** Key fingerprint: first 16 bytes of generichash(32, enc || sign), lowercase hex in groups of 4. */
export function fingerprint(encryptionPublicKey, signPublicKey) {
  const h = hash32(concat(bytesArg('encryption public key', encryptionPublicKey, 32),
    bytesArg('sign public key', signPublicKey, 32)));
  const hex = na().to_hex(h.subarray(0, 16));
  return hex.match(/.{4}/g).join(' ');
}

/** The entry's one key marked current; throws if there is not exactly one. */
export function currentKey(entry) {
  const keys = Array.isArray(entry?.keys) ? entry.keys.filter((k) => k && k.current === true) : [];
  if (keys.length !== 1) fail(`adviser ${describe(entry)}: expected exactly one current key`);
  return keys[0];
}

function describe(entry) {
  return typeof entry?.name === 'string' ? JSON.stringify(entry.name.slice(0, 80)) : '(unnamed)';
}

/**
 * Wraps K for an adviser entry's current key after checking its certificate
 * (pinned key, unexpired at `today`) and, when `tier` is given, that the
 * certified role and scope fit that tier for (organisation, topic). Returns a
 * wrap object; throws a message naming the adviser otherwise.
 */
export function wrapForAdviser(K, entry, pinnedCertPublicKey, { today, organisation, topic, tier } = {}) {
  requireAccountId('adviser id', entry?.id);
  const key = currentKey(entry);
  if (!verifyAdviserKey(entry, key, pinnedCertPublicKey, { today }))
    fail(`adviser ${describe(entry)}: key certificate does not verify or has expired`);
  if (tier !== undefined) {
    const certified = certifiedFields(entry, key);
    const view = { role: certified.role, scope: { organisations: certified.organisations, topics: certified.topics } };
    if (!fitsTier(view, organisation, topic, tier))
      fail(`adviser ${describe(entry)}: certified scope does not fit routing tier ${tier}`);
  }
  return wrapObject('adviser:' + entry.id, key.encryption_public_key, K);
}

/** Wraps K for the pinned desk recovery key. */
export function wrapForRecovery(K, pins) {
  return wrapObject('recovery', bytesArg('pinned recovery key', pins?.recovery, 32), K);
}

function checkRouting(routing, excluded) {
  if (!Array.isArray(routing?.advisers)) fail('routing: advisers missing');
  const ids = new Set();
  for (const entry of routing.advisers) {
    requireAccountId('routing adviser id', entry?.id);
    if (ids.has(entry.id)) fail('routing: an adviser appears twice');
    ids.add(entry.id);
    if (![1, 2, 3].includes(entry.tier)) fail(`routing: adviser ${describe(entry)} has no valid tier`);
  }
  if (new Set(routing.advisers.map((e) => e.tier)).size > 1) fail('routing: entries of different tiers');
  const coordinators = Array.isArray(routing.coordinators) ? routing.coordinators.map((c) => c?.id) : [];
  if (!Array.isArray(excluded)) fail('excluded: expected an array of adviser ids');
  for (const id of excluded) {
    requireAccountId('excluded id', id);
    if (!ids.has(id) && !coordinators.includes(id)) fail('excluded: an id that is not in the routing');
  }
}

/**
 * Seals case key K for every routed adviser not in `excluded` (SPEC 3.3, 3.8,
 * 5) → [{recipient, public_key, wrap}]. Throws, producing nothing, if any
 * chosen adviser's current key fails its certificate check (pinned
 * `pins.certification`, expiry at `today`, tier fit) or if no adviser wrap
 * would result.
 */
export function sealCaseKeyForRouting({ K, routing, pins, organisation, topic, excluded = [], today }) {
  requireBytes('case key', K, KEY_BYTES);
  requireSlug('organisation', organisation);
  requireSlug('topic', topic);
  checkRouting(routing, excluded);
  const chosen = routing.advisers.filter((entry) => !excluded.includes(entry.id));
  if (chosen.length === 0) fail('routing: no adviser would receive the case; keep at least one');
  return chosen.map((entry) => wrapForAdviser(K, entry, pins?.certification,
    { today, organisation, topic, tier: entry.tier }));
}

/**
 * All key_wraps of a new report: routed advisers (as sealCaseKeyForRouting),
 * the reporter box key and the pinned recovery key. Opens the reporter wrap
 * with `reporterBoxSecretKey` as the self-check of SPEC 3.3.
 */
export function caseKeyWraps({ K, routing, pins, organisation, topic, excluded = [], today,
  reporterBoxPublicKey, reporterBoxSecretKey }) {
  const wraps = sealCaseKeyForRouting({ K, routing, pins, organisation, topic, excluded, today });
  const reporter = wrapObject('reporter', reporterBoxPublicKey, K);
  const reopened = openWrap(reporter.wrap, reporterBoxPublicKey, reporterBoxSecretKey);
  try {
    if (!equalBytes(reopened, K)) fail('reporter wrap: self-check failed');
  } finally {
    wipe(reopened);
  }
  return [...wraps, reporter, wrapForRecovery(K, pins)];
}

/**
 * The signing public keys under which a message by `author` verifies:
 * "reporter" → [reporterSignPublicKey]; "adviser:<id>" → the sign keys of that
 * entry in `advisers` whose certificate verifies under the pin with
 * not_after ≥ createdOn. Empty when none.
 */
export function authorSignKeys(author, { reporterSignPublicKey, advisers = [], pinnedCertPublicKey, createdOn }) {
  requireAuthor('author', author);
  if (author === 'reporter') return [bytesArg('reporter sign public key', reporterSignPublicKey, 32)];
  const id = author.slice('adviser:'.length);
  const entry = advisers.find((e) => e?.id === id);
  if (!entry || !Array.isArray(entry.keys)) return [];
  return entry.keys
    .filter((key) => verifyAdviserKey(entry, key, pinnedCertPublicKey, { createdOn }))
    .map((key) => fromB64(key.sign_public_key, 32, 'sign public key'));
}

// ---------------------------------------------------------------------------
// 3.10 Proof of submission

/** desk_key_id: the first 8 bytes of generichash(32, desk signing public key). */
export function deskKeyId(deskSignPublicKey) {
  return hash32(bytesArg('desk signing public key', deskSignPublicKey, 32)).slice(0, 8);
}

/** The bytes the desk signs for a proof file object (SPEC 3.10). */
export function proofMessage(proof) {
  requireRandomId('proof case_id', proof?.case_id);
  requireDate('proof received_on', proof.received_on);
  requireSlug('proof organisation', proof.organisation);
  requireSlug('proof topic', proof.topic);
  const ciphertext = fromB64(proof.report_ciphertext, undefined, 'proof report_ciphertext');
  return concat(
    utf8('meldpunt/v1/proof|' + proof.case_id + '|' + proof.received_on + '|' + proof.organisation + '|' +
      proof.topic + '|'),
    hash32(ciphertext),
    fromB64(proof.key_commitment, 32, 'proof key_commitment'));
}

/** Signs a proof object with the desk signing key → its complete proof file (tests, vectors). */
export function signProof(proof, deskSignSecretKey) {
  requireBytes('desk signing secret key', deskSignSecretKey, 64);
  const deskPk = deskSignSecretKey.subarray(32);
  const body = { v: 1, ...proof, desk_key_id: toB64(deskKeyId(deskPk)) };
  delete body.signature;
  return { ...body, signature: toB64(signDetached(proofMessage(body), deskSignSecretKey)) };
}

/**
 * True iff the proof file has v 1, desk_key_id of the pinned desk signing
 * key, a valid reporter_sign_public_key and a signature that verifies under
 * the pinned key. Malformed proofs give false.
 */
export function verifyProof(proof, pinnedSigningPublicKey) {
  const pin = bytesArg('pinned signing key', pinnedSigningPublicKey, 32);
  try {
    if (proof?.v !== 1) return false;
    fromB64(proof.reporter_sign_public_key, 32, 'proof reporter_sign_public_key');
    if (!equalBytes(fromB64(proof.desk_key_id, 8, 'proof desk_key_id'), deskKeyId(pin))) return false;
    const signature = fromB64(proof.signature, SIGNATURE_BYTES, 'proof signature');
    return na().crypto_sign_verify_detached(signature, proofMessage(proof), pin);
  } catch {
    return false;
  }
}

/** The "disclosure key": K_report as base64url text. */
export function disclosureKey(kReport) {
  return toB64(requireBytes('K_report', kReport, KEY_BYTES));
}

/**
 * Checks a disclosure against a proof file: the key matches key_commitment and
 * opens report_ciphertext under the proof's AD fields → the report object.
 */
export function openDisclosure(proof, disclosureKeyText) {
  const kReport = fromB64(disclosureKeyText, KEY_BYTES, 'disclosure key');
  if (!checkKeyCommitment(kReport, proof?.key_commitment)) fail('disclosure: key does not match the key commitment');
  return decryptReport(proof.report_ciphertext, { organisation: proof.organisation, topic: proof.topic,
    reporterSignPublicKey: proof.reporter_sign_public_key }, kReport);
}

// ---------------------------------------------------------------------------
// 3.7 Adviser keys and login

/**
 * Argon2id13 of the passphrase (NFC) → {authKey, kek} (32 bytes each). Refuses
 * opslimit < 3 or memlimit < 64 MiB (and absurd values above 32 / 1 GiB) from
 * any server. Slow by design: run it in a Worker in pages.
 */
export function derivePassphraseKeys(passphrase, salt, opslimit, memlimit) {
  const s = na();
  requireString('passphrase', passphrase, 4096);
  if (passphrase.length === 0) fail('passphrase: empty');
  const saltBytes = bytesArg('salt', salt, SALT_BYTES);
  requireInteger('opslimit', opslimit, PWHASH_MIN_OPSLIMIT, PWHASH_MAX_OPSLIMIT);
  requireInteger('memlimit', memlimit, PWHASH_MIN_MEMLIMIT, PWHASH_MAX_MEMLIMIT);
  const password = utf8(passphrase.normalize('NFC'));
  const out = s.crypto_pwhash(64, password, saltBytes, opslimit, memlimit, s.crypto_pwhash_ALG_ARGON2ID13);
  const keys = { authKey: out.slice(0, 32), kek: out.slice(32, 64) };
  wipe(password);
  wipe(out);
  return keys;
}

/** A fresh random 16-byte pwhash salt. */
export function newSalt() {
  return na().randombytes_buf(SALT_BYTES);
}

/** Adviser signing key pair from the X25519 secret key: seed kdf(sk, 1, "meldadvs"). */
export function adviserSigningKeys(x25519SecretKey) {
  requireBytes('X25519 secret key', x25519SecretKey, 32);
  const seed = kdf(x25519SecretKey, 1, 'meldadvs');
  try {
    const kp = na().crypto_sign_seed_keypair(seed);
    return { signPublicKey: kp.publicKey, signSecretKey: kp.privateKey };
  } finally {
    wipe(seed);
  }
}

/** A fresh adviser key set {encryptionPublicKey, encryptionSecretKey, signPublicKey, signSecretKey}. */
export function newAdviserKeys() {
  const kp = na().crypto_box_keypair();
  return { encryptionPublicKey: kp.publicKey, encryptionSecretKey: kp.privateKey,
    ...adviserSigningKeys(kp.privateKey) };
}

function secretKeyAd(adviserId, encryptionPublicKey) {
  requireAccountId('adviser id', adviserId);
  const pk = bytesArg('encryption public key', encryptionPublicKey, 32);
  return 'meldpunt/v1/adviser-key|' + adviserId + '|' + toB64(pk);
}

function requireMatchingPair(sk, pk) {
  const derived = na().crypto_scalarmult_base(sk);
  const ok = equalBytes(derived, pk);
  wipe(derived);
  if (!ok) fail('adviser key: secret key does not match the public key');
}

/** encrypted_secret_key = AEAD(sk, "meldpunt/v1/adviser-key|" + id + "|" + b64(pk), kek). */
export function sealSecretKey(sk, adviserId, encryptionPublicKey, kek, nonce) {
  requireBytes('X25519 secret key', sk, 32);
  const ad = secretKeyAd(adviserId, encryptionPublicKey);
  requireMatchingPair(sk, bytesArg('encryption public key', encryptionPublicKey, 32));
  return aeadSeal(sk, ad, kek, nonce);
}

/** Opens encrypted_secret_key (bytes or b64) and checks scalarmult_base(sk) == pk → sk. */
export function openSecretKey(sealed, adviserId, encryptionPublicKey, kek) {
  const ad = secretKeyAd(adviserId, encryptionPublicKey);
  const sk = aeadOpen(bytesArg('encrypted secret key', sealed), ad, kek, 'encrypted secret key');
  try {
    requireBytes('X25519 secret key', sk, 32);
    requireMatchingPair(sk, bytesArg('encryption public key', encryptionPublicKey, 32));
  } catch (e) {
    wipe(sk);
    throw e;
  }
  return sk;
}

/** Server side: auth_hash = generichash(32, "meldpunt/v1/auth|" || auth_key, key = server_auth_key). */
export function authHash(authKey, serverAuthKey) {
  return hash32(concat(utf8('meldpunt/v1/auth|'), bytesArg('auth key', authKey, 32)),
    requireBytes('server auth key', serverAuthKey, 32));
}

// ASCII-only lowercasing, as the C side does it (locale-free).
function lowercaseAscii(text) {
  return text.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x20));
}

/** Server side: the prelogin salt of an unknown email (first 16 bytes of a keyed hash). */
export function preloginFakeSalt(email, preloginKey) {
  requireString('email', email, 320);
  return hash32(utf8(lowercaseAscii(email)), requireBytes('prelogin key', preloginKey, 32)).slice(0, 16);
}

// ---------------------------------------------------------------------------
// Section 5: audit chain

/**
 * Canonical JSON (SPEC 0): keys sorted by UTF-8 byte order, no whitespace,
 * strings escaped as JSON.stringify (and cJSON) do. Numbers must be integers
 * with |n| < 10^15; undefined, functions and other numbers throw.
 */
export function canonicalJson(value) {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isSafeInteger(value) || Math.abs(value) >= 1e15) fail('canonicalJson: only integers below 10^15');
      return String(value);
    case 'string':
      return JSON.stringify(requireString('canonicalJson string', value, Number.MAX_SAFE_INTEGER));
    case 'object':
      if (Array.isArray(value)) return '[' + value.map(canonicalJson).join(',') + ']';
      return '{' + Object.keys(value).sort(compareUtf8)
        .map((k) => JSON.stringify(requireString('canonicalJson key', k)) + ':' + canonicalJson(value[k]))
        .join(',') + '}';
    default:
      fail(`canonicalJson: cannot encode ${typeof value}`);
  }
}

/** hash = generichash(32, prev_hash || entry); entry as bytes or canonical JSON text. */
export function auditHash(prevHash, entryBytes) {
  requireBytes('previous audit hash', prevHash, 32);
  const entry = typeof entryBytes === 'string' ? utf8(entryBytes) : requireBytes('audit entry', entryBytes);
  return hash32(concat(prevHash, entry));
}

/** The bytes the daily audit head signature covers: "meldpunt/v1/audit-head|" + date + "|" || head. */
export function auditHeadMessage(date, head) {
  requireDate('audit head date', date);
  return concat(utf8('meldpunt/v1/audit-head|' + date + '|'), requireBytes('audit head', head, 32));
}
