// people.mjs - the standard cast of the adviser tests and the client steps
// an adviser's page takes to open a case and create a notes key.
import assert from 'node:assert/strict';
import { mc } from './fixtures.mjs';

export const PEOPLE = [
  { name: 'Anna Adviser', role: 'adviser', organisations: ['bzk', 'fin'], topics: ['racism'], passphrase: 'anna adviser test passphrase' },
  { name: 'Bert Adviser', role: 'adviser', organisations: ['bzk'], topics: ['*'], passphrase: 'bert adviser test passphrase' },
  { name: 'Cora Coordinator', role: 'coordinator', organisations: ['bzk'], topics: ['*'], passphrase: 'cora coordinator test passphrase' },
  { name: 'Dirk Central', role: 'coordinator', organisations: ['*'], topics: ['*'] },
  { name: 'Ada Admin', role: 'admin', organisations: [], topics: [], passphrase: 'ada admin test passphrase' },
  { name: 'Fay Finance', role: 'adviser', organisations: ['fin'], topics: ['*'], passphrase: 'fay finance test passphrase' },
];

// Open a case as a wrap-holding adviser: K, subkeys and the report.
export function openAsAdviser(view, account, secretKey) {
  const pk = mc.fromB64(view.wrap_recipient_public_key);
  const K = mc.openWrap(mc.fromB64(view.wrap.wrap), pk, secretKey);
  const sub = mc.caseSubkeys(K);
  assert.ok(mc.checkKeyCommitment(sub.report, mc.fromB64(view.key_commitment)), 'key commitment');
  const report = mc.decryptReport(mc.fromB64(view.report_ciphertext), {
    organisation: view.organisation, topic: view.topic,
    reporterSignPublicKey: mc.fromB64(view.reporter_sign_public_key) }, sub.report);
  return { K, sub, report };
}

// Create the notes key as the first note writer does (SPEC 3.5).
export function notesKeyBody(view, pins, signSecretKey) {
  const N = mc.newNotesKey();
  const wraps = view.holders.map((h) => mc.wrapObject(`adviser:${h.id}`,
    mc.fromB64(mc.currentKey(h).encryption_public_key), N));
  wraps.push(mc.wrapForRecovery(N, { recovery: mc.fromB64(pins.recovery) }));
  const commitment = mc.notesKeyCommitment(view.case_id, N);
  return { N, body: { wraps, notes_key_commitment: mc.toB64(commitment),
    notes_key_signature: mc.toB64(mc.signNotesKeyCommitment(view.case_id, commitment, signSecretKey)) } };
}
