// fixtures.mjs - a desk with routed, certified advisers, and the client side
// of the reporter protocol, built on the one crypto module the pages use.
import { readFileSync } from 'node:fs';
import * as mc from '../../../frontend/src/lib/meldcrypto.js';
import { makeAccount, runSql } from '../../../deploy/seed-advisers.mjs';
import { createDatabase, env, seedDemo, startServer } from './harness.mjs';

export { mc };

export function pins() {
  const read = (name) => readFileSync(`${env.secrets}/${name}.pub`, 'utf8').trim();
  return {
    certification: read('desk_certification_key'),
    recovery: read('recovery_key'),
    signing: read('desk_signing_key'),
  };
}

export function certSecretKey() {
  return mc.fromB64(readFileSync(`${env.offline}/desk_certification_key`, 'utf8').trim());
}

export function recoverySecretKey() {
  return mc.fromB64(readFileSync(`${env.offline}/recovery_key`, 'utf8').trim());
}

let counter = 0;
// Accounts in db; each spec as makeAccount takes (email made unique).
export function addAccounts(db, specs, host = env.pghost) {
  const made = specs.map((spec) => makeAccount({
    email: `${spec.name.toLowerCase().replace(/\W+/g, '.')}.${process.pid}.${counter++}@example.nl`,
    certSecretKey: spec.certSecretKey ?? certSecretKey(),
    secrets: env.secrets,
    ...spec,
  }));
  runSql(made.map((m) => m.sql).join('\n'), { db, host });
  return made.map((m) => m.account);
}

// The standard test desk: demo organisations and topics, two advisers for
// bzk/racism, a coordinator for bzk, a central coordinator.
export async function newDesk({ settings = {}, accounts = null } = {}) {
  await mc.ready();
  const db = createDatabase();
  seedDemo(db);
  const people = addAccounts(db, accounts ?? [
    { name: 'Anna Adviser', role: 'adviser', organisations: ['bzk', 'fin'], topics: ['racism'] },
    { name: 'Bert Adviser', role: 'adviser', organisations: ['bzk'], topics: ['*'] },
    { name: 'Cora Coordinator', role: 'coordinator', organisations: ['bzk'], topics: ['*'] },
    { name: 'Dirk Central', role: 'coordinator', organisations: ['*'], topics: ['*'] },
  ]);
  const server = await startServer({ db, settings: { pow_difficulty: '4', ...settings } });
  return { db, server, people, pins: pins() };
}

// Each call has a connection of its own unless headers ask for keep-alive:
// a server may close an idle connection at any moment, and fetch does not
// retry a POST that it sent down a connection just closed. (Keep-alive is
// tested on its own, in foundation.test.mjs.)
export async function call(server, method, path, { body, token, headers = {}, raw } = {}) {
  const h = { connection: 'close', ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  let payload;
  if (raw !== undefined) {
    payload = raw;
  } else if (body !== undefined) {
    h['content-type'] = 'application/json';
    payload = typeof body === 'string' ? body : JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(`${server.url}${path}`, { method, headers: h, body: payload });
  } catch (e) {
    throw new Error(`${method} ${path}: ${e.message} (${e.cause?.code ?? e.cause?.message ?? 'no cause'})`);
  }
  const type = res.headers.get('content-type') ?? '';
  const data = type.startsWith('application/json') ? await res.json()
    : new Uint8Array(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, body: data };
}

export const sampleReport = (extra = {}) => ({
  v: 1, what: 'A colleague made remarks about my origin in a meeting.', when: '2026-10',
  where: 'Team meeting, The Hague office', who: 'A team lead', wish: 'advice',
  lang: 'en', excluded: [], ...extra,
});

/**
 * Everything a browser prepares for a submission, without sending it:
 * returns {body, receipt, keys, K, sub}. opts.mutate(body) may spoil it.
 */
export async function prepareReport(server, { organisation = 'bzk', topic = 'racism',
  report = sampleReport(), excluded = [], deskPins = pins(), challenge = null } = {}) {
  const routing = (await call(server, 'GET', `/api/v1/routing?organisation=${organisation}&topic=${topic}`)).body;
  const ch = challenge ?? (await call(server, 'POST', '/api/v1/challenges')).body;
  const receipt = mc.newReceipt();
  const keys = mc.receiptKeys(receipt);
  const K = mc.newCaseKey();
  const sub = mc.caseSubkeys(K);
  const ad = { organisation, topic, reporterSignPublicKey: keys.signPublicKey };
  const reportCt = mc.encryptReport({ ...report, excluded }, ad, sub.report);
  const wraps = mc.caseKeyWraps({ K, routing, pins: deskPins, organisation, topic, excluded,
    today: mc.todayUtc(), reporterBoxPublicKey: keys.boxPublicKey,
    reporterBoxSecretKey: keys.boxSecretKey });
  const challengeBytes = mc.fromB64(ch.challenge);
  const body = {
    challenge: ch.challenge,
    pow_nonce: mc.toB64(mc.solvePow(challengeBytes, ch.difficulty)),
    organisation, topic,
    lookup_id: mc.toB64(keys.lookupId),
    reporter_sign_public_key: mc.toB64(keys.signPublicKey),
    reporter_box_public_key: mc.toB64(keys.boxPublicKey),
    report_ciphertext: mc.toB64(reportCt),
    key_commitment: mc.toB64(mc.keyCommitment(sub.report)),
    excluded,
    key_wraps: wraps,
  };
  return { body, receipt, keys, K, sub, routing, challenge: ch };
}

export async function submitReport(server, opts = {}) {
  const prepared = await prepareReport(server, opts);
  const res = await call(server, 'POST', '/api/v1/reports', { body: prepared.body, headers: opts.headers });
  return { ...prepared, res };
}

// Reporter login with the receipt alone, as the follow-up page does it.
export async function reporterLogin(server, receipt) {
  const keys = mc.receiptKeys(receipt);
  const { body: ch } = await call(server, 'POST', '/api/v1/reporter/challenge',
    { body: { lookup_id: mc.toB64(keys.lookupId) } });
  const signature = mc.reporterLoginSignature(mc.fromB64(ch.challenge), keys.signSecretKey);
  const res = await call(server, 'POST', '/api/v1/reporter/session', { body: {
    lookup_id: mc.toB64(keys.lookupId), challenge: ch.challenge, signature: mc.toB64(signature) } });
  return { res, token: res.body.token, keys };
}
