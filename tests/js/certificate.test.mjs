// Key certificates, routing tiers and sealing a case key to the routing
// (SPEC 3.3, 3.8 and section 5).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mc, sodium, deskKeys, certifiedAdviser, uuid } from './helpers.mjs';

const today = '2025-06-01';
const desk = deskKeys();

function seal(routing, { excluded = [], organisation = 'bzk', topic = 'racism', pins = desk.pins, K = mc.newCaseKey() } = {}) {
  return mc.sealCaseKeyForRouting({ K, routing, pins, organisation, topic, excluded, today });
}

// --- certificate message -------------------------------------------------------

test('certificateMessage: exact layout, sorted scope lists, name as base64url', () => {
  const enc = sodium.randombytes_buf(32);
  const sign = sodium.randombytes_buf(32);
  const id = uuid();
  const fields = { id, name: 'Anna Ölçer', role: 'coordinator', organisations: ['minfin', 'bzk', 'def'],
    topics: '*', notAfter: '2026-01-31', encryptionPublicKey: enc, signPublicKey: sign };
  const text = `meldpunt/v1/adviser-cert|${id}|${mc.toB64(mc.utf8('Anna Ölçer'))}|coordinator|bzk,def,minfin|*|2026-01-31|`;
  assert.deepEqual(mc.certificateMessage(fields), mc.concat(mc.utf8(text), enc, sign));
  assert.deepEqual(mc.certificateMessage({ ...fields, topics: ['*'] }), mc.certificateMessage(fields));
  assert.deepEqual(mc.certificateMessage({ ...fields, organisations: ['def', 'minfin', 'bzk'] }), mc.certificateMessage(fields));
  const bad = { organisations: ['bzk', 'bzk'], topics: ['*', 'racism'], role: 'admin', notAfter: '2026-02-30',
    id: 'not-a-uuid', encryptionPublicKey: enc.subarray(1) };
  for (const [field, value] of Object.entries(bad))
    assert.throws(() => mc.certificateMessage({ ...fields, [field]: value }), Error, field);
  assert.throws(() => mc.certificateMessage({ ...fields, organisations: [] }), /organisations/);
});

test('fingerprint: first 16 bytes of generichash(enc || sign) in groups of four hex digits', () => {
  const keys = mc.newAdviserKeys();
  const fp = mc.fingerprint(keys.encryptionPublicKey, keys.signPublicKey);
  assert.match(fp, /^[0-9a-f]{4}( [0-9a-f]{4}){7}$/);
  const hex = sodium.to_hex(sodium.crypto_generichash(32, mc.concat(keys.encryptionPublicKey, keys.signPublicKey)));
  assert.equal(fp.replaceAll(' ', ''), hex.slice(0, 32));
  assert.notEqual(mc.fingerprint(keys.signPublicKey, keys.encryptionPublicKey), fp);
});

// --- verifying keys ------------------------------------------------------------------

test('verifyAdviserKey: pinned key, expiry, and every certified field', () => {
  const { entry } = certifiedAdviser(desk.certSecretKey, { notAfter: '2025-06-01' });
  const key = entry.keys[0];
  const pin = desk.pins.certification;
  assert.equal(mc.verifyAdviserKey(entry, key, pin, { today }), true, 'valid through its last day');
  assert.equal(mc.verifyAdviserKey(entry, key, mc.toB64(pin), { today }), true);
  assert.equal(mc.verifyAdviserKey(entry, key, pin, { today: '2025-06-02' }), false, 'expired');
  assert.equal(mc.verifyAdviserKey(entry, key, deskKeys().pins.certification, { today }), false, 'other pinned key');
  const changes = [
    [{ ...entry, id: uuid() }, key, 'id'], [{ ...entry, name: 'Someone Else' }, key, 'name'],
    [{ ...entry, role: 'coordinator' }, key, 'role'],
    [{ ...entry, scope: { ...entry.scope, organisations: ['bzk', 'minfin'] } }, key, 'organisations'],
    [{ ...entry, scope: { ...entry.scope, topics: '*' } }, key, 'topics'],
    [entry, { ...key, not_after: '2099-12-31' }, 'not_after'],
    [entry, { ...key, encryption_public_key: mc.toB64(sodium.randombytes_buf(32)) }, 'encryption key'],
    [entry, { ...key, sign_public_key: mc.toB64(sodium.randombytes_buf(32)) }, 'sign key'],
    [entry, { ...key, certificate: 'garbage' }, 'malformed certificate'],
    [entry, { ...key, certificate: undefined }, 'no certificate'],
  ];
  for (const [e, k, what] of changes) assert.equal(mc.verifyAdviserKey(e, k, pin, { today: '2025-01-01' }), false, what);
  assert.throws(() => mc.verifyAdviserKey(entry, key, pin.subarray(1), { today }), /32 bytes/);
  assert.throws(() => mc.verifyAdviserKey(entry, key, pin, { today: '1 June' }), /YYYY-MM-DD/);
});

test('verifyAdviserKey: a certificate by another key does not verify', () => {
  const forger = sodium.crypto_sign_keypair();
  const { entry } = certifiedAdviser(desk.certSecretKey, { signWith: forger.privateKey });
  assert.equal(mc.verifyAdviserKey(entry, entry.keys[0], desk.pins.certification, { today }), false);
  assert.equal(mc.verifyAdviserKey(entry, entry.keys[0], forger.publicKey, { today }), true);
});

test('message keys: expiry ignored for messages created on or before not_after', () => {
  const { entry, keys } = certifiedAdviser(desk.certSecretKey, { notAfter: '2024-12-31' });
  const pin = desk.pins.certification;
  const author = 'adviser:' + entry.id;
  assert.equal(mc.verifyAdviserKey(entry, entry.keys[0], pin, { createdOn: '2024-12-31' }), true);
  assert.equal(mc.verifyAdviserKey(entry, entry.keys[0], pin, { createdOn: '2025-01-01' }), false);
  const found = mc.authorSignKeys(author, { advisers: [entry], pinnedCertPublicKey: pin, createdOn: '2024-06-01' });
  assert.deepEqual(found, [keys.signPublicKey]);
  assert.deepEqual(mc.authorSignKeys(author, { advisers: [entry], pinnedCertPublicKey: pin, createdOn: '2025-06-01' }), []);
  assert.deepEqual(mc.authorSignKeys('adviser:' + uuid(), { advisers: [entry], pinnedCertPublicKey: pin, createdOn: today }), []);
  const reporter = mc.receiptKeys(mc.newReceipt());
  assert.deepEqual(mc.authorSignKeys('reporter', { reporterSignPublicKey: mc.toB64(reporter.signPublicKey) }),
    [reporter.signPublicKey]);
});

test('older keys may carry the fields they were certified with', () => {
  const { entry } = certifiedAdviser(desk.certSecretKey, { name: 'Oude Naam', topics: ['racism'] });
  const renamed = { ...entry, name: 'Nieuwe Naam', scope: { organisations: ['bzk'], topics: '*' } };
  const key = entry.keys[0];
  assert.equal(mc.verifyAdviserKey(renamed, key, desk.pins.certification, { today }), false);
  const annotated = { ...key, name: 'Oude Naam', scope: { organisations: ['bzk'], topics: ['racism'] } };
  assert.equal(mc.verifyAdviserKey(renamed, annotated, desk.pins.certification, { today }), true);
});

// --- tiers ---------------------------------------------------------------------------------

test('fitsTier follows the three routing tiers', () => {
  const e = (role, organisations, topics) => ({ role, scope: { organisations, topics } });
  const cases = [
    [e('adviser', ['bzk'], ['racism']), 1, true], [e('adviser', '*', '*'), 1, true],
    [e('adviser', ['bzk', 'minfin'], '*'), 1, true], [e('coordinator', ['bzk'], ['racism']), 1, true],
    [e('adviser', ['minfin'], ['racism']), 1, false], [e('adviser', ['bzk'], ['integrity']), 1, false],
    [e('admin', '*', '*'), 1, false],
    [e('coordinator', ['bzk'], '*'), 2, true], [e('coordinator', '*', ['*']), 2, true],
    [e('adviser', ['bzk'], '*'), 2, false], [e('coordinator', ['bzk'], ['racism']), 2, false],
    [e('coordinator', ['minfin'], '*'), 2, false],
    [e('coordinator', '*', '*'), 3, true], [e('coordinator', ['*'], ['*']), 3, true],
    [e('coordinator', ['bzk'], '*'), 3, false], [e('adviser', '*', '*'), 3, false],
    [e('coordinator', '*', '*'), 4, false],
  ];
  for (const [entry, tier, expected] of cases)
    assert.equal(mc.fitsTier(entry, 'bzk', 'racism', tier), expected, JSON.stringify([entry, tier]));
});

// --- sealing to the routing ----------------------------------------------------------------

function routed(n, options = {}) {
  return Array.from({ length: n }, (_, i) => certifiedAdviser(desk.certSecretKey, { tier: 1, name: `Adviser ${i}`, ...options }));
}

test('sealCaseKeyForRouting wraps K for every routed adviser', () => {
  const advisers = routed(3);
  const K = mc.newCaseKey();
  const wraps = seal({ advisers: advisers.map((a) => a.entry), coordinators: [] }, { K });
  assert.equal(wraps.length, 3);
  advisers.forEach((a, i) => {
    assert.equal(wraps[i].recipient, 'adviser:' + a.entry.id);
    assert.equal(wraps[i].public_key, a.entry.keys[0].encryption_public_key);
    assert.deepEqual(mc.openWrap(wraps[i].wrap, wraps[i].public_key, a.keys.encryptionSecretKey), K);
  });
});

test('an excluded adviser gets no wrap; excluding everyone is refused', () => {
  const advisers = routed(3);
  const routing = { advisers: advisers.map((a) => a.entry), coordinators: [] };
  const excludedId = advisers[1].entry.id;
  const wraps = seal(routing, { excluded: [excludedId] });
  assert.equal(wraps.length, 2);
  assert.ok(!wraps.some((w) => w.recipient === 'adviser:' + excludedId));
  assert.throws(() => seal(routing, { excluded: advisers.map((a) => a.entry.id) }), /no adviser/);
  assert.throws(() => seal({ advisers: [], coordinators: [] }), /no adviser/);
  assert.throws(() => seal(routing, { excluded: [uuid()] }), /not in the routing/);
});

test('excluding a coordinator who would only see metadata is allowed', () => {
  const advisers = routed(1);
  const coordinator = { id: uuid(), name: 'Coördinator', role: 'coordinator' };
  const wraps = seal({ advisers: [advisers[0].entry], coordinators: [coordinator] }, { excluded: [coordinator.id] });
  assert.equal(wraps.length, 1);
});

test('one bad certificate refuses the whole routing, naming the adviser', () => {
  const good = routed(2);
  const forger = sodium.crypto_sign_keypair();
  const bad = {
    'uncertified key': certifiedAdviser(desk.certSecretKey, { tier: 1, name: 'Mallory', signWith: forger.privateKey }),
    expired: certifiedAdviser(desk.certSecretKey, { tier: 1, name: 'Mallory', notAfter: '2025-05-31' }),
    'organisation not covered': certifiedAdviser(desk.certSecretKey, { tier: 1, name: 'Mallory', organisations: ['minfin'] }),
    'topic not covered': certifiedAdviser(desk.certSecretKey, { tier: 1, name: 'Mallory', topics: ['integrity'] }),
  };
  for (const [what, adviser] of Object.entries(bad)) {
    const routing = { advisers: [...good.map((a) => a.entry), adviser.entry], coordinators: [] };
    assert.throws(() => seal(routing), /Mallory/, what);
  }
  // Excluding the bad adviser makes the rest sealable.
  const routing = { advisers: [...good.map((a) => a.entry), bad.expired.entry], coordinators: [] };
  assert.equal(seal(routing, { excluded: [bad.expired.entry.id] }).length, 2);
});

test('the server cannot widen a scope to make a certificate fit', () => {
  const narrow = certifiedAdviser(desk.certSecretKey, { tier: 1, name: 'Mallory', organisations: ['minfin'] });
  const widened = { ...narrow.entry, scope: { organisations: ['bzk', 'minfin'], topics: ['racism'] } };
  assert.throws(() => seal({ advisers: [widened], coordinators: [] }), /Mallory.*certificate/);
});

test('tier 2 and tier 3 need coordinators with the right certified scope', () => {
  const t2 = certifiedAdviser(desk.certSecretKey, { tier: 2, role: 'coordinator', organisations: ['bzk'], topics: '*' });
  assert.equal(seal({ advisers: [t2.entry], coordinators: [] }).length, 1);
  const t2adviser = certifiedAdviser(desk.certSecretKey, { tier: 2, role: 'adviser', organisations: ['bzk'], topics: '*' });
  assert.throws(() => seal({ advisers: [t2adviser.entry], coordinators: [] }), /tier 2/);
  const t2topics = certifiedAdviser(desk.certSecretKey, { tier: 2, role: 'coordinator', organisations: ['bzk'], topics: ['racism'] });
  assert.throws(() => seal({ advisers: [t2topics.entry], coordinators: [] }), /tier 2/);
  const t3 = certifiedAdviser(desk.certSecretKey, { tier: 3, role: 'coordinator', organisations: '*', topics: '*' });
  assert.equal(seal({ advisers: [t3.entry], coordinators: [] }).length, 1);
  const t3narrow = certifiedAdviser(desk.certSecretKey, { tier: 3, role: 'coordinator', organisations: ['bzk'], topics: '*' });
  assert.throws(() => seal({ advisers: [t3narrow.entry], coordinators: [] }), /tier 3/);
  assert.throws(() => seal({ advisers: [t2.entry, t3.entry], coordinators: [] }), /different tiers/);
});

test('malformed routing entries are refused', () => {
  const [a] = routed(1);
  const noTier = { ...a.entry, tier: undefined };
  assert.throws(() => seal({ advisers: [noTier], coordinators: [] }), /tier/);
  assert.throws(() => seal({ advisers: [a.entry, a.entry], coordinators: [] }), /twice/);
  const twoCurrent = { ...a.entry, keys: [a.entry.keys[0], { ...a.entry.keys[0] }] };
  assert.throws(() => seal({ advisers: [twoCurrent], coordinators: [] }), /exactly one current key/);
  const noneCurrent = { ...a.entry, keys: [{ ...a.entry.keys[0], current: false }] };
  assert.throws(() => seal({ advisers: [noneCurrent], coordinators: [] }), /exactly one current key/);
  assert.throws(() => seal({ advisers: [a.entry] }, { pins: {} }), /pinned certification key/);
  assert.throws(() => seal(null), /routing/);
});

test('caseKeyWraps adds the reporter and recovery wraps after a self-check', () => {
  const advisers = routed(2);
  const reporter = mc.receiptKeys(mc.newReceipt());
  const K = mc.newCaseKey();
  const wraps = mc.caseKeyWraps({ K, routing: { advisers: advisers.map((a) => a.entry), coordinators: [] },
    pins: desk.pins, organisation: 'bzk', topic: 'racism', excluded: [], today,
    reporterBoxPublicKey: reporter.boxPublicKey, reporterBoxSecretKey: reporter.boxSecretKey });
  assert.deepEqual(wraps.map((w) => w.recipient.split(':')[0]), ['adviser', 'adviser', 'reporter', 'recovery']);
  assert.deepEqual(mc.openWrap(wraps[2].wrap, reporter.boxPublicKey, reporter.boxSecretKey), K);
  assert.deepEqual(mc.openWrap(wraps[3].wrap, desk.pins.recovery, desk.recoverySecretKey), K);
  const stranger = mc.receiptKeys(mc.newReceipt());
  assert.throws(() => mc.caseKeyWraps({ K, routing: { advisers: advisers.map((a) => a.entry), coordinators: [] },
    pins: desk.pins, organisation: 'bzk', topic: 'racism', excluded: [], today,
    reporterBoxPublicKey: reporter.boxPublicKey, reporterBoxSecretKey: stranger.boxSecretKey }), /cannot be opened/);
});

test('wrapForAdviser (sharing) checks the certificate but no tier', () => {
  const colleague = certifiedAdviser(desk.certSecretKey, { organisations: ['minfin'] });
  const K = mc.newCaseKey();
  const w = mc.wrapForAdviser(K, colleague.entry, desk.pins.certification, { today });
  assert.deepEqual(mc.openWrap(w.wrap, w.public_key, colleague.keys.encryptionSecretKey), K);
  assert.throws(() => mc.wrapForAdviser(K, colleague.entry, deskKeys().pins.certification, { today }), /certificate/);
});
