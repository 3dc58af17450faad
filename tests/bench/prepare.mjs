// prepare.mjs - encrypt report bodies before the timed phase of the
// benchmark, so the load generator spends no time on client-side crypto.
// Writes one JSON body per line with the placeholders @CHALLENGE@, @NONCE@
// and @LOOKUP@ that the load generator fills per submission (a fresh
// lookup_id each time: the server cannot tell it from a receipt's).
//
//   node tests/bench/prepare.mjs URL COUNT OUT
import { writeFileSync } from 'node:fs';
import * as mc from '../../frontend/src/lib/meldcrypto.js';

const [url, count, out] = process.argv.slice(2);
await mc.ready();
const desk = await (await fetch(`${url}/api/v1/desk`)).json();
const routing = await (await fetch(`${url}/api/v1/routing?organisation=bzk&topic=racism`)).json();
const lines = [];
for (let i = 0; i < Number(count); i++) {
  const keys = mc.receiptKeys(mc.newReceipt());
  const K = mc.newCaseKey();
  const sub = mc.caseSubkeys(K);
  const ad = { organisation: 'bzk', topic: 'racism', reporterSignPublicKey: keys.signPublicKey };
  const report = { v: 1, what: `Benchmark report ${i}`, when: '2026-10', where: 'office',
    who: 'someone', wish: 'advice', lang: 'en', excluded: [] };
  const body = {
    challenge: '@CHALLENGE@', pow_nonce: '@NONCE@', organisation: 'bzk', topic: 'racism',
    lookup_id: '@LOOKUP@',
    reporter_sign_public_key: mc.toB64(keys.signPublicKey),
    reporter_box_public_key: mc.toB64(keys.boxPublicKey),
    report_ciphertext: mc.toB64(mc.encryptReport(report, ad, sub.report)),
    key_commitment: mc.toB64(mc.keyCommitment(sub.report)),
    excluded: [],
    key_wraps: mc.caseKeyWraps({ K, routing, pins: desk.keys, organisation: 'bzk', topic: 'racism',
      today: mc.todayUtc(), reporterBoxPublicKey: keys.boxPublicKey,
      reporterBoxSecretKey: keys.boxSecretKey }),
  };
  lines.push(JSON.stringify(body));
}
writeFileSync(out, lines.join('\n') + '\n');
console.log(`prepare: ${lines.length} encrypted reports in ${out}`);
