// adviser.js - advisers and coordinators: sign-in, inbox with deadlines and
// overdue flags, case view (decrypted report, conversation, internal notes,
// attachments, status, classification, sharing), the coordinator overview
// (metadata only), passphrase change, key rotation and (coordinators)
// recovery of cases for another adviser (ui/keys.js), and logout that clears
// the tab.
import * as mc from '../lib/meldcrypto.js';
import { h, replace, focus } from '../ui/dom.js';
import { t, localName, formatDate, monthName } from '../ui/i18n.js';
import { boot } from '../ui/boot.js';
import { notice, progressView } from '../ui/layout.js';
import { field, button, textArea, select, choiceGroup } from '../ui/forms.js';
import { get, post, put, patch, query, ApiError } from '../ui/api.js';
import { PINS } from '../ui/desk.js';
import { runInWorker } from '../ui/worker-client.js';
import { loginForm, signOut, endSession, deriveForEmail, staffErrorKey, errText, staffSessionKeeper, tn } from '../ui/staff.js';
import { openThread, threadView, openAttachments, attachmentsView, uploadAttachment, downloadAttachment,
  caseRef, normaliseRef, languageName } from '../ui/case.js';
import { checkPassphrase } from '../ui/passphrase.js';
import { keyViews } from '../ui/keys.js';
import { notifySettings } from '../ui/notify-settings.js';

// Vocabularies of SPEC section 5 (ids; their words are in the catalogues).
const STATUSES = ['new', 'acknowledged', 'in_progress', 'closed'];
const CATEGORIES = ['racism', 'discrimination', 'sexual_harassment', 'bullying', 'aggression', 'integrity', 'other'];
const GROUNDS = ['origin_race', 'religion_belief', 'sex', 'sexual_orientation', 'gender_identity',
  'disability_chronic_illness', 'age', 'nationality', 'political_opinion', 'marital_status', 'working_hours_contract', 'other'];
const OUTCOMES = ['advice', 'referral', 'mediation', 'formal_complaint', 'integrity_report', 'no_follow_up', 'other'];

let desk;
let page;
let me = null; // signed-in session (page memory only)
let keeper = null; // the session keeper (ui/session.js), once the page is ready
// Drafts of replies and notes by case id, in page memory only until sent:
// leaving a case, a re-render or logging in again after the session ended
// does not lose them (a sign-out reloads the page and forgets them).
const drafts = new Map();
const loginState = { email: '', totp: '', error: null, busy: false };
const view = { name: 'inbox', filter: '', org: '', q: '', sort: 'deadline', unreadOnly: false, cases: null, truncated: false,
  error: null, open: null, moveFocus: true };

const orgName = (id) => localName(desk.organisations.find((o) => o.id === id)?.name) || id;
const topicName = (id) => localName(desk.topics.find((o) => o.id === id)?.name) || id;

const keys = keyViews({ session: () => me, rerender: () => render(),
  orgName: (id) => orgName(id), topicName: (id) => topicName(id) });

function go(name, extra = {}) {
  Object.assign(view, { name, error: null, moveFocus: true }, extra);
  render();
}

// ---------------------------------------------------------------------------
// Inbox and coordinator overview
//
// The page fetches every case the account may see (pages of PAGE_SIZE, at
// most MAX_PAGES of them) and searches, filters and sorts them in the page,
// so a busy inbox answers at once and nothing typed in the search goes to
// the server. Each case is named by its reference (ui/case.js caseRef).

const PAGE_SIZE = 200;
const MAX_PAGES = 50;
const SORTS = ['deadline', 'received', 'unread'];

async function loadCases() {
  const token = me.token;
  try {
    let all = [];
    let after;
    for (let i = 0; i < MAX_PAGES; i++) {
      const r = await get(`/api/v1/adviser/cases${query({ limit: PAGE_SIZE, after })}`, { token });
      all = all.concat(r.cases ?? []);
      after = r.next ?? null;
      if (!after) break;
    }
    view.cases = all;
    view.truncated = Boolean(after);
  } catch (e) {
    view.error = staffErrorKey(e);
  }
  render();
}

// The deadline a case is waiting for: acknowledgement while new, feedback
// until closed; none once closed.
function nextDeadline(c) {
  if (c.status === 'closed') return null;
  return ackOpen(c) ? c.acknowledge_by : c.feedback_by;
}

// The server's flags decide (a status set by hand to in progress does not
// acknowledge: only a message to the reporter does).
function isOverdue(c) {
  return Boolean(c.acknowledge_overdue || c.feedback_overdue);
}

// Still to acknowledge: new, or past the deadline without a message.
const ackOpen = (c) => c.status === 'new' || Boolean(c.acknowledge_overdue);

/** The cases that match the search and filters, in the chosen order. */
function shownCases(cases, { metadataOnly = false } = {}) {
  const ref = normaliseRef(view.q);
  const list = cases.filter((c) => ref !== null && (!ref || normaliseRef(caseRef(c.case_id)).startsWith(ref))
    && (!view.filter || c.status === view.filter)
    && (!view.org || c.organisation === view.org)
    && (metadataOnly || !view.unreadOnly || c.unread > 0));
  const byReceived = (a, b) => (a.received_on === b.received_on ? (a.case_id < b.case_id ? 1 : -1) : (a.received_on < b.received_on ? 1 : -1));
  const byDeadline = (a, b) => {
    const x = nextDeadline(a);
    const y = nextDeadline(b);
    if (x === y) return byReceived(a, b);
    if (x === null) return 1;
    if (y === null) return -1;
    return x < y ? -1 : 1;
  };
  const byUnread = (a, b) => ((b.unread ?? 0) - (a.unread ?? 0)) || byDeadline(a, b);
  return list.sort(view.sort === 'received' ? byReceived : view.sort === 'unread' ? byUnread : byDeadline);
}

function deadline(labelKey, day, overdue) {
  return h('span', { class: 'mp-deadline' }, `${t(labelKey)} `, h('span', { class: 'mp-nowrap' }, formatDate(day)),
    overdue ? [' ', h('span', { class: 'mp-tag mp-tag--overdue' }, t('inbox.overdue'))] : null);
}

// Both deadlines in one cell (SPEC 5: inboxes show both and flag overdue
// ones); a deadline met or no longer running says so.
function deadlines(c) {
  return h('ul', { class: 'mp-deadlines' },
    h('li', {}, ackOpen(c) ? deadline('inbox.ackShort', c.acknowledge_by, c.acknowledge_overdue)
      : `${t('inbox.ackShort')} ${t('inbox.done')}`),
    h('li', {}, c.status === 'closed' ? `${t('inbox.feedbackShort')} ${t('inbox.done')}`
      : deadline('inbox.feedbackShort', c.feedback_by, c.feedback_overdue)));
}

// The reference opens the case (its accessible name says so); a case the
// account may see only the metadata of says that instead.
function refCell(c, metadataOnly) {
  const ref = caseRef(c.case_id);
  if (c.has_wrap && !metadataOnly) {
    return h('button', { type: 'button', class: 'mp-linklike mp-ref', onclick: () => openCase(c.case_id) },
      h('span', { class: 'mp-visually-hidden' }, `${t('inbox.openCase')} `), ref);
  }
  return [h('span', { class: 'mp-ref' }, ref), h('br'), h('span', { class: 'mp-meta' }, t('inbox.metadataOnly'))];
}

function casesTable(cases, { metadataOnly = false } = {}) {
  if (!cases.length) return h('p', { id: 'inbox-empty' }, t(view.cases?.length ? 'inbox.noMatch' : 'inbox.empty'));
  return h('div', { class: 'mp-table-wrap', tabindex: '0', role: 'region', 'aria-label': t('inbox.tableLabel') },
    h('table', { class: 'mp-table mp-inbox', id: 'inbox-table' },
      h('thead', {}, h('tr', {}, ['inbox.reference', 'inbox.received', 'inbox.orgTopic', 'inbox.status',
        'inbox.deadlines', 'inbox.unread'].map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, cases.map((c) => {
        const unread = c.unread > 0 && !metadataOnly;
        return h('tr', { class: unread ? 'mp-row--unread' : null, 'data-case': caseRef(c.case_id) },
          h('td', {}, refCell(c, metadataOnly)),
          h('td', { class: 'mp-nowrap' }, formatDate(c.received_on)),
          h('td', {}, orgName(c.organisation), h('br'), h('span', { class: 'mp-meta' }, topicName(c.topic))),
          h('td', {}, t(`status.${c.status}`)),
          h('td', {}, deadlines(c)),
          h('td', {}, unread ? h('span', { class: 'mp-tag mp-tag--unread' }, tn('inbox.unreadCount', c.unread)) : t('inbox.noneUnread')));
      }))));
}

// Search, filters and order; a change redraws only the results, so the
// control keeps focus, and a polite status says how many cases match.
function inboxControls(draw) {
  const orgs = [...new Set((view.cases ?? []).map((c) => c.organisation))]
    .map((id) => ({ value: id, label: orgName(id) })).sort((a, b) => a.label.localeCompare(b.label));
  return h('form', { class: 'mp-inline mp-inbox-controls', role: 'search', 'aria-label': t('inbox.searchLabel'),
    onsubmit: (ev) => { ev.preventDefault(); draw(); } },
  field({ id: 'inbox-q', label: t('inbox.search'), hint: t('inbox.searchHint'),
    control: h('input', { type: 'search', value: view.q, autocomplete: 'off', spellcheck: 'false',
      oninput: (ev) => { view.q = ev.target.value; draw(); } }) }),
  field({ id: 'filter', label: t('inbox.filter'), control: select(view, 'filter', STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) })),
    { emptyLabel: t('inbox.all'), onchange: draw }) }),
  field({ id: 'inbox-org', label: t('inbox.organisation'), control: select(view, 'org', orgs, { emptyLabel: t('inbox.allOrgs'), onchange: draw }) }),
  field({ id: 'inbox-sort', label: t('inbox.sort'), control: select(view, 'sort', SORTS.map((k) => ({ value: k, label: t(`inbox.sort.${k}`) })), { onchange: draw }) }),
  view.name === 'inbox' ? h('div', { class: 'mp-choice mp-inbox-unread' },
    h('input', { type: 'checkbox', id: 'inbox-unread', checked: view.unreadOnly,
      onchange: (ev) => { view.unreadOnly = ev.target.checked; draw(); } }),
    h('label', { for: 'inbox-unread' }, t('inbox.unreadOnly'))) : null);
}

function casesSection(metadataOnly) {
  const results = h('div', { id: 'inbox-results' });
  const count = h('p', { role: 'status', class: 'mp-meta', id: 'inbox-count' });
  const draw = () => {
    const list = shownCases(view.cases, { metadataOnly });
    count.textContent = tn('inbox.shown', list.length, { total: view.cases.length });
    replace(results, casesTable(list, { metadataOnly }));
  };
  const controls = inboxControls(draw);
  draw();
  return [controls, count,
    view.truncated ? notice('warning', h('p', {}, t('inbox.truncated', { n: PAGE_SIZE * MAX_PAGES }))) : null,
    results];
}

function renderInbox(main) {
  const overdue = (view.cases ?? []).filter(isOverdue).length;
  replace(main,
    h('h1', {}, t('inbox.h1')),
    me.adviser.certified === false ? notice('warning', h('p', {}, t('inbox.notCertified'))) : null,
    view.error ? notice('error', h('p', {}, errText(view.error))) : null,
    view.cases === null ? (view.error ? null : h('p', { role: 'status' }, t('app.loading'))) : [
      overdue ? notice('warning', h('p', {}, tn('inbox.overdueCount', overdue))) : null,
      casesSection(false),
    ]);
}

function renderOverview(main) {
  const meta = (view.cases ?? []).filter((c) => !c.has_wrap);
  replace(main,
    h('h1', {}, t('overview.h1')),
    h('p', {}, t('overview.intro')),
    view.error ? notice('error', h('p', {}, errText(view.error))) : null,
    view.cases === null ? (view.error ? null : h('p', { role: 'status' }, t('app.loading'))) : [
      h('p', { class: 'mp-meta' }, tn('overview.count', meta.length)),
      casesSection(true)]);
}

// ---------------------------------------------------------------------------
// Case view

function verifiedHolders(c) {
  return (c.holders ?? []).filter((e) => {
    try { return mc.verifyAdviserKey(e, mc.currentKey(e), PINS.certification); } catch { return false; }
  });
}

function allSignKeys(c) {
  const entries = [...(c.holders ?? []), ...(c.advisers ?? [])];
  return entries.flatMap((e) => (e.keys ?? []).filter((k) => mc.verifyAdviserKey(e, k, PINS.certification, { createdOn: '1970-01-01' }))
    .map((k) => mc.fromB64(k.sign_public_key, 32)));
}

async function openCase(id) {
  view.name = 'case';
  if (!drafts.has(id)) drafts.set(id, { reply: { text: '', feedback: false }, note: { text: '' } });
  const d = drafts.get(id);
  view.open = { id, loading: true, draft: d.reply, noteDraft: d.note };
  view.moveFocus = true;
  render();
  await loadCase();
}

async function loadCase() {
  const o = view.open;
  try {
    const c = await get(`/api/v1/adviser/cases/${encodeURIComponent(o.id)}`, { token: me.token });
    o.case = c;
    o.loading = false;
    o.corrupt = false;
    o.form = { status: c.status, category: c.classification?.category ?? '', primary_ground: c.classification?.primary_ground ?? '',
      outcome: c.classification?.outcome ?? '', grounds: new Set(c.classification?.grounds ?? []), errors: {} };
    if (!c.wrap) { render(); return; }
    let K;
    try {
      const wrapPk = c.wrap_recipient_public_key ?? c.wrap?.public_key;
      if (wrapPk !== me.encryptionPublicKey) throw new Error('wrap for another key');
      K = mc.openWrap(typeof c.wrap === 'string' ? c.wrap : c.wrap.wrap, wrapPk, me.secretKey);
      const sub = mc.caseSubkeys(K);
      if (!mc.checkKeyCommitment(sub.report, c.key_commitment)) throw new Error('commitment');
      o.report = mc.decryptReport(c.report_ciphertext, { organisation: c.organisation, topic: c.topic,
        reporterSignPublicKey: c.reporter_sign_public_key }, sub.report);
      mc.wipe(sub.report);
      if (o.K) mc.wipe(o.K);
      if (o.kMsg) mc.wipe(o.kMsg);
      o.K = K.slice();
      o.kMsg = sub.msg;
    } catch {
      o.corrupt = true;
    } finally {
      mc.wipe(K);
    }
    if (o.corrupt) { render(); return; }
    o.thread = openThread(c.messages, { reporterSignPublicKey: c.reporter_sign_public_key, advisers: c.advisers,
      decrypt: (m, keys) => mc.decryptMessage({ caseId: c.case_id, author: m.author, ciphertext: m.ciphertext, signature: m.signature }, o.kMsg, keys) });
    o.files = openAttachments(c.case_id, c.attachments, o.kMsg);
    o.N = null;
    o.notesProblem = false;
    if (c.note_wrap) {
      try {
        const N = mc.openWrap(typeof c.note_wrap === 'string' ? c.note_wrap : c.note_wrap.wrap, me.encryptionPublicKey, me.secretKey);
        if (!mc.verifyNotesKeyCommitment(c.case_id, N, c.notes_key_commitment, c.notes_key_signature, allSignKeys(c)))
          throw new Error('notes key');
        o.N = N;
        o.notes = openThread(c.notes, { advisers: [...(c.holders ?? []), ...(c.advisers ?? [])],
          decrypt: (m, keys) => mc.decryptNote({ caseId: c.case_id, author: m.author, ciphertext: m.ciphertext, signature: m.signature }, N, keys) });
      } catch {
        o.notesProblem = true;
      }
    }
    const last = c.messages?.length ? Math.max(...c.messages.map((m) => m.seq)) : 0;
    if (last) post(`/api/v1/adviser/cases/${encodeURIComponent(c.case_id)}/read`, { seq: last }, { token: me.token }).catch(() => {});
  } catch (e) {
    o.loading = false;
    o.error = staffErrorKey(e);
  }
  render();
}

async function caseAction(fn, okKey) {
  const o = view.open;
  o.error = null;
  o.ok = null;
  try {
    await fn();
    o.ok = okKey;
    await loadCase();
  } catch (e) {
    o.error = staffErrorKey(e);
    // Not sent (a 401 means the server took nothing): the draft stays; once
    // logged in again, sending it again is one click.
    if (e instanceof ApiError && e.status === 401) o.error = 'staffError.expiredNotSent';
    render();
  }
  focus(document.getElementById('case-status'));
}

function reply() {
  const o = view.open;
  const c = o.case;
  if (!o.draft.text.trim()) { o.error = 'followup.messageEmpty'; render(); focus(document.getElementById('reply')); return; }
  return caseAction(async () => {
    const m = mc.encryptMessage({ caseId: c.case_id, author: `adviser:${me.adviser.id}`, prev: o.thread.newestId, text: o.draft.text },
      o.kMsg, me.signSecretKey);
    await post(`/api/v1/adviser/cases/${encodeURIComponent(c.case_id)}/messages`,
      { ciphertext: m.ciphertext, signature: m.signature, feedback: Boolean(o.draft.feedback) }, { token: me.token });
    o.draft.text = '';
    o.draft.feedback = false;
  }, 'case.replySent');
}

// The first note creates the notes key N for exactly the current holders plus recovery (SPEC 3.5).
function writeNote() {
  const o = view.open;
  const c = o.case;
  if (!o.noteDraft.text.trim()) { o.error = 'case.noteEmpty'; render(); focus(document.getElementById('note')); return; }
  return caseAction(async () => {
    let N = o.N;
    if (!N) {
      N = mc.newNotesKey();
      const holders = verifiedHolders(c);
      if (holders.length !== (c.holders ?? []).length) throw new Error('holder key does not verify');
      const wraps = [...holders.map((e) => mc.wrapForAdviser(N, e, PINS.certification)), mc.wrapForRecovery(N, PINS)];
      const commitment = mc.notesKeyCommitment(c.case_id, N);
      await post(`/api/v1/adviser/cases/${encodeURIComponent(c.case_id)}/note-wraps`, {
        wraps, notes_key_commitment: mc.toB64(commitment),
        notes_key_signature: mc.toB64(mc.signNotesKeyCommitment(c.case_id, commitment, me.signSecretKey)),
      }, { token: me.token });
    }
    const n = mc.encryptNote({ caseId: c.case_id, adviserId: me.adviser.id, prev: o.notes?.newestId ?? '', text: o.noteDraft.text },
      N, me.signSecretKey);
    await post(`/api/v1/adviser/cases/${encodeURIComponent(c.case_id)}/notes`, { ciphertext: n.ciphertext, signature: n.signature }, { token: me.token });
    o.noteDraft.text = '';
  }, 'case.noteSaved');
}

// Closing needs a category and an outcome, and for racism and
// discrimination a primary ground (SPEC 5); the primary ground is one of
// the ticked grounds. Each problem is said at its field.
const NEEDS_GROUND = ['racism', 'discrimination'];

function statusErrors(f) {
  const e = {};
  if (f.primary_ground && !f.grounds.has(f.primary_ground)) e.primary_ground = t('case.primaryNotTicked');
  if (f.status === 'closed') {
    if (!f.category) e.category = t('case.categoryNeeded');
    if (NEEDS_GROUND.includes(f.category)) {
      if (!f.grounds.size) e.grounds = t('case.groundsNeeded');
      if (!f.primary_ground) e.primary_ground = e.primary_ground ?? t('case.primaryNeeded');
    }
    if (!f.outcome) e.outcome = t('case.outcomeNeeded');
  }
  if (!f.category && (f.grounds.size || f.primary_ground || f.outcome)) e.category = t('case.categoryFirst');
  return e;
}

function saveStatus() {
  const o = view.open;
  const f = o.form;
  f.errors = statusErrors(f);
  const order = ['status', 'category', 'grounds', 'primary_ground', 'outcome'];
  const first = order.find((k) => f.errors[k]);
  if (first) {
    render();
    const el = first === 'grounds' ? document.querySelector('#grounds input') : document.getElementById(first === 'primary_ground' ? 'primary-ground' : first);
    focus(el);
    return;
  }
  const classification = f.category ? { category: f.category, grounds: [...f.grounds].sort(), primary_ground: f.primary_ground || null,
    outcome: f.outcome || null } : undefined;
  return caseAction(() => patch(`/api/v1/adviser/cases/${encodeURIComponent(o.case.case_id)}`,
    classification ? { status: f.status, classification } : { status: f.status }, { token: me.token }), 'case.statusSaved');
}

async function loadColleagues() {
  const o = view.open;
  try {
    const r = await get('/api/v1/adviser/colleagues', { token: me.token });
    const holders = new Set((o.case.holders ?? []).map((e) => e.id));
    const excluded = new Set(o.case.excluded ?? []);
    o.colleagues = (r.advisers ?? r.colleagues ?? r ?? []).filter((e) => !holders.has(e.id) && !excluded.has(e.id) && e.id !== me.adviser.id);
  } catch (e) {
    o.colleagues = [];
    o.error = staffErrorKey(e);
  }
  o.share = { adviser_id: '' };
  render();
}

function share() {
  const o = view.open;
  const entry = o.colleagues?.find((e) => e.id === o.share.adviser_id);
  if (!entry) { o.error = 'case.shareChoose'; render(); return; }
  return caseAction(async () => {
    const w = mc.wrapForAdviser(o.K, entry, PINS.certification);
    const body = { adviser_id: entry.id, public_key: w.public_key, wrap: w.wrap };
    if (o.N) body.note_wrap = mc.wrapForAdviser(o.N, entry, PINS.certification).wrap;
    await post(`/api/v1/adviser/cases/${encodeURIComponent(o.case.case_id)}/share`, body, { token: me.token });
    o.colleagues = null;
  }, 'case.shared');
}

function classificationForm(o) {
  const f = o.form;
  const fe = f.errors ?? {};
  const opts = (ids, prefix) => ids.map((id) => ({ value: id, label: t(`${prefix}.${id}`) }));
  // The primary ground is chosen among the ticked grounds only.
  const ticked = GROUNDS.filter((g) => f.grounds.has(g));
  if (f.primary_ground && !f.grounds.has(f.primary_ground) && !fe.primary_ground) f.primary_ground = ticked.length === 1 ? ticked[0] : '';
  const primary = select(f, 'primary_ground', opts(ticked, 'ground'),
    { emptyLabel: ticked.length ? t('form.choose') : t('case.tickFirst') });
  if (!ticked.length) primary.disabled = true;
  return h('form', { novalidate: true, id: 'status-form', onsubmit: (ev) => { ev.preventDefault(); saveStatus(); } },
    field({ id: 'status', label: t('case.status'), error: fe.status, control: select(f, 'status', opts(STATUSES, 'status')) }),
    field({ id: 'category', label: t('case.category'), hint: t('case.categoryHint'), error: fe.category,
      control: select(f, 'category', opts(CATEGORIES, 'category'), { emptyLabel: t('form.choose') }) }),
    choiceGroup({ id: 'grounds', type: 'checkbox', legend: t('case.grounds'), hint: t('case.groundsHint'), error: fe.grounds,
      options: opts(GROUNDS, 'ground'), selected: f.grounds,
      onchange: (v, on) => {
        if (on) f.grounds.add(v); else f.grounds.delete(v);
        if (!on && f.primary_ground === v) f.primary_ground = '';
        if (on && f.grounds.size === 1) f.primary_ground = v;
        render();
        document.querySelector(`#grounds input[value="${v}"]`)?.focus();
      } }),
    field({ id: 'primary-ground', label: t('case.primaryGround'), hint: t('case.primaryHint'), error: fe.primary_ground, control: primary }),
    field({ id: 'outcome', label: t('case.outcome'), error: fe.outcome, control: select(f, 'outcome', opts(OUTCOMES, 'outcome'), { emptyLabel: t('form.choose') }) }),
    h('div', { class: 'mp-actions' }, button(t('case.saveStatus'), null, { type: 'submit', id: 'save-status' })));
}

// The status block of a case: the deadlines still running, and "done" for
// those met (a passed deadline that was met is not shown as a date to watch).
function caseStatusView(c) {
  return h('dl', { class: 'mp-dl', id: 'case-deadlines' },
    h('dt', {}, t('case.status')), h('dd', {}, t(`status.${c.status}`)),
    h('dt', {}, t('case.received')), h('dd', {}, formatDate(c.received_on)),
    h('dt', {}, t('case.acknowledgeBy')), h('dd', {}, ackOpen(c)
      ? deadlineText(c.acknowledge_by, c.acknowledge_overdue) : t('case.acknowledged')),
    h('dt', {}, t('case.feedbackBy')), h('dd', {}, c.status === 'closed'
      ? t('case.closedNoDeadline') : deadlineText(c.feedback_by, c.feedback_overdue)));
}

function deadlineText(day, overdue) {
  if (!day) return t('case.noDeadline');
  return [formatDate(day), overdue ? [' ', h('span', { class: 'mp-tag mp-tag--overdue' }, t('inbox.overdue'))] : null];
}

// The month of the events as the reporter gave it (YYYY-MM), in words.
function whenText(when) {
  const m = /^(\d{4})-(\d{2})$/.exec(when ?? '');
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) return `${monthName(Number(m[2]))} ${m[1]}`;
  return when || t('report.whenUnknown');
}

function renderCase(main) {
  const o = view.open;
  const back = h('p', {}, h('button', { type: 'button', class: 'mp-linklike', onclick: () => { view.cases = null; go('inbox'); loadCases(); } }, t('case.back')));
  const title = h('h1', {}, t('case.h1ref', { ref: caseRef(o.id) }));
  if (o.loading) return replace(main, back, title, h('p', { role: 'status' }, t('app.loading')));
  const c = o.case;
  if (!c) return replace(main, back, title, notice('error', h('p', {}, errText(o.error ?? 'staffError.failed'))));
  const head = [back, title, h('p', { class: 'mp-meta' }, `${orgName(c.organisation)} · ${topicName(c.topic)}`,
    o.report?.lang ? [' · ', h('span', { id: 'case-lang' }, t('case.langIs', { lang: languageName(o.report.lang) || t('case.langUnknown') }))] : null),
    h('div', { id: 'case-status', tabindex: '-1' },
      o.error ? notice('error', h('p', {}, errText(o.error))) : null,
      o.ok ? notice('ok', h('p', { role: 'status' }, t(o.ok))) : null),
    caseStatusView(c)];
  if (!c.wrap) return replace(main, ...head, notice('info', h('p', {}, t('case.metadataOnly'))));
  if (o.corrupt) return replace(main, ...head, notice('error', h('p', {}, t('case.corrupt'))));
  const r = o.report;
  const advisers = [...(c.advisers ?? []), ...(c.holders ?? [])];
  const meAuthor = `adviser:${me.adviser.id}`;
  const fileInput = h('input', { type: 'file', multiple: true, onchange: async (ev) => {
    const files = [...ev.target.files];
    await caseAction(async () => {
      for (const file of files) await uploadAttachment({ caseId: c.case_id, author: meAuthor, file, kMsg: o.kMsg,
        path: `/api/v1/adviser/cases/${encodeURIComponent(c.case_id)}/attachments`, token: me.token });
    }, 'followup.fileAdded');
  } });
  replace(main, ...head,
    h('h2', {}, t('case.report')),
    h('dl', { class: 'mp-dl' },
      h('dt', {}, t('report.what')), h('dd', {}, r.what),
      h('dt', {}, t('report.when')), h('dd', {}, whenText(r.when)),
      h('dt', {}, t('report.where')), h('dd', {}, r.where || t('check.empty')),
      h('dt', {}, t('report.who')), h('dd', {}, r.who || t('check.empty')),
      h('dt', {}, t('report.wish')), h('dd', {}, t(`wish.${r.wish}`)),
      h('dt', {}, t('report.contact')), h('dd', {}, r.contact || t('check.empty')),
      h('dt', {}, t('case.reportLang')), h('dd', {}, languageName(r.lang) || t('case.langUnknown')),
      h('dt', {}, t('case.excluded')), h('dd', {}, (c.excluded ?? []).length ? tn('case.excludedCount', c.excluded.length) : t('case.excludedNone')),
      h('dt', {}, t('case.holders')), h('dd', {}, (c.holders ?? []).map((e) => e.name).join(', '))),
    h('h2', {}, t('case.conversation')),
    threadView(o.thread, advisers, { me: meAuthor }),
    h('form', { novalidate: true, onsubmit: (ev) => { ev.preventDefault(); reply(); } },
      field({ id: 'reply', label: t('case.reply'), hint: t('case.replyHint'), control: textArea(o.draft, 'text', { rows: '6' }) }),
      h('div', { class: 'mp-choice' }, h('input', { type: 'checkbox', id: 'feedback', checked: o.draft.feedback, onchange: (ev) => { o.draft.feedback = ev.target.checked; } }),
        h('label', { for: 'feedback' }, t('case.isFeedback'))),
      h('div', { class: 'mp-actions' }, button(t('case.sendReply'), null, { primary: true, type: 'submit', id: 'send-reply' }))),
    h('h2', {}, t('case.files')),
    attachmentsView(o.files, advisers, { me: meAuthor, onDownload: (a) => downloadAttachment({ caseId: c.case_id, attachment: a, kMsg: o.kMsg,
      path: `/api/v1/adviser/cases/${encodeURIComponent(c.case_id)}/attachments/${encodeURIComponent(a.id)}`, token: me.token })
      .catch(() => { o.error = 'case.downloadFailed'; render(); }) }),
    field({ id: 'case-files', label: t('files.add'), optional: true, control: fileInput }),
    h('h2', {}, t('case.notes')),
    h('p', { class: 'mp-meta' }, t('case.notesHint')),
    o.notesProblem ? notice('error', h('p', {}, t('case.notesCorrupt'))) : o.notes ? threadView(o.notes, advisers, { me: meAuthor, labelKey: 'case.notes' }) : h('p', { class: 'mp-meta' }, t('case.noNotes')),
    h('form', { novalidate: true, onsubmit: (ev) => { ev.preventDefault(); writeNote(); } },
      field({ id: 'note', label: t('case.note'), control: textArea(o.noteDraft, 'text', { rows: '4' }) }),
      h('div', { class: 'mp-actions' }, button(t('case.saveNote'), null, { type: 'submit' }))),
    h('h2', {}, t('case.statusH2')),
    classificationForm(o),
    h('h2', {}, t('case.shareH2')),
    o.colleagues ? h('form', { novalidate: true, onsubmit: (ev) => { ev.preventDefault(); share(); } },
      field({ id: 'share-with', label: t('case.shareWith'), hint: t('case.shareHint'),
        control: select(o.share, 'adviser_id', o.colleagues.map((e) => ({ value: e.id, label: `${e.name} (${t(`role.${e.role}`)})` })), { emptyLabel: t('form.choose') }) }),
      h('div', { class: 'mp-actions' }, button(t('case.share'), null, { type: 'submit' })))
      : button(t('case.shareStart'), loadColleagues));
}

// ---------------------------------------------------------------------------
// Passphrase change

const pp = { old: '', next: '', again: '', totp: '', errors: {}, busy: false, done: false, error: null };

async function changePassphrase() {
  pp.errors = {};
  const problem = checkPassphrase(pp.next);
  if (!pp.old) pp.errors.old = t('login.passphraseError');
  if (problem) pp.errors.next = t(problem);
  else if (pp.next !== pp.again) pp.errors.again = t('passphrase.mismatch');
  if (!/^[0-9]{6}$/.test(pp.totp)) pp.errors.totp = t('login.totpError');
  if (Object.keys(pp.errors).length) { render(); focus(document.querySelector('[aria-invalid="true"]')); return; }
  pp.busy = true;
  pp.error = null;
  render();
  try {
    const old = await deriveForEmail(me.email, pp.old, () => {});
    const salt = mc.newSalt();
    const fresh = await runInWorker('pwhash', { passphrase: pp.next, salt, opslimit: mc.PWHASH_MIN_OPSLIMIT, memlimit: mc.PWHASH_MIN_MEMLIMIT });
    const sealed = mc.sealSecretKey(me.secretKey, me.adviser.id, me.encryptionPublicKey, fresh.kek);
    await put('/api/v1/adviser/passphrase', {
      auth_key: mc.toB64(old.authKey), totp: pp.totp, salt: mc.toB64(salt), opslimit: mc.PWHASH_MIN_OPSLIMIT,
      memlimit: mc.PWHASH_MIN_MEMLIMIT, new_auth_key: mc.toB64(fresh.authKey), encrypted_secret_key: mc.toB64(sealed),
    }, { token: me.token });
    [old.authKey, old.kek, fresh.authKey, fresh.kek].forEach(mc.wipe);
    Object.assign(pp, { old: '', next: '', again: '', totp: '', done: true });
  } catch (e) {
    // The server re-checks passphrase and code: 403 when they do not match.
    pp.error = e instanceof ApiError && e.status === 403 ? 'passphrase.wrong' : staffErrorKey(e);
  }
  pp.busy = false;
  render();
  focus(page.main.querySelector('.mp-notice'));
}

// The notification mails' settings (issue 18), on the account page.
const notify = notifySettings({ session: () => me, rerender: () => render() });

function renderPassphrase(main) {
  const pw = (key, auto) => h('input', { type: 'password', autocomplete: auto, value: pp[key], oninput: (ev) => { pp[key] = ev.target.value; } });
  replace(main,
    h('h1', {}, t('passphrase.h1')),
    h('p', {}, t('passphrase.intro')),
    pp.error ? notice('error', h('p', {}, errText(pp.error))) : null,
    pp.done ? notice('ok', h('p', {}, t('passphrase.done'))) : null,
    h('form', { novalidate: true, onsubmit: (ev) => { ev.preventDefault(); if (!pp.busy) changePassphrase(); } },
      field({ id: 'old-passphrase', label: t('passphrase.old'), error: pp.errors.old, control: pw('old', 'current-password') }),
      field({ id: 'new-passphrase', label: t('passphrase.new'), hint: t('passphrase.rules'), error: pp.errors.next, control: pw('next', 'new-password') }),
      field({ id: 'again-passphrase', label: t('passphrase.again'), error: pp.errors.again, control: pw('again', 'new-password') }),
      field({ id: 'pp-totp', label: t('login.totp'), error: pp.errors.totp,
        control: h('input', { type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: '6', value: pp.totp, oninput: (ev) => { pp.totp = ev.target.value.trim(); } }) }),
      h('div', { class: 'mp-actions' }, button(t('passphrase.submit'), null, { primary: true, type: 'submit', disabled: pp.busy }))),
    pp.busy ? progressView('login.deriving', []).el : null,
    notify.view());
}

// ---------------------------------------------------------------------------

function extraNav() {
  if (!me) return null;
  const link = (name, key) => h('li', {}, h('button', { type: 'button', class: 'mp-linklike', 'aria-current': view.name === name ? 'page' : null,
    onclick: () => {
      if (name === 'inbox' || name === 'overview') { view.cases = null; loadCases(); }
      if (name === 'recovery') keys.enterRecovery();
      go(name);
    } }, t(key)));
  const coordinator = me.adviser.role === 'coordinator';
  return [link('inbox', 'nav.inbox'), coordinator ? link('overview', 'nav.overview') : null,
    coordinator ? link('recovery', 'nav.recovery') : null,
    link('passphrase', 'nav.passphrase'), link('rotate', 'nav.rotate'),
    h('li', {}, h('button', { type: 'button', class: 'mp-linklike', id: 'logout', onclick: () => signOut(me, '/adviser.html') }, t('nav.logout')))];
}

function render() {
  if (!page) return;
  const main = page.main;
  if (!me) {
    loginForm(main, loginState, {
      titleKey: 'login.h1', introKey: 'login.intro', rerender: render,
      onDone: (s) => {
        if (!s.secretKey) {
          // Admins and analysts hold no keys: their work is on other pages.
          loginState.error = s.adviser?.role === 'analyst' ? 'login.useStats' : 'login.noKeys';
          endSession(s);
          render();
          return;
        }
        me = s;
        keeper.start();
        page.refreshFrame();
        go('inbox');
        loadCases();
      },
    });
  } else if (view.name === 'case') renderCase(main);
  else if (view.name === 'overview') renderOverview(main);
  else if (view.name === 'passphrase') renderPassphrase(main);
  else if (view.name === 'rotate') keys.renderRotate(main);
  else if (view.name === 'recovery' && me.adviser.role === 'coordinator') keys.renderRecovery(main);
  else renderInbox(main);
  page.refreshFrame?.();
  if (view.moveFocus && me) { view.moveFocus = false; focus(main.querySelector('h1')); }
}

boot({ area: 'staff', current: 'adviser', render: () => render(), extraNav, role: () => me?.adviser?.role ?? null,
  onReady: (r) => {
    ({ desk, page } = r);
    keeper = staffSessionKeeper({
      main: page.main, path: '/adviser.html', current: () => me,
      adopt: (s) => { me = s; },
      ping: (token) => get('/api/v1/adviser/cases?limit=1', { token }),
      onRenewed: () => {
        // Reload what the page shows with the new session; drafts stay in memory.
        if (view.name === 'case' && view.open?.case) {
          view.open.error = null;
          view.open.ok = 'session.renewedDraft';
          loadCase();
        } else if (view.name === 'inbox' || view.name === 'overview') {
          view.error = null;
          loadCases();
        } else render();
      },
    });
  } });
