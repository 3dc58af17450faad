// case.js - what the reporter's and the advisers' case views share:
// decrypting and verifying the conversation (SPEC 3.4), attachments up and
// down (3.6), and drawing them. Decrypted files are only downloaded as
// application/octet-stream, never shown.
import * as mc from '../lib/meldcrypto.js';
import { h } from './dom.js';
import { t, formatDate, formatBytes, currentLang } from './i18n.js';
import { request } from './api.js';
import { runInWorker } from './worker-client.js';
import { downloadBytes } from './download.js';
import { PINS } from './desk.js';
import { button } from './forms.js';

/**
 * The short reference of a case, for people: the first four bytes of its id
 * (16 random bytes, base64url) as eight upper-case hexadecimal digits in
 * two groups of four, e.g. "3F9A-0C1B". Derived, so the server stores and
 * learns nothing new; stable for the life of the case; 32 bits, so a clash
 * within one inbox is unlikely (a search then lists both). "" for an id
 * that is not base64url.
 */
export function caseRef(caseId) {
  if (typeof caseId !== 'string' || !/^[A-Za-z0-9_-]{6,}$/.test(caseId)) return '';
  const b64 = caseId.slice(0, 8).replace(/-/g, '+').replace(/_/g, '/');
  let bytes;
  try {
    bytes = atob(b64);
  } catch {
    return '';
  }
  const hex = [...bytes.slice(0, 4)].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('').toUpperCase();
  return `${hex.slice(0, 4)}-${hex.slice(4, 8)}`;
}

/**
 * What a person typed as (the beginning of) a reference, comparable with
 * caseRef: upper case, spaces and dashes dropped; null when anything else
 * is left (no case has such a reference).
 */
export function normaliseRef(text) {
  const ref = String(text ?? '').toUpperCase().replace(/[\s\u2010-\u2015-]/g, '');
  return /^[0-9A-F]*$/.test(ref) ? ref : null;
}

/** The name of a language code ("nl" → "Nederlands") in the page's language; the code if unknown. */
export function languageName(code) {
  if (typeof code !== 'string' || !/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(code)) return '';
  try {
    const name = new Intl.DisplayNames([currentLang() === 'nl' ? 'nl-NL' : 'en-GB'], { type: 'language' }).of(code);
    return name ? name.charAt(0).toLocaleUpperCase(currentLang()) + name.slice(1) : code;
  } catch {
    return code;
  }
}

/**
 * Verifies and decrypts a thread (messages or notes) in server order →
 * {items, missing, newestId}. Each item: {seq, author, created_on, feedback,
 * id, text, prevMissing} or {seq, author, created_on, failed: true}.
 * `decrypt(entry, signKeys)` does the per-entry work.
 */
export function openThread(list, { reporterSignPublicKey, advisers, decrypt }) {
  const good = [];
  const failed = [];
  for (const m of list ?? []) {
    try {
      const keys = mc.authorSignKeys(m.author, { reporterSignPublicKey, advisers,
        pinnedCertPublicKey: PINS.certification, createdOn: m.created_on });
      if (keys.length === 0) throw new Error('no verified key');
      const plain = decrypt(m, keys);
      good.push({ ...plain, seq: m.seq, author: m.author, created_on: m.created_on, feedback: Boolean(m.feedback) });
    } catch {
      failed.push({ seq: m.seq, author: m.author, created_on: m.created_on, failed: true });
    }
  }
  const { messages, missing } = mc.orderMessages(good);
  const items = [...messages, ...failed].sort((a, b) => a.seq - b.seq);
  return { items, missing, newestId: messages.length ? messages[messages.length - 1].id : '' };
}

/** The display name of an author: the reporter, or an adviser entry's name and role. */
export function authorName(author, advisers, { me } = {}) {
  if (author === me) return t('case.you');
  if (author === 'reporter') return t('case.reporter');
  const entry = advisers?.find((a) => `adviser:${a.id}` === author);
  return entry ? `${entry.name} (${t(`role.${entry.role}`)})` : t('case.unknownAdviser');
}

/**
 * The conversation as a list, with "a message is missing" where a prev is
 * unknown. `isNew(m)`, if given, marks the messages that are new to the
 * reader (in words, not by colour alone); the first has id "first-new".
 */
export function threadView(thread, advisers, { me, labelKey = 'case.conversation', isNew } = {}) {
  if (!thread.items.length) return h('p', { class: 'mp-meta' }, t('case.noMessages'));
  const firstNew = isNew ? thread.items.find((m) => isNew(m)) : null;
  return h('div', {},
    thread.missing.length ? h('div', { class: 'mp-notice mp-notice--warning', role: 'status' },
      h('p', {}, t('case.messageMissing'))) : null,
    h('ol', { class: 'mp-list', 'aria-label': t(labelKey) }, thread.items.map((m) => h('li', {
      class: `${m.author === 'reporter' ? 'mp-message-item--reporter' : 'mp-message-item--adviser'}${isNew?.(m) ? ' mp-message-item--new' : ''}`,
      id: m === firstNew ? 'first-new' : null, tabindex: m === firstNew ? '-1' : null,
    },
    h('p', { class: 'mp-meta' }, isNew?.(m) ? [h('span', { class: 'mp-tag mp-tag--new' }, t('followup.newTag')), ' '] : null,
      h('strong', {}, authorName(m.author, advisers, { me })), ' · ', formatDate(m.created_on),
      m.feedback ? [' · ', h('span', { class: 'mp-tag mp-tag--ok' }, t('case.feedback'))] : null),
    m.prevMissing ? h('p', { class: 'mp-meta' }, t('case.beforeMissing')) : null,
    m.failed ? h('p', { class: 'mp-error' }, t('case.messageUnverified')) : h('p', { class: 'mp-message' }, m.text)))));
}

/** Attachment metadata decrypted for display: [{id, author, created_on, name, size, ok}]. */
export function openAttachments(caseId, list, kMsg) {
  return (list ?? []).map((a) => {
    try {
      const m = mc.decryptAttachmentMeta({ caseId, author: a.author, attachmentId: a.id, meta: a.meta }, kMsg);
      mc.wipe(m.fileKey);
      return { ...a, name: m.name, size: m.size, ok: true };
    } catch {
      return { ...a, ok: false };
    }
  });
}

/** Encrypts `file` in the worker and uploads it; resolves when the server has it. */
export async function uploadAttachment({ caseId, author, file, kMsg, path, token }) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const r = await runInWorker('encryptAttachment', {
    caseId, author, name: file.name, type: file.type || 'application/octet-stream', bytes, kMsg: kMsg.slice(),
  }, { transfer: [bytes.buffer] });
  await request('POST', path, {
    body: r.stream, token,
    headers: { 'X-Meldpunt-Attachment-Id': r.attachmentId, 'X-Meldpunt-Meta': r.meta },
  });
  return r.attachmentId;
}

/** Downloads, decrypts (worker) and offers an attachment as a file. */
export async function downloadAttachment({ caseId, attachment, kMsg, path, token }) {
  const buf = await request('GET', path, { token, raw: true });
  const r = await runInWorker('decryptAttachment', {
    caseId, author: attachment.author, attachmentId: attachment.id, stream: new Uint8Array(buf), meta: attachment.meta,
    kMsg: kMsg.slice(),
  }, { transfer: [buf] });
  downloadBytes(r.name, r.bytes);
}

/** The list of attachments with a download button each. */
export function attachmentsView(list, advisers, { me, onDownload, status }) {
  if (!list.length) return h('p', { class: 'mp-meta' }, t('case.noFiles'));
  return h('ul', { class: 'mp-list', 'aria-label': t('case.files') }, list.map((a) => h('li', {},
    h('p', { class: 'mp-meta' }, authorName(a.author, advisers, { me }), ' · ', formatDate(a.created_on)),
    a.ok ? [h('p', {}, `${a.name} (${formatBytes(a.size)})`),
      button(t('case.download', { name: a.name }), () => onDownload(a))]
      : h('p', { class: 'mp-error' }, t('case.fileUnreadable')),
    status?.[a.id] ? h('p', { role: 'status' }, t(status[a.id])) : null)));
}

/** The status of a case in words, with the deadlines. */
export function statusView(c) {
  return h('dl', { class: 'mp-dl' },
    h('dt', {}, t('case.status')), h('dd', {}, t(`status.${c.status}`)),
    h('dt', {}, t('case.received')), h('dd', {}, formatDate(c.received_on)),
    c.acknowledge_by ? [h('dt', {}, t('case.acknowledgeBy')), h('dd', {}, formatDate(c.acknowledge_by))] : null,
    c.feedback_by ? [h('dt', {}, t('case.feedbackBy')), h('dd', {}, formatDate(c.feedback_by))] : null);
}
