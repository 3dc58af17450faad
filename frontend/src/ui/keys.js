// keys.js - key rotation and recovery in the adviser app (SPEC 3.11, issue 7).
//
// Rotation (advisers and coordinators): the passphrase is asked again and
// checked against this session's sealed key, so the new key can never be
// sealed under a passphrase nobody knows; a new key pair is made in the page,
// its secret key sealed under the same kek, and posted as the pending key,
// whose fingerprint the adviser reads out to the certification officer.
// Once the certificate is imported, every wrap (and note wrap) is opened with
// the old key, the case key checked against its key commitment, both keys
// sealed to the new public key, and all swapped in one request. The new
// secret key lives in page memory only between the two steps: after a reload
// it is gone, and the adviser starts again (a new pending key replaces the
// earlier one on the server).
//
// Recovery (coordinators): choose cases and the adviser who is to receive
// them, export, hand the export and that adviser's entry to the offline
// recovery officers as two downloads, and import the file their
// `meldpunt-keys recovery rewrap` produced. Files travel as Blobs and file
// inputs; nothing goes into Web Storage or a URL.
import * as mc from '../lib/meldcrypto.js';
import { h, focus } from './dom.js';
import { t, formatDate } from './i18n.js';
import { notice, progressView } from './layout.js';
import { field, button, select } from './forms.js';
import { get, post, put, query, ApiError } from './api.js';
import { PINS } from './desk.js';
import { deriveForEmail, staffErrorKey, errText, tn } from './staff.js';
import { caseRef } from './case.js';
import { downloadBytes } from './download.js';

const MAX_FILE_BYTES = 8 * 1024 * 1024;
const SWAP_TRIES = 3; // fetch-and-swap rounds when the set of cases changes meanwhile
const MAX_PAGES = 50;

// A problem found in the page, named by its catalogue key.
class KeyProblem extends Error {
  constructor(key) {
    super(key);
    this.key = key;
  }
}

// What happened and what to do, in staff words (a 401: the session has
// ended, and the page's session keeper offers to log in again in place).
function apiErrorKey(e) {
  if (e instanceof KeyProblem) return e.key;
  return staffErrorKey(e);
}

function forgetFresh(fresh) {
  if (!fresh) return;
  mc.wipe(fresh.encryptionSecretKey);
  mc.wipe(fresh.signSecretKey);
}

/**
 * The two views. `session()` gives the signed-in session (mutated in place
 * after a rotation: new secret, signing and public keys); `rerender()` draws
 * the page again; orgName and
 * topicName give display names. Returns {renderRotate(main),
 * renderRecovery(main), enterRecovery()}.
 */
export function keyViews({ session, rerender, orgName, topicName }) {
  // -------------------------------------------------------------------------
  // Rotation

  const rot = { phase: 'start', errors: {}, error: null, fresh: null, fingerprint: null, count: 0, focus: null };

  function after(focusId) {
    rot.focus = focusId;
    rerender();
  }

  async function startRotation(passphrase) {
    const me = session();
    rot.errors = {};
    rot.error = null;
    if (!passphrase) {
      rot.errors.passphrase = t('login.passphraseError');
      return after('rotate-passphrase');
    }
    rot.phase = 'deriving';
    rerender();
    let derived = null;
    let keys = null;
    try {
      derived = await deriveForEmail(me.email, passphrase, (f) => {
        const p = document.querySelector('#main progress');
        if (p) p.value = String(Math.round(f * 100));
      });
      // The passphrase must open the key in use: the new key is sealed under the same kek.
      let same = false;
      try {
        const sk = mc.openSecretKey(me.encryptedSecretKey, me.adviser.id, me.encryptionPublicKey, derived.kek);
        same = mc.equalBytes(sk, me.secretKey);
        mc.wipe(sk);
      } catch { same = false; }
      if (!same) {
        rot.phase = 'start';
        rot.errors.passphrase = t('rotate.passphraseWrong');
        return after('rotate-passphrase');
      }
      keys = mc.newAdviserKeys();
      const sealed = mc.toB64(mc.sealSecretKey(keys.encryptionSecretKey, me.adviser.id, keys.encryptionPublicKey, derived.kek));
      await post('/api/v1/adviser/keys', { encryption_public_key: mc.toB64(keys.encryptionPublicKey),
        sign_public_key: mc.toB64(keys.signPublicKey), encrypted_secret_key: sealed }, { token: me.token });
      forgetFresh(rot.fresh);
      rot.fresh = { ...keys, sealed };
      keys = null;
      rot.fingerprint = mc.fingerprint(rot.fresh.encryptionPublicKey, rot.fresh.signPublicKey);
      rot.phase = 'pending';
      return after('rotate-fingerprint-h2');
    } catch (e) {
      rot.phase = 'start';
      rot.error = apiErrorKey(e);
      return after('rotate-status');
    } finally {
      if (derived) { mc.wipe(derived.authKey); mc.wipe(derived.kek); }
      forgetFresh(keys);
    }
  }

  // One listed wrap, re-sealed to the new key after the commitment check.
  function rewrapOne(w, me, freshPk) {
    if (w.public_key !== me.encryptionPublicKey) throw new KeyProblem('rotate.otherKey');
    let K = null;
    let N = null;
    try {
      try {
        K = mc.openWrap(w.wrap, w.public_key, me.secretKey);
      } catch { throw new KeyProblem('rotate.cannotOpen'); }
      const sub = mc.caseSubkeys(K);
      const ok = mc.checkKeyCommitment(sub.report, w.key_commitment);
      mc.wipe(sub.report);
      mc.wipe(sub.msg);
      if (!ok) throw new KeyProblem('rotate.commitment');
      const item = { case_id: w.case_id, public_key: mc.toB64(freshPk), wrap: mc.toB64(mc.wrapKey(K, freshPk)), note_wrap: null };
      if (w.note_wrap) {
        try {
          N = mc.openWrap(w.note_wrap, w.public_key, me.secretKey);
        } catch { throw new KeyProblem('rotate.cannotOpen'); }
        item.note_wrap = mc.toB64(mc.wrapKey(N, freshPk));
      }
      return item;
    } finally {
      mc.wipe(K);
      mc.wipe(N);
    }
  }

  // The new key must carry a certificate under the pinned key before anything
  // is sealed to it and swapped in: the page does not take the server's word
  // that "its" pending key was certified (another session may have replaced
  // it). The caller's entry comes from the colleagues list, or, for an account
  // not listed there (an expired current certificate), from a case it holds.
  async function requireCertified(me, fresh, caseId) {
    const mine = (list) => (list ?? []).find((e) => e.id === me.adviser.id);
    let entry = mine((await get('/api/v1/adviser/colleagues', { token: me.token })).colleagues);
    if (!entry && caseId)
      entry = mine((await get(`/api/v1/adviser/cases/${encodeURIComponent(caseId)}`, { token: me.token })).holders);
    const pk = mc.toB64(fresh.encryptionPublicKey);
    const spk = mc.toB64(fresh.signPublicKey);
    const key = entry?.keys?.find((k) => k.encryption_public_key === pk && k.sign_public_key === spk);
    let ok = false;
    try { ok = Boolean(key) && mc.verifyAdviserKey(entry, key, PINS.certification); } catch { ok = false; }
    if (!ok) throw new KeyProblem('rotate.notCertified');
  }

  async function finishRotation() {
    const me = session();
    const fresh = rot.fresh;
    if (!fresh) return;
    rot.phase = 'rewrapping';
    rot.error = null;
    rerender();
    try {
      let count = 0;
      for (let attempt = 1; ; attempt++) {
        const { wraps } = await get('/api/v1/adviser/rewrap', { token: me.token });
        if (attempt === 1) await requireCertified(me, fresh, wraps?.[0]?.case_id);
        const items = (wraps ?? []).map((w) => rewrapOne(w, me, fresh.encryptionPublicKey));
        try {
          await put('/api/v1/adviser/keys', { wraps: items }, { token: me.token });
          count = items.length;
          break;
        } catch (e) {
          // Someone shared a case with us (or a notes key appeared) meanwhile: list again.
          if (!(e instanceof ApiError && e.code === 'holders_changed' && attempt < SWAP_TRIES)) throw e;
        }
      }
      const oldSecret = me.secretKey;
      const oldSign = me.signSecretKey;
      Object.assign(me, { secretKey: fresh.encryptionSecretKey, signSecretKey: fresh.signSecretKey,
        signPublicKey: fresh.signPublicKey, encryptionPublicKey: mc.toB64(fresh.encryptionPublicKey),
        encryptedSecretKey: fresh.sealed });
      mc.wipe(oldSecret);
      mc.wipe(oldSign);
      rot.fresh = null;
      rot.count = count;
      rot.phase = 'done';
    } catch (e) {
      rot.phase = 'pending';
      if (e instanceof ApiError && e.status === 409) rot.error = e.code === 'holders_changed' ? 'rotate.holdersChanged' : 'rotate.notCertified';
      else rot.error = apiErrorKey(e);
    }
    return after('rotate-status');
  }

  function restartRotation() {
    forgetFresh(rot.fresh);
    Object.assign(rot, { phase: 'start', fresh: null, fingerprint: null, errors: {}, error: null });
    after('rotate-passphrase');
  }

  function renderRotate(main) {
    const status = h('div', { id: 'rotate-status', tabindex: '-1' },
      rot.error ? notice('error', h('p', {}, errText(rot.error))) : null,
      rot.phase === 'done' ? notice('ok', h('p', { role: 'status' }, tn('rotate.done', rot.count))) : null);
    const parts = [h('h1', {}, t('rotate.h1')), h('p', {}, t('rotate.intro')), status];
    if (rot.phase === 'start' || rot.phase === 'deriving') {
      const pass = h('input', { type: 'password', autocomplete: 'current-password' });
      parts.push(
        h('p', {}, t('rotate.steps')),
        notice('info', h('p', {}, t('rotate.keepOpen'))),
        h('form', { novalidate: true, onsubmit: (ev) => { ev.preventDefault(); if (rot.phase === 'start') startRotation(pass.value); } },
          field({ id: 'rotate-passphrase', label: t('rotate.passphrase'), hint: t('rotate.passphraseHint'),
            error: rot.errors.passphrase, control: pass }),
          h('div', { class: 'mp-actions' }, button(t('rotate.start'), null,
            { primary: true, type: 'submit', id: 'rotate-start', disabled: rot.phase === 'deriving' }))),
        rot.phase === 'deriving' ? progressView('login.deriving', []).el : null);
    } else if (rot.phase === 'pending' || rot.phase === 'rewrapping') {
      parts.push(
        h('h2', { id: 'rotate-fingerprint-h2', tabindex: '-1' }, t('rotate.fingerprintH2')),
        h('p', {}, t('rotate.fingerprintIntro')),
        h('p', { class: 'mp-receipt', id: 'rotate-fingerprint' }, rot.fingerprint),
        notice('warning', h('p', {}, t('rotate.keepOpen'))),
        h('h2', {}, t('rotate.rewrapH2')),
        h('p', {}, t('rotate.rewrapIntro')),
        h('div', { class: 'mp-actions' },
          button(t('rotate.rewrap'), finishRotation, { primary: true, id: 'rotate-rewrap', disabled: rot.phase === 'rewrapping' }),
          button(t('rotate.restart'), restartRotation, { id: 'rotate-restart', disabled: rot.phase === 'rewrapping' })),
        rot.phase === 'rewrapping' ? h('p', { role: 'status' }, t('rotate.rewrapping')) : null);
    } else {
      parts.push(h('p', {}, t('rotate.doneNext')),
        h('div', { class: 'mp-actions' }, button(t('rotate.again'), restartRotation, { id: 'rotate-again' })));
    }
    main.replaceChildren(...parts.filter(Boolean));
    if (rot.focus) {
      const id = rot.focus;
      rot.focus = null;
      focus(document.getElementById(id));
    }
  }

  // -------------------------------------------------------------------------
  // Recovery

  const rec = { cases: null, colleagues: null, selected: new Set(), target: { id: '' }, errors: {}, error: null,
    busy: false, exported: null, exportTarget: null, exportFile: null, resultFile: null, done: null, focus: null };

  function recAfter(focusId) {
    rec.focus = focusId;
    rerender();
  }

  async function enterRecovery() {
    const me = session();
    Object.assign(rec, { cases: null, colleagues: null, error: null, errors: {}, done: null });
    try {
      const cases = [];
      let next;
      for (let i = 0; i < MAX_PAGES; i++) {
        const r = await get(`/api/v1/adviser/cases${query({ after: next })}`, { token: me.token });
        cases.push(...(r.cases ?? []));
        next = r.next;
        if (!next) break;
      }
      const { colleagues } = await get('/api/v1/adviser/colleagues', { token: me.token });
      rec.cases = cases;
      // Only colleagues whose current key carries a certificate under the pinned key; the offline tool checks again.
      rec.colleagues = (colleagues ?? []).filter((e) => {
        try { return mc.verifyAdviserKey(e, mc.currentKey(e), PINS.certification); } catch { return false; }
      });
    } catch (e) {
      rec.cases = rec.cases ?? [];
      rec.colleagues = rec.colleagues ?? [];
      rec.error = apiErrorKey(e);
    }
    rerender();
  }

  async function exportCases() {
    const me = session();
    rec.errors = {};
    rec.error = null;
    rec.done = null;
    const entry = rec.colleagues.find((e) => e.id === rec.target.id);
    if (!rec.selected.size) rec.errors.cases = t('recovery.chooseCases');
    if (!entry) rec.errors.target = t('recovery.chooseTarget');
    if (rec.errors.cases) return recAfter('rec-cases');
    if (rec.errors.target) return recAfter('rec-target');
    rec.busy = true;
    rerender();
    try {
      const ids = rec.cases.map((c) => c.case_id).filter((id) => rec.selected.has(id));
      const r = await post('/api/v1/adviser/recovery-exports', { case_ids: ids }, { token: me.token });
      rec.exported = r;
      rec.exportTarget = entry;
      rec.exportFile = null;
      rec.busy = false;
      return recAfter('rec-exported');
    } catch (e) {
      rec.busy = false;
      rec.error = e instanceof ApiError && e.status === 404 ? 'recovery.exportRefused' : apiErrorKey(e);
      return recAfter('rec-status');
    }
  }

  // Reads a chosen JSON file → {name, value} or a catalogue key of the problem.
  async function readJson(file) {
    if (!file) return { problem: null };
    if (file.size > MAX_FILE_BYTES) return { problem: 'recovery.fileTooLarge' };
    try {
      return { name: file.name, value: JSON.parse(await file.text()) };
    } catch {
      return { problem: 'recovery.fileNotJson' };
    }
  }

  async function chooseExportFile(file) {
    rec.errors.exportFile = null;
    rec.exportFile = null;
    const r = await readJson(file);
    const v = r.value;
    if (r.problem) rec.errors.exportFile = t(r.problem);
    else if (v && (typeof v.export_id !== 'string' || !Array.isArray(v.cases) || !v.cases.every((c) => typeof c?.case_id === 'string')))
      rec.errors.exportFile = t('recovery.exportFileBad');
    else if (v) rec.exportFile = { name: r.name, value: v };
    recAfter('rec-export-file');
  }

  async function chooseResultFile(file) {
    rec.errors.resultFile = null;
    rec.resultFile = null;
    const r = await readJson(file);
    const v = r.value;
    if (r.problem) rec.errors.resultFile = t(r.problem);
    else if (v && (typeof v.adviser_id !== 'string' || !Array.isArray(v.wraps) || !v.wraps.length ||
      !v.wraps.every((w) => typeof w?.case_id === 'string')))
      rec.errors.resultFile = t('recovery.resultFileBad');
    else if (v) rec.resultFile = { name: r.name, value: v };
    recAfter('rec-result-file');
  }

  const IMPORT_ERRORS = {
    key_changed: 'recovery.errKeyChanged',
    excluded_by_reporter: 'recovery.errExcluded',
    holders_changed: 'recovery.errHoldersChanged',
    purged: 'apiError.purged',
  };

  async function importResult() {
    const me = session();
    rec.errors = {};
    rec.error = null;
    rec.done = null;
    const exp = rec.exportFile?.value ?? rec.exported;
    if (!exp) rec.errors.exportFile = t('recovery.exportFileMissing');
    if (!rec.resultFile) rec.errors.resultFile = t('recovery.resultFileMissing');
    else if (exp) {
      const inExport = new Set(exp.cases.map((c) => c.case_id));
      if (!rec.resultFile.value.wraps.every((w) => inExport.has(w.case_id))) rec.errors.resultFile = t('recovery.resultNotThisExport');
    }
    if (rec.errors.exportFile) return recAfter('rec-export-file');
    if (rec.errors.resultFile) return recAfter('rec-result-file');
    const { adviser_id: adviserId, wraps } = rec.resultFile.value;
    rec.busy = true;
    rerender();
    try {
      await post(`/api/v1/adviser/recovery-exports/${encodeURIComponent(exp.export_id)}/import`,
        { adviser_id: adviserId, wraps }, { token: me.token });
      const who = rec.colleagues?.find((e) => e.id === adviserId)?.name ?? t('recovery.theAdviser');
      rec.done = { n: wraps.length, name: who };
      rec.resultFile = null;
      rec.busy = false;
      return recAfter('rec-status');
    } catch (e) {
      rec.busy = false;
      if (e instanceof ApiError && e.status === 404) {
        rec.errors.exportFile = t('recovery.errExportUnknown');
        return recAfter('rec-export-file');
      }
      if (e instanceof ApiError && e.status === 400)
        rec.errors.resultFile = t(e.field === 'adviser_id' ? 'recovery.errAdviser' : e.field === 'wraps' ? 'recovery.errWraps' : 'recovery.resultFileBad');
      else if (e instanceof ApiError && e.status === 409 && IMPORT_ERRORS[e.code]) rec.errors.resultFile = t(IMPORT_ERRORS[e.code]);
      else rec.errors.resultFile = errText(apiErrorKey(e));
      return recAfter('rec-result-file');
    }
  }

  function casesChooser() {
    const error = rec.errors.cases;
    const rows = rec.cases.map((c) => {
      const ref = caseRef(c.case_id);
      const id = `rec-case-${c.case_id}`;
      return h('tr', {},
        h('td', {}, h('input', { type: 'checkbox', id, checked: rec.selected.has(c.case_id),
          onchange: (ev) => { if (ev.target.checked) rec.selected.add(c.case_id); else rec.selected.delete(c.case_id); } }),
        h('label', { for: id, class: 'mp-visually-hidden' }, t('recovery.chooseCase', { ref }))),
        h('td', {}, h('span', { class: 'mp-ref' }, ref)),
        h('td', {}, formatDate(c.received_on)),
        h('td', {}, orgName(c.organisation)),
        h('td', {}, topicName(c.topic)),
        h('td', {}, t(`status.${c.status}`)),
        h('td', {}, c.has_wrap ? t('recovery.yes') : t('recovery.no')));
    });
    return h('div', { class: 'mp-field' }, h('fieldset', { id: 'rec-cases', tabindex: '-1', class: 'mp-choose-cases',
      'aria-describedby': error ? 'rec-cases-error' : 'rec-cases-hint', 'aria-invalid': error ? 'true' : null },
    h('legend', {}, t('recovery.casesLegend')),
    h('p', { class: 'mp-hint', id: 'rec-cases-hint' }, t('recovery.casesHint')),
    h('p', { class: 'mp-error', id: 'rec-cases-error' }, error ? `${t('form.errorPrefix')} ${error}` : ''),
    rec.cases.length ? h('div', { class: 'mp-table-wrap', tabindex: '0', role: 'region', 'aria-label': t('recovery.casesLegend') },
      h('table', { class: 'mp-table mp-choose-table' },
        h('thead', {}, h('tr', {}, ['recovery.choose', 'recovery.reference', 'inbox.received', 'inbox.organisation', 'inbox.topic',
          'inbox.status', 'recovery.readable'].map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, rows))) : h('p', {}, t('inbox.empty'))));
  }

  function fileInput(onfile) {
    return h('input', { type: 'file', accept: '.json,application/json', onchange: (ev) => onfile(ev.target.files?.[0] ?? null) });
  }

  function renderRecovery(main) {
    const parts = [h('h1', {}, t('recovery.h1')), h('p', {}, t('recovery.intro'))];
    parts.push(h('div', { id: 'rec-status', tabindex: '-1' },
      rec.error ? notice('error', h('p', {}, errText(rec.error))) : null,
      rec.done ? notice('ok', h('p', { role: 'status' }, tn('recovery.done', rec.done.n, { name: rec.done.name }))) : null));
    if (rec.cases === null) {
      parts.push(h('p', { role: 'status' }, t('app.loading')));
    } else {
      const exp = rec.exported;
      parts.push(
        h('h2', {}, t('recovery.exportH2')),
        h('form', { novalidate: true, onsubmit: (ev) => { ev.preventDefault(); if (!rec.busy) exportCases(); } },
          casesChooser(),
          field({ id: 'rec-target', label: t('recovery.target'), hint: t('recovery.targetHint'), error: rec.errors.target,
            control: select(rec.target, 'id', rec.colleagues.map((e) => ({ value: e.id, label: `${e.name} (${t(`role.${e.role}`)})` })),
              { emptyLabel: t('form.choose') }) }),
          h('div', { class: 'mp-actions' }, button(t('recovery.export'), null, { primary: true, type: 'submit', id: 'rec-export', disabled: rec.busy }))),
        exp ? h('div', { id: 'rec-exported', tabindex: '-1' },
          notice('ok', h('p', { role: 'status' }, tn('recovery.exported', exp.cases.length))),
          h('p', {}, t('recovery.downloadIntro')),
          h('div', { class: 'mp-actions' },
            button(t('recovery.downloadExport'), () => downloadBytes(`meldpunt-recovery-export-${exp.export_id}.json`,
              JSON.stringify(exp, null, 2)), { id: 'rec-download-export' }),
            button(t('recovery.downloadTarget', { name: rec.exportTarget.name }), () => downloadBytes(
              `meldpunt-recovery-target-${rec.exportTarget.id}.json`, JSON.stringify(rec.exportTarget, null, 2)),
            { id: 'rec-download-target' }))) : null,
        h('h2', {}, t('recovery.importH2')),
        h('p', {}, t('recovery.importIntro')),
        h('form', { novalidate: true, onsubmit: (ev) => { ev.preventDefault(); if (!rec.busy) importResult(); } },
          field({ id: 'rec-export-file', label: t('recovery.exportFile'), optional: Boolean(exp),
            hint: rec.exportFile ? t('recovery.fileRead', { name: rec.exportFile.name })
              : exp ? t('recovery.exportFileHintCurrent') : t('recovery.exportFileHint'),
            error: rec.errors.exportFile, control: fileInput(chooseExportFile) }),
          field({ id: 'rec-result-file', label: t('recovery.resultFile'),
            hint: rec.resultFile ? t('recovery.fileRead', { name: rec.resultFile.name }) : t('recovery.resultFileHint'),
            error: rec.errors.resultFile, control: fileInput(chooseResultFile) }),
          h('div', { class: 'mp-actions' }, button(t('recovery.import'), null, { primary: true, type: 'submit', id: 'rec-import', disabled: rec.busy }))));
    }
    main.replaceChildren(...parts);
    if (rec.focus) {
      const id = rec.focus;
      rec.focus = null;
      focus(document.getElementById(id));
    }
  }

  return { renderRotate, renderRecovery, enterRecovery };
}
