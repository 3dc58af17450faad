// Attachments (SPEC 3.6): padding rule, stream layout, chunk-wise API, and
// every way a reader must fail.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mc, sodium, uuid } from './helpers.mjs';

const caseId = mc.newId();
const kMsg = mc.caseSubkeys(mc.newCaseKey()).msg;
const TAG_MESSAGE = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
const TAG_FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL;

function fileOf(size) {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 7 + 3) & 0xff;
  return bytes;
}

// A stream built by hand: sodium_pad(bytes) cut into 65536-byte chunks with the given tags.
function craftStream(fileKey, bytes, tags) {
  const padded = sodium.pad(bytes, mc.attachmentBlockSize(bytes.length));
  const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(fileKey);
  const chunks = [header];
  const count = padded.length / 65536;
  for (let i = 0; i < count; i++)
    chunks.push(sodium.crypto_secretstream_xchacha20poly1305_push(state, padded.subarray(i * 65536, (i + 1) * 65536),
      null, tags(i, count)));
  return mc.concat(...chunks);
}

function encrypted(size, author = 'reporter') {
  const bytes = fileOf(size);
  const fileKey = sodium.randombytes_buf(32);
  const out = mc.encryptAttachment({ caseId, author, name: 'bestand.pdf', type: 'application/pdf', bytes }, kMsg, { fileKey });
  return { bytes, fileKey, ...out, input: { caseId, author, attachmentId: out.attachmentId, stream: out.stream, meta: out.meta } };
}

test('padding block rule: max(65536, 2^(floor(log2 size) - 3)), 65536 for size 0', () => {
  const table = [[0, 65536], [1, 65536], [65536, 65536], [524287, 65536], [524288, 65536], [524289, 65536],
    [1048575, 65536], [1048576, 131072], [3 * 1048576, 262144], [25 * 1048576, 2097152]];
  for (const [size, block] of table) assert.equal(mc.attachmentBlockSize(size), block, `size ${size}`);
  assert.equal(mc.paddedAttachmentSize(0), 65536);
  assert.equal(mc.paddedAttachmentSize(65535), 65536);
  assert.equal(mc.paddedAttachmentSize(65536), 131072, 'sodium_pad always adds a byte');
  assert.equal(mc.paddedAttachmentSize(1048576), 1048576 + 131072);
  assert.equal(mc.attachmentStreamLength(10), 24 + 65553);
  assert.throws(() => mc.attachmentBlockSize(-1), /size/);
  assert.throws(() => mc.attachmentBlockSize(1.5), /size/);
});

test('round trip: empty, tiny and multi-chunk files; stream is 24 + n x 65553', () => {
  for (const size of [0, 1, 65535, 65536, 200000]) {
    const a = encrypted(size, 'adviser:' + uuid());
    assert.equal(a.stream.length, mc.attachmentStreamLength(size));
    assert.equal((a.stream.length - 24) % 65553, 0);
    assert.ok(a.stream.length >= 24 + 65553);
    assert.equal(mc.fromB64(a.attachmentId).length, 16);
    const out = mc.decryptAttachment(a.input, kMsg);
    assert.deepEqual(out.bytes, a.bytes, `size ${size}`);
    assert.equal(out.size, size);
    assert.equal(out.name, 'bestand.pdf');
    assert.equal(out.type, 'application/pdf');
  }
});

test('stream content is sodium_pad of the file, FINAL only on the last chunk', () => {
  const a = encrypted(140000);
  const state = sodium.crypto_secretstream_xchacha20poly1305_init_pull(a.stream.subarray(0, 24), a.fileKey);
  const plain = [];
  const tags = [];
  for (let off = 24; off < a.stream.length; off += 65553) {
    const r = sodium.crypto_secretstream_xchacha20poly1305_pull(state, a.stream.subarray(off, off + 65553), null);
    plain.push(r.message);
    tags.push(r.tag);
  }
  assert.deepEqual(tags, [TAG_MESSAGE, TAG_MESSAGE, TAG_FINAL]);
  assert.deepEqual(mc.concat(...plain), sodium.pad(a.bytes, 65536));
});

test('metadata: padded to 256, bound to case, author and attachment id', () => {
  const a = encrypted(10);
  assert.equal((mc.fromB64(a.meta).length - 40) % 256, 0);
  const meta = mc.decryptAttachmentMeta(a.input, kMsg);
  assert.equal(meta.id, a.attachmentId);
  assert.deepEqual(meta.fileKey, a.fileKey);
  assert.equal(meta.size, 10);
  assert.throws(() => mc.decryptAttachment({ ...a.input, caseId: mc.newId() }, kMsg), /does not decrypt/);
  assert.throws(() => mc.decryptAttachment({ ...a.input, author: 'adviser:' + uuid() }, kMsg), /does not decrypt/);
  assert.throws(() => mc.decryptAttachment({ ...a.input, attachmentId: mc.newId() }, kMsg), /does not decrypt/);
  assert.throws(() => mc.decryptAttachment(a.input, mc.newCaseKey()), /does not decrypt/);
  assert.throws(() => mc.decryptAttachment({ ...a.input, meta: a.meta.slice(0, -4) }, kMsg), /metadata/);
});

test('metadata longer than 4 KiB of base64 is refused', () => {
  const at = (name) => mc.encryptAttachment({ caseId, author: 'reporter', name, type: 'text/plain', bytes: fileOf(1) }, kMsg);
  assert.ok(at('\u20ac'.repeat(800)).meta.length <= 4096);
  assert.throws(() => at('\u20ac'.repeat(1000)), /metadata too long/);
  assert.throws(() => at('n'.repeat(1025)), /name/);
});

test('reader fails when FINAL is missing', () => {
  const a = encrypted(100);
  const stream = craftStream(a.fileKey, a.bytes, () => TAG_MESSAGE);
  assert.equal(stream.length, a.stream.length);
  assert.throws(() => mc.decryptAttachment({ ...a.input, stream }, kMsg), /FINAL chunk missing/);
});

test('reader fails when FINAL is not the last chunk', () => {
  const a = encrypted(70000);
  const stream = craftStream(a.fileKey, a.bytes, (i) => (i === 0 ? TAG_FINAL : TAG_MESSAGE));
  assert.throws(() => mc.decryptAttachment({ ...a.input, stream }, kMsg), /follow the FINAL/);
  const twice = craftStream(a.fileKey, a.bytes, () => TAG_FINAL);
  assert.throws(() => mc.decryptAttachment({ ...a.input, stream: twice }, kMsg), /follow the FINAL/);
});

test('reader fails on bytes after FINAL, truncation and tampering', () => {
  const a = encrypted(100);
  for (const extra of [1, 17, 65553]) {
    const stream = mc.concat(a.stream, new Uint8Array(extra));
    assert.throws(() => mc.decryptAttachment({ ...a.input, stream }, kMsg), /follow the FINAL/, `+${extra}`);
  }
  assert.throws(() => mc.decryptAttachment({ ...a.input, stream: a.stream.subarray(0, a.stream.length - 1) }, kMsg),
    /truncated/);
  assert.throws(() => mc.decryptAttachment({ ...a.input, stream: a.stream.subarray(0, 20) }, kMsg), /truncated/);
  const bad = a.stream.slice();
  bad[1000] ^= 1;
  assert.throws(() => mc.decryptAttachment({ ...a.input, stream: bad }, kMsg), /does not decrypt/);
  const badHeader = a.stream.slice();
  badHeader[0] ^= 1;
  assert.throws(() => mc.decryptAttachment({ ...a.input, stream: badHeader }, kMsg), /does not decrypt/);
  const other = encrypted(100);
  assert.throws(() => mc.decryptAttachment({ ...a.input, stream: other.stream }, kMsg), /does not decrypt/, 'other file key');
});

test('reader fails when the unpadded size differs from the metadata size', () => {
  const a = encrypted(100);
  for (const size of [99, 101, 0]) {
    const enc = mc.createAttachmentEncryptor(a.fileKey, size);
    const stream = mc.concat(enc.header, enc.update(fileOf(size)), enc.final());
    assert.throws(() => mc.decryptAttachment({ ...a.input, stream }, kMsg), /size/, `stream of ${size}`);
  }
  const big = mc.createAttachmentEncryptor(a.fileKey, 70000);
  const longer = mc.concat(big.header, big.update(fileOf(70000)), big.final());
  assert.throws(() => mc.decryptAttachment({ ...a.input, stream: longer }, kMsg), /longer|size/);
  // Raw decryptor with a declared size larger than the content.
  const dec = mc.createAttachmentDecryptor(a.fileKey, 200000);
  assert.throws(() => { dec.update(a.stream); dec.final(); }, /size/);
});

test('chunk-wise API: any slicing of input and output gives the same result', () => {
  const bytes = fileOf(150001);
  const fileKey = sodium.randombytes_buf(32);
  const enc = mc.createAttachmentEncryptor(fileKey, bytes.length);
  const parts = [enc.header];
  for (let off = 0; off < bytes.length; off += 40000) parts.push(enc.update(bytes.subarray(off, off + 40000)));
  parts.push(enc.final());
  const stream = mc.concat(...parts);
  assert.equal(stream.length, mc.attachmentStreamLength(bytes.length));
  const dec = mc.createAttachmentDecryptor(fileKey, bytes.length);
  const out = [];
  for (let off = 0; off < stream.length; off += 9999) out.push(dec.update(stream.subarray(off, off + 9999)));
  dec.final();
  assert.deepEqual(mc.concat(...out), bytes);
});

test('chunk-wise API: misuse is refused', () => {
  const fileKey = sodium.randombytes_buf(32);
  const enc = mc.createAttachmentEncryptor(fileKey, 10);
  assert.throws(() => enc.update(new Uint8Array(11)), /more bytes/);
  enc.update(new Uint8Array(5));
  assert.throws(() => enc.final(), /fewer bytes/);
  assert.throws(() => mc.createAttachmentEncryptor(fileKey.subarray(1), 10), /32 bytes/);
  const dec = mc.createAttachmentDecryptor(fileKey, 10);
  assert.throws(() => dec.final(), /truncated/);
  assert.throws(() => dec.update(new Uint8Array(1)), /failed earlier/);
});
