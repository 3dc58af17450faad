// report.js - the report form (SPEC 3.1-3.3, 3.6, 3.9, 3.10 and section 4):
// step by step, no time limits; the reporter sees who will receive the
// report and may leave anyone out but one; the report is encrypted in the
// page, sent with a proof of work, and the receipt page follows. Receipt,
// keys and token exist only in this page's memory.
import * as mc from '../lib/meldcrypto.js';
import { h, replace, focus } from '../ui/dom.js';
import { t, localName, currentLang, monthName, formatBytes, formatDate, withLang } from '../ui/i18n.js';
import { boot } from '../ui/boot.js';
import { notice, errorSummary, progressView } from '../ui/layout.js';
import { field, choiceGroup, button, textInput, textArea, select } from '../ui/forms.js';
import { get, post, del, query, ApiError, NetworkError } from '../ui/api.js';
import { PINS } from '../ui/desk.js';
import { runInWorker } from '../ui/worker-client.js';
import { downloadBytes, copyText } from '../ui/download.js';
import { uploadAttachment } from '../ui/case.js';

const STEPS = ['about', 'what', 'wish', 'recipients', 'files', 'check'];

const form = {
  organisation: '', topic: '', what: '', whenYear: '', whenMonth: '', where: '', who: '',
  wish: '', contact: '',
};
const state = {
  step: 0, errors: [], excluded: new Set(), files: [], routing: null, routingKey: '', routingError: null,
  phase: 'form', sendError: null, notice: null, moveFocus: false, dates: null,
};
// After submission, in page memory only.
let sent = null;
let desk;
let page;

function errorFor(id) {
  return state.errors.find((e) => e.id === id)?.message;
}

function months() {
  return Array.from({ length: 12 }, (_, i) => ({ value: String(i + 1).padStart(2, '0'), label: monthName(i + 1) }));
}

function years() {
  const now = new Date().getUTCFullYear();
  return Array.from({ length: 11 }, (_, i) => ({ value: String(now - i), label: String(now - i) }));
}

function when() {
  return form.whenYear && form.whenMonth ? `${form.whenYear}-${form.whenMonth}` : '';
}

// ---------------------------------------------------------------------------
// Steps

// The start page's "before you start" list, folded, on the first step.
function beforeYouStart() {
  return h('details', { class: 'mp-details', id: 'before' },
    h('summary', {}, t('report.beforeSummary')),
    h('ul', {}, Array.from({ length: 5 }, (_, i) => h('li', {}, t(`start.before.${i + 1}`)))));
}

function stepAbout() {
  const orgs = desk.organisations.map((o) => ({ value: o.id, label: localName(o.name) }));
  const topics = desk.topics.map((o) => ({ value: o.id, label: localName(o.name) }));
  return [
    beforeYouStart(),
    field({ id: 'organisation', label: t('report.organisation'), hint: t('report.organisationHint'),
      error: errorFor('organisation'), control: select(form, 'organisation', orgs, { emptyLabel: t('form.choose') }) }),
    field({ id: 'topic', label: t('report.topic'), hint: t('report.topicHint'),
      error: errorFor('topic'), control: select(form, 'topic', topics, { emptyLabel: t('form.choose') }) }),
  ];
}

function stepWhat() {
  return [
    field({ id: 'what', label: t('report.what'), hint: t('report.whatHint'), error: errorFor('what'),
      control: textArea(form, 'what', { rows: '10' }) }),
    h('div', { class: 'mp-field' },
      h('fieldset', { 'aria-describedby': 'when-hint' },
        h('legend', {}, t('report.when')),
        h('p', { class: 'mp-hint', id: 'when-hint' }, t('report.whenHint')),
        h('div', { class: 'mp-inline' },
          field({ id: 'when-month', label: t('report.whenMonth'), error: errorFor('when-month'),
            control: select(form, 'whenMonth', months(), { emptyLabel: t('report.whenUnknown') }) }),
          field({ id: 'when-year', label: t('report.whenYear'), error: errorFor('when-year'),
            control: select(form, 'whenYear', years(), { emptyLabel: t('report.whenUnknown') }) })))),
    field({ id: 'where', label: t('report.where'), hint: t('report.whereHint'), optional: true,
      control: textInput(form, 'where') }),
    field({ id: 'who', label: t('report.who'), hint: t('report.whoHint'), optional: true,
      control: textArea(form, 'who', { rows: '4' }) }),
  ];
}

function stepWish() {
  return [
    choiceGroup({ id: 'wish', legend: t('report.wish'), hint: t('report.wishHint'), error: errorFor('wish'),
      options: ['advice', 'mediation', 'formal'].map((w) => ({ value: w, label: t(`wish.${w}`), hint: t(`wish.${w}.hint`) })),
      selected: form.wish, onchange: (v) => { form.wish = v; } }),
    field({ id: 'contact', label: t('report.contact'), hint: t('report.contactHint'), optional: true,
      control: textArea(form, 'contact', { rows: '3' }) }),
    notice('warning', h('p', {}, t('report.contactWarning'))),
  ];
}

// Which routed advisers' keys verify under the pinned certification key and fit their tier.
function adviserProblem(entry) {
  try {
    const key = mc.currentKey(entry);
    if (!mc.verifyAdviserKey(entry, key, PINS.certification)) return t('recipients.badKey');
    if (!mc.fitsTier(entry, form.organisation, form.topic, entry.tier)) return t('recipients.badKey');
    return null;
  } catch {
    return t('recipients.badKey');
  }
}

async function loadRouting() {
  const key = `${form.organisation}|${form.topic}`;
  if (state.routing && state.routingKey === key) return;
  state.routing = null;
  state.routingError = null;
  state.excluded = new Set();
  try {
    state.routing = await get(`/api/v1/routing${query({ organisation: form.organisation, topic: form.topic })}`);
    state.routingKey = key;
  } catch (e) {
    state.routingError = e instanceof ApiError && e.status === 404 ? 'recipients.unavailable' : 'error.network';
  }
}

function stepRecipients() {
  if (state.routingError) return [notice('error', h('p', {}, t(state.routingError))),
    button(t('form.tryAgain'), async () => { state.routingKey = ''; await loadRouting(); render(); })];
  if (!state.routing) return [h('p', { role: 'status' }, t('app.loading'))];
  const { advisers = [], coordinators = [] } = state.routing;
  if (advisers.length === 0) return [notice('error', h('p', {}, t('recipients.none')))];
  const toggle = (id, checked) => { if (checked) state.excluded.add(id); else state.excluded.delete(id); };
  const roleText = (r) => t(`role.${r}`);
  return [
    h('p', {}, t('recipients.intro')),
    choiceGroup({ id: 'exclude-advisers', type: 'checkbox', legend: t('recipients.advisers'),
      hint: t('recipients.advisersHint'), error: errorFor('exclude-advisers'),
      options: advisers.map((a) => {
        const problem = adviserProblem(a);
        return { value: a.id, label: t('recipients.leaveOut', { name: a.name, role: roleText(a.role) }),
          hint: problem ?? null };
      }),
      selected: state.excluded, onchange: toggle }),
    coordinators.length ? choiceGroup({ id: 'exclude-coordinators', type: 'checkbox',
      legend: t('recipients.coordinators'), hint: t('recipients.coordinatorsHint'),
      options: coordinators.map((c) => ({ value: c.id, label: t('recipients.leaveOut', { name: c.name, role: roleText(c.role) }) })),
      selected: state.excluded, onchange: toggle }) : null,
    h('p', { class: 'mp-meta' }, t('recipients.recovery')),
  ];
}

function stepFiles() {
  const input = h('input', {
    type: 'file', multiple: true,
    onchange: (ev) => {
      for (const f of ev.target.files) state.files.push(f);
      ev.target.value = '';
      render();
      document.getElementById('files')?.focus();
    },
  });
  const limit = desk.limits?.attachment_bytes;
  return [
    field({ id: 'files', label: t('files.add'), hint: limit ? t('files.hint', { max: formatBytes(limit) }) : t('files.hintNoMax'),
      error: errorFor('files'), optional: true, control: input }),
    state.files.length ? h('ul', { class: 'mp-list', 'aria-label': t('files.chosen') },
      state.files.map((f, i) => h('li', {},
        h('span', {}, `${f.name} (${formatBytes(f.size)}) `),
        button(t('files.remove', { name: f.name }), () => { state.files.splice(i, 1); render(); document.getElementById('files')?.focus(); })))) :
      h('p', { class: 'mp-meta' }, t('files.none')),
    notice('info', h('p', {}, t('files.metadata'))),
  ];
}

function stepCheck() {
  const org = desk.organisations.find((o) => o.id === form.organisation);
  const topic = desk.topics.find((o) => o.id === form.topic);
  const w = when();
  const receivers = (state.routing?.advisers ?? []).filter((a) => !state.excluded.has(a.id)).map((a) => a.name);
  const left = [...(state.routing?.advisers ?? []), ...(state.routing?.coordinators ?? [])]
    .filter((a) => state.excluded.has(a.id)).map((a) => a.name);
  // Each row names the step that asks for it, with a way back there.
  const row = (k, v, step) => [h('dt', {}, t(k)), h('dd', {}, v || t('check.empty'),
    step ? [' ', h('button', { type: 'button', class: 'mp-linklike', 'data-step': step,
      'aria-label': t('check.changeLabel', { what: t(k) }), onclick: () => goToStep(step) }, t('check.change'))] : null)];
  return [
    h('dl', { class: 'mp-dl' },
      row('report.organisation', localName(org?.name), 'about'),
      row('report.topic', localName(topic?.name), 'about'),
      row('report.what', form.what, 'what'),
      row('report.when', w ? `${monthName(Number(form.whenMonth))} ${form.whenYear}` : t('report.whenUnknown'), 'what'),
      row('report.where', form.where, 'what'),
      row('report.who', form.who, 'what'),
      row('report.wish', form.wish ? t(`wish.${form.wish}`) : '', 'wish'),
      row('report.contact', form.contact, 'wish'),
      row('check.receivers', receivers.join(', '), 'recipients'),
      row('check.leftOut', left.join(', '), 'recipients'),
      row('check.files', state.files.map((f) => f.name).join(', '), 'files')),
    notice('info', h('p', {}, t('check.encrypt'))),
  ];
}

const STEP_RENDER = { about: stepAbout, what: stepWhat, wish: stepWish, recipients: stepRecipients, files: stepFiles, check: stepCheck };

// ---------------------------------------------------------------------------
// Validation per step: [{id, message}]

function validate(step) {
  const errors = [];
  if (step === 'about') {
    if (!form.organisation) errors.push({ id: 'organisation', message: t('report.organisationError') });
    if (!form.topic) errors.push({ id: 'topic', message: t('report.topicError') });
  } else if (step === 'what') {
    if (!form.what.trim()) errors.push({ id: 'what', message: t('report.whatError') });
    if (Boolean(form.whenYear) !== Boolean(form.whenMonth))
      errors.push({ id: form.whenYear ? 'when-month' : 'when-year', message: t('report.whenError') });
    else if (when() && when() > new Date().toISOString().slice(0, 7))
      errors.push({ id: 'when-month', message: t('report.whenFuture') });
  } else if (step === 'wish') {
    if (!form.wish) errors.push({ id: 'wish', message: t('report.wishError') });
  } else if (step === 'recipients') {
    const advisers = state.routing?.advisers ?? [];
    if (!state.routing) errors.push({ id: 'exclude-advisers', message: t('recipients.notLoaded') });
    else if (advisers.every((a) => state.excluded.has(a.id)))
      errors.push({ id: 'exclude-advisers', message: t('recipients.keepOne') });
    else if (advisers.some((a) => !state.excluded.has(a.id) && adviserProblem(a)))
      errors.push({ id: 'exclude-advisers', message: t('recipients.badKeyError') });
  } else if (step === 'files') {
    const max = desk.limits?.attachment_bytes ?? Infinity;
    const caseMax = desk.limits?.case_bytes ?? Infinity;
    let total = 0;
    for (const f of state.files) {
      const padded = mc.paddedAttachmentSize(f.size);
      total += padded;
      if (padded > max) errors.push({ id: 'files', message: t('files.tooLarge', { name: f.name }) });
    }
    if (total > caseMax) errors.push({ id: 'files', message: t('files.totalTooLarge') });
  }
  return errors;
}

async function next() {
  const step = STEPS[state.step];
  state.errors = validate(step);
  if (state.errors.length) {
    render();
    focus(document.getElementById('mp-error-summary'));
    return;
  }
  state.step += 1;
  state.moveFocus = true;
  if (STEPS[state.step] === 'recipients') {
    render();
    await loadRouting();
  }
  render();
}

// From the check step to the step that asks for something, to change it.
function goToStep(step) {
  state.errors = [];
  state.step = STEPS.indexOf(step);
  state.moveFocus = true;
  render();
}

function back() {
  state.errors = [];
  state.step -= 1;
  state.moveFocus = true;
  render();
}

// ---------------------------------------------------------------------------
// Sending

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// POST /api/v1/reports with an Idempotency-Key; retries a byte-identical body
// after network errors and 503, so a lost answer never makes a second case.
async function postReport(body, idempotencyKey) {
  const text = JSON.stringify(body);
  for (let attempt = 0; ; attempt++) {
    try {
      return await post('/api/v1/reports', text, { headers: { 'Idempotency-Key': idempotencyKey } });
    } catch (e) {
      const retry = e instanceof NetworkError || (e instanceof ApiError && e.status === 503);
      if (!retry || attempt >= 4) throw e;
      await sleep(1000 * 2 ** attempt);
    }
  }
}

async function send() {
  state.errors = [];
  state.sendError = null;
  state.phase = 'sending';
  const progress = progressView('sending.label', ['sending.prepare', 'sending.pow', 'sending.send']);
  replace(page.main, h('h1', {}, t('sending.h1')), progress.el);
  focus(page.main.querySelector('h1'));
  const excluded = [...state.excluded].sort();
  const receipt = mc.newReceipt();
  const rk = mc.receiptKeys(receipt);
  const K = mc.newCaseKey();
  const sub = mc.caseSubkeys(K);
  try {
    progress.stage(0);
    const report = { v: 1, what: form.what, when: when(), where: form.where, who: form.who, wish: form.wish,
      lang: currentLang(), excluded };
    if (form.contact.trim()) report.contact = form.contact;
    const adFields = { organisation: form.organisation, topic: form.topic, reporterSignPublicKey: rk.signPublicKey };
    const reportCiphertext = mc.toB64(mc.encryptReport(report, adFields, sub.report));
    const keyWraps = mc.caseKeyWraps({ K, routing: state.routing, pins: PINS, organisation: form.organisation,
      topic: form.topic, excluded, reporterBoxPublicKey: rk.boxPublicKey, reporterBoxSecretKey: rk.boxSecretKey });
    const commitment = mc.toB64(mc.keyCommitment(sub.report));
    let result;
    for (let attempt = 0; ; attempt++) {
      const ch = await post('/api/v1/challenges');
      progress.stage(1);
      progress.set(0);
      const powNonce = await runInWorker('pow', { challenge: ch.challenge, difficulty: ch.difficulty },
        { onProgress: (f) => progress.set(f) });
      progress.stage(2);
      const body = {
        challenge: ch.challenge, pow_nonce: powNonce, organisation: form.organisation, topic: form.topic,
        lookup_id: mc.toB64(rk.lookupId), reporter_sign_public_key: mc.toB64(rk.signPublicKey),
        reporter_box_public_key: mc.toB64(rk.boxPublicKey), report_ciphertext: reportCiphertext,
        key_commitment: commitment, excluded, key_wraps: keyWraps,
      };
      try {
        result = await postReport(body, mc.newId());
        break;
      } catch (e) {
        // An expired challenge needs new work (and so a new body and key).
        if (e instanceof ApiError && e.code === 'challenge_invalid' && attempt < 2) continue;
        throw e;
      }
    }
    progress.set(1);
    const proofOk = mc.verifyProof(result.proof, PINS.signing) &&
      result.proof.case_id === result.case_id && result.proof.report_ciphertext === reportCiphertext &&
      result.proof.key_commitment === commitment && result.proof.organisation === form.organisation &&
      result.proof.topic === form.topic && result.proof.reporter_sign_public_key === mc.toB64(rk.signPublicKey);
    sent = {
      receipt, caseId: result.case_id, token: result.token, proof: proofOk ? result.proof : null,
      kReport: sub.report, kMsg: sub.msg, disclosureShown: false, confirmError: null, confirmText: '',
      uploads: state.files.map((f) => ({ name: f.name, state: 'waiting' })), copied: false, dates: null, saveOpen: false,
    };
    state.files = state.files.slice();
    state.phase = 'receipt';
    state.moveFocus = true;
    render();
    loadDates();
    uploadFiles();
  } catch (e) {
    mc.wipe(sub.report);
    mc.wipe(sub.msg);
    state.phase = 'form';
    if (e instanceof ApiError && e.code === 'routing_changed') {
      state.routingKey = '';
      state.step = STEPS.indexOf('recipients');
      state.notice = 'recipients.changed';
      await loadRouting();
    } else {
      state.sendError = errorKey(e);
    }
    state.moveFocus = true;
    render();
  } finally {
    mc.wipe(K);
    mc.wipe(rk.signSecretKey);
    mc.wipe(rk.boxSecretKey);
  }
}

function errorKey(e) {
  if (e instanceof NetworkError) return 'error.network';
  if (e instanceof ApiError) {
    if (e.status === 429) return 'error.rateLimited';
    if (e.status === 503) return 'error.unavailable';
    if (e.code === 'lookup_id_used' || e.code === 'idempotency_mismatch') return 'error.tryAgain';
    if (e.code === 'key_changed') return 'recipients.changed';
    if (e.status === 413) return 'files.totalTooLarge';
    return 'error.sendFailed';
  }
  return 'error.encryptFailed';
}

// The desk's own dates for this case (received, acknowledge by, answer by),
// read with the submission's reporter token; the page shows them in words.
async function loadDates() {
  const mine = sent;
  try {
    const c = await get('/api/v1/reporter/case', { token: mine.token });
    if (sent !== mine) return;
    sent.dates = { received: c.received_on, acknowledgeBy: c.acknowledge_by, feedbackBy: c.feedback_by };
  } catch {
    if (sent !== mine) return;
    sent.dates = { failed: true };
  }
  render();
}

// Attachments go up after the report with the returned reporter token.
async function uploadFiles() {
  const files = state.files;
  state.files = [];
  for (let i = 0; i < files.length; i++) {
    sent.uploads[i].state = 'uploading';
    render();
    try {
      await uploadAttachment({ caseId: sent.caseId, author: 'reporter', file: files[i], kMsg: sent.kMsg,
        path: '/api/v1/reporter/case/attachments', token: sent.token });
      sent.uploads[i].state = 'done';
    } catch {
      sent.uploads[i].state = 'failed';
    }
    render();
  }
}

// ---------------------------------------------------------------------------
// Receipt page

function receiptFileText() {
  return `${t('receipt.fileTitle')}\n\n${sent.receipt}\n\n${t('receipt.fileBody')}\n`;
}

// Something typed or chosen that leaving the page would lose.
function formHasContent() {
  return Object.values(form).some((v) => v !== '') || state.files.length > 0 || state.excluded.size > 0;
}

function leaveGuard(ev) {
  const losing = state.phase === 'receipt' ? Boolean(sent)
    : state.phase === 'sending' || (state.phase === 'form' && formHasContent());
  if (losing) {
    ev.preventDefault();
    ev.returnValue = '';
  }
}

function confirmSaved() {
  const last = sent.receipt.slice(-4);
  let typed = '';
  try {
    typed = mc.normaliseReceipt(`${sent.receipt.slice(0, -4)}${sent.confirmText}`).slice(-4);
  } catch { typed = ''; }
  if (typed !== last) {
    sent.confirmError = t('receipt.confirmError');
    render();
    focus(document.getElementById('confirm-last'));
    return;
  }
  // Done: forget everything this page held.
  const token = sent.token;
  state.dates = sent.dates?.failed ? null : sent.dates; // days only, nothing secret
  mc.wipe(sent.kReport);
  mc.wipe(sent.kMsg);
  sent = null;
  state.phase = 'done';
  state.moveFocus = true;
  del('/api/v1/reporter/session', { token }).catch(() => {});
  for (const k of Object.keys(form)) form[k] = '';
  render();
}

// When the desk must answer, in words, with when to come back.
function datesView() {
  const d = sent.dates;
  if (!d) return h('p', { role: 'status' }, t('app.loading'));
  if (d.failed) return h('p', {}, t('receipt.datesUnknown'));
  return [
    h('dl', { class: 'mp-dl', id: 'receipt-dates' },
      h('dt', {}, t('receipt.sentOn')), h('dd', {}, formatDate(d.received)),
      h('dt', {}, t('receipt.reference')), h('dd', { class: 'mp-reference' }, sent.caseId),
      h('dt', {}, t('receipt.acknowledgeBy')), h('dd', {}, formatDate(d.acknowledgeBy)),
      h('dt', {}, t('receipt.feedbackBy')), h('dd', {}, formatDate(d.feedbackBy))),
    h('p', { id: 'come-back' }, t('receipt.comeBack', { ack: formatDate(d.acknowledgeBy), feedback: formatDate(d.feedbackBy) })),
  ];
}

// How to come back: the address in full (it is printed), then the code.
function howBackView() {
  const path = withLang('/followup.html');
  const address = `${location.origin}${path}`;
  return h('ol', { id: 'how-back' },
    h('li', {}, t('receipt.howBack.1'), ' ', h('a', { href: path, class: 'mp-reference' }, address)),
    h('li', {}, t('receipt.howBack.2')),
    h('li', {}, t('receipt.howBack.3')));
}

function renderReceipt(main) {
  const noPrint = { class: 'mp-no-print' };
  const uploads = sent.uploads.length ? h('div', noPrint,
    h('h2', {}, t('receipt.filesH2')),
    h('ul', { class: 'mp-list', 'aria-live': 'polite' }, sent.uploads.map((u) => h('li', {},
      `${u.name}: ${t(`upload.${u.state}`)}`))),
    sent.uploads.some((u) => u.state === 'failed') ? notice('warning', h('p', {}, t('receipt.filesFailed'))) : null) : null;
  const disclosure = sent.disclosureShown ? [
    h('p', { class: 'mp-secret', id: 'disclosure-key' }, mc.disclosureKey(sent.kReport)),
    button(t('receipt.disclosureDownload'), () => downloadBytes(t('receipt.disclosureFileName', { id: sent.caseId }),
      `${t('receipt.disclosureFileTitle')}\n\n${mc.disclosureKey(sent.kReport)}\n`)),
  ] : [button(t('receipt.disclosureShow'), () => { sent.disclosureShown = true; render(); focus(document.getElementById('disclosure-key')); })];
  replace(main,
    h('h1', {}, t('receipt.h1')),
    // On paper: what this sheet is (the screen has the heading above).
    h('p', { class: 'mp-print-only mp-print-title' }, t('receipt.printTitle')),
    h('div', noPrint, notice('ok', h('p', {}, t('receipt.sent')))),
    h('h2', {}, t('receipt.h2')),
    h('p', {}, t('receipt.explain')),
    h('p', { class: 'mp-receipt', id: 'receipt', 'aria-label': t('receipt.aria', { receipt: sent.receipt.split('').join(' ') }) }, sent.receipt),
    h('div', { class: 'mp-actions' },
      button(t('receipt.copy'), async () => { sent.copied = await copyText(sent.receipt); render(); }, { primary: true, id: 'copy-receipt' }),
      button(t('receipt.print'), () => window.print(), { id: 'print-receipt' })),
    h('p', { class: 'mp-meta mp-no-print', id: 'print-hint' }, t('receipt.printHint')),
    sent.copied ? h('p', { role: 'status' }, t('receipt.copied')) : h('p', { role: 'status' }),
    notice('warning', h('p', {}, t('receipt.warning'))),
    // Stays open across redraws (the desk's dates arriving, a file uploaded).
    h('details', { class: 'mp-details', id: 'save-receipt', open: sent.saveOpen ? true : null,
      ontoggle: (ev) => { if (sent) sent.saveOpen = ev.target.open; } },
      h('summary', {}, t('receipt.saveH3')),
      h('p', {}, t('receipt.saveWarning')),
      button(t('receipt.download'), () => downloadBytes(t('receipt.fileName'), receiptFileText()), { id: 'download-receipt' })),
    h('h2', {}, t('receipt.whenH2')),
    datesView(),
    h('h2', {}, t('receipt.howBackH2')),
    howBackView(),
    uploads,
    h('div', noPrint,
      h('h2', {}, t('receipt.proofH2')),
      sent.proof ? [h('p', {}, t('receipt.proofExplain')),
        button(t('receipt.proofDownload'), () => downloadBytes(t('receipt.proofFileName', { id: sent.caseId }),
          JSON.stringify(sent.proof, null, 2)), { id: 'download-proof' })]
        : notice('warning', h('p', {}, t('receipt.proofInvalid'))),
      h('h2', {}, t('receipt.disclosureH2')),
      h('p', {}, t('receipt.disclosureExplain')),
      h('p', {}, t('receipt.disclosureExplain2')),
      ...disclosure,
      h('h2', {}, t('receipt.leaveH2'))),
    h('form', { onsubmit: (ev) => { ev.preventDefault(); confirmSaved(); } },
      field({ id: 'confirm-last', label: t('receipt.confirmLabel'), hint: t('receipt.confirmHint'), error: sent.confirmError,
        control: h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', maxlength: '9', value: sent.confirmText,
          oninput: (ev) => { sent.confirmText = ev.target.value; } }) }),
      h('div', { class: 'mp-actions' }, button(t('receipt.confirm'), null, { primary: true, type: 'submit' }))));
}

function renderDone(main) {
  replace(main,
    h('h1', {}, t('done.h1')),
    h('p', {}, state.dates ? t('done.p1Dates', { ack: formatDate(state.dates.acknowledgeBy),
      feedback: formatDate(state.dates.feedbackBy) }) : t('done.p1')),
    h('p', {}, t('done.p2')),
    h('div', { class: 'mp-actions' },
      h('a', { class: 'utrecht-button-link utrecht-button-link--html-a utrecht-button-link--secondary-action', href: '/followup.html' }, t('start.followup'))));
}

// ---------------------------------------------------------------------------

function render() {
  const main = page.main;
  // A redraw while the person works (the desk's dates arriving, a file
  // uploaded) keeps the focus where it was.
  const active = main.contains(document.activeElement) ? document.activeElement : null;
  const activeId = active?.id || (active && active === main.querySelector('h1') ? 'h1' : '');
  if (state.phase === 'receipt') renderReceipt(main);
  else if (state.phase === 'done') renderDone(main);
  else if (state.phase === 'sending') return;
  else {
    const step = STEPS[state.step];
    const last = state.step === STEPS.length - 1;
    replace(main,
      h('h1', {}, t('report.h1')),
      h('p', {}, t('report.intro')),
      h('ol', { class: 'mp-steps', 'aria-label': t('report.stepsLabel') },
        STEPS.map((s, i) => h('li', { 'aria-current': i === state.step ? 'step' : null }, `${i + 1}. `, t(`step.${s}`)))),
      state.sendError ? notice('error', h('p', {}, t(state.sendError))) : null,
      state.notice ? notice('warning', h('p', {}, t(state.notice))) : null,
      errorSummary(state.errors),
      h('form', { novalidate: true, onsubmit: (ev) => { ev.preventDefault(); if (last) send(); else next(); } },
        h('h2', { id: 'step-heading', tabindex: '-1' }, t('report.stepOf', { n: state.step + 1, total: STEPS.length }), ': ', t(`step.${step}`)),
        STEP_RENDER[step](),
        h('div', { class: 'mp-actions' },
          state.step > 0 ? button(t('form.back'), back, { id: 'back' }) : null,
          button(last ? t('report.send') : t('form.next'), null, { primary: true, type: 'submit', id: last ? 'send' : 'next' }))),
      h('p', { class: 'mp-meta' }, t('report.noTimeLimit')));
  }
  if (state.moveFocus) {
    state.moveFocus = false;
    const target = state.phase === 'form' ? (document.querySelector('.mp-notice--error') ?? document.getElementById('step-heading'))
      : main.querySelector('h1');
    focus(target);
  } else if (activeId === 'h1') {
    focus(main.querySelector('h1'));
  } else if (activeId) {
    document.getElementById(activeId)?.focus({ preventScroll: true });
  }
}

window.addEventListener('beforeunload', leaveGuard);
boot({ area: 'reporter', current: 'report', render: () => render(),
  onReady: (r) => { ({ desk, page } = r); } });
