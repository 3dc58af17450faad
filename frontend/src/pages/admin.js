// admin.js - the functional administrator (section 4, Enrolment and admin):
// accounts and their scopes, invites (the link carries the token only in its
// fragment), pending certificates exported for the offline certification
// officer and signed ones imported, organisations and topics. An admin never
// sees cases or content, and cannot make an account routable without a
// certificate.
import { h, replace, focus } from '../ui/dom.js';
import { t, localName, formatDate, currentLang } from '../ui/i18n.js';
import { boot } from '../ui/boot.js';
import { notice } from '../ui/layout.js';
import { field, button, textInput, select, choiceGroup } from '../ui/forms.js';
import { get, post, put, patch, ApiError } from '../ui/api.js';
import { loginForm, signOut, endSession, forgetKeys, staffErrorKey, errText, staffSessionKeeper } from '../ui/staff.js';
import { downloadBytes } from '../ui/download.js';

let page;
let me = null;
let keeper = null; // the session keeper (ui/session.js)

// Only administrators work here; any other account is told so and its
// session ends at once.
function signedIn(session) {
  forgetKeys(session);
  if (session.adviser?.role !== 'admin') {
    endSession(session);
    loginState.error = 'admin.noAccess';
    render();
    focus(page.main.querySelector('.mp-notice--error'));
    return;
  }
  loginState.error = null;
  me = session;
  keeper.start();
  page.refreshFrame();
  render();
  load();
  focus(page.main.querySelector('h1'));
}
const loginState = { email: '', totp: '', error: null, busy: false };
const v = { tab: 'accounts', accounts: null, pending: null, orgs: null, topics: null, msg: null, error: null, invite: null,
  newAccount: newAccountForm(), confirm: null, copied: false,
  newOrg: { id: '', nl: '', en: '', headcount: '' }, newTopic: { id: '', nl: '', en: '' }, errors: {} };

const ROLES = ['adviser', 'coordinator', 'admin', 'analyst'];
// Roles whose accounts hold keys, and so need a certificate (SPEC 3.7, 3.8).
const KEY_ROLES = ['adviser', 'coordinator'];
// Roles whose scope routes cases: the others get "*" / "*".
const SCOPED_ROLES = ['adviser', 'coordinator'];
const ALL = '*';

function newAccountForm() {
  return { email: '', name: '', role: 'adviser', orgsAll: false, topicsAll: false, organisations: new Set(), topics: new Set() };
}

/** A scope list for the API: "*" or the chosen ids in byte order. */
function scopeIds(all, set) {
  return all ? ALL : [...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

const nameOf = (list, id) => localName((list ?? []).find((o) => o.id === id)?.name) || id;

/** A scope list ("*" or ids) in words. */
function scopeText(ids, list, allKey) {
  if (ids === ALL || (Array.isArray(ids) && ids.length === 1 && ids[0] === ALL)) return t(allKey);
  return [].concat(ids ?? []).map((id) => nameOf(list, id)).join(', ');
}

function inviteLink(token) {
  return `${window.location.origin}/enrol.html#invite=${token}`;
}

async function act(fn, okKey) {
  v.error = null;
  v.msg = null;
  try {
    await fn();
    v.msg = okKey;
  } catch (e) {
    v.error = e instanceof ApiError && e.status === 401 ? 'staffError.expiredNotSaved' : staffErrorKey(e);
  }
  await load();
  focus(document.getElementById('admin-status'));
}

async function load() {
  try {
    if (v.tab === 'accounts') {
      v.accounts = (await get('/api/v1/admin/accounts?limit=200', { token: me.token })).accounts ?? [];
      v.orgs = (await get('/api/v1/admin/organisations', { token: me.token })).organisations ?? [];
      v.topics = (await get('/api/v1/admin/topics', { token: me.token })).topics ?? [];
    }
    if (v.tab === 'certificates') v.pending = await get('/api/v1/admin/certificates/pending', { token: me.token });
    if (v.tab === 'organisations') v.orgs = (await get('/api/v1/admin/organisations', { token: me.token })).organisations ?? [];
    if (v.tab === 'topics') v.topics = (await get('/api/v1/admin/topics', { token: me.token })).topics ?? [];
  } catch (e) {
    // The first error (the action's) is the one to show.
    v.error = v.error ?? staffErrorKey(e);
  }
  render();
}

function createAccount() {
  const a = v.newAccount;
  v.errors = {};
  const scoped = SCOPED_ROLES.includes(a.role);
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(a.email)) v.errors.email = t('login.emailError');
  if (!a.name.trim()) v.errors.name = t('admin.nameError');
  if (scoped && !a.orgsAll && !a.organisations.size) v.errors.organisations = t('admin.orgsError');
  if (scoped && !a.topicsAll && !a.topics.size) v.errors.topics = t('admin.topicsError');
  if (Object.keys(v.errors).length) {
    render();
    const bad = document.querySelector('[aria-invalid="true"]');
    focus(bad?.tagName === 'FIELDSET' ? bad.querySelector('input') : bad);
    return;
  }
  return act(async () => {
    const r = await post('/api/v1/admin/accounts', { email: a.email.trim(), name: a.name.trim(), role: a.role,
      organisations: scoped ? scopeIds(a.orgsAll, a.organisations) : ALL,
      topics: scoped ? scopeIds(a.topicsAll, a.topics) : ALL }, { token: me.token });
    v.invite = { link: inviteLink(r.invite_token), name: a.name.trim() };
    v.copied = false;
    v.newAccount = newAccountForm();
  }, 'admin.accountCreated');
}

async function copyInvite() {
  try {
    await navigator.clipboard.writeText(v.invite.link);
    v.copied = 'admin.copied';
  } catch {
    v.copied = 'admin.copyFailed';
  }
  render();
  document.getElementById('copy-invite')?.focus();
}

async function importCertificates(file) {
  return act(async () => {
    const list = JSON.parse(await file.text());
    if (!Array.isArray(list)) throw new Error('not a list');
    for (const c of list) {
      await put(`/api/v1/admin/accounts/${encodeURIComponent(c.id)}/certificate`, { not_after: c.not_after, certificate: c.certificate }, { token: me.token });
    }
  }, 'admin.certificatesImported');
}

function tabs() {
  return h('ul', { class: 'mp-navbar__links mp-tabs' }, ['accounts', 'certificates', 'organisations', 'topics'].map((tab) =>
    h('li', {}, h('button', { type: 'button', class: 'mp-linklike', 'aria-current': v.tab === tab ? 'page' : null,
      onclick: () => { v.tab = tab; v.msg = null; v.error = null; v.errors = {}; v.confirm = null; render(); load(); } }, t(`admin.tab.${tab}`)))));
}

// The certificate of an account that holds keys, in words; none for the others.
function certificateText(acc) {
  if (!KEY_ROLES.includes(acc.role)) return t('admin.noKeysRole');
  if (acc.status !== 'active') return t('admin.noKeysYet');
  if (acc.certified) return acc.not_after ? t('admin.certifiedUntil', { date: formatDate(acc.not_after) }) : t('admin.certified');
  return acc.certificate_pending ? t('admin.certPending') : t('admin.notCertified');
}

function confirmBox() {
  const c = v.confirm;
  if (!c) return null;
  return h('div', { class: 'mp-notice mp-notice--warning', id: 'confirm', role: 'alertdialog', tabindex: '-1',
    'aria-labelledby': 'confirm-h', 'aria-describedby': 'confirm-p' },
  h('h2', { id: 'confirm-h' }, c.title),
  h('p', { id: 'confirm-p' }, c.text),
  h('div', { class: 'mp-actions' },
    button(c.yes, () => { v.confirm = null; c.run(); }, { primary: true, id: 'confirm-yes' }),
    button(t('admin.cancel'), () => { const back = c.back; v.confirm = null; render(); document.getElementById(back)?.focus(); },
      { id: 'confirm-no' })));
}

function askConfirm(opts) {
  v.confirm = opts;
  render();
  focus(document.getElementById('confirm'));
}

function scopeChooser({ id, legend, list, allKey, all, set, error, onAll }) {
  const options = [{ value: ALL, label: t(allKey) }, ...(list ?? []).filter((o) => !o.retired)
    .map((o) => ({ value: o.id, label: localName(o.name) || o.id, disabled: all }))];
  const selected = new Set(all ? [ALL, ...set] : set);
  return choiceGroup({ id, type: 'checkbox', legend, hint: t('admin.scopeHint'), error, options, selected,
    onchange: (value, on) => {
      if (value === ALL) { onAll(on); render(); document.getElementById(`${id}-0`)?.focus(); return; }
      if (on) set.add(value); else set.delete(value);
    } });
}

function accountsView() {
  const a = v.newAccount;
  const scoped = SCOPED_ROLES.includes(a.role);
  return [
    v.accounts === null ? h('p', { role: 'status' }, t('app.loading')) : h('div', { class: 'mp-table-wrap', tabindex: '0', role: 'region', 'aria-label': t('admin.tab.accounts') },
      h('table', { class: 'mp-table', id: 'accounts' },
        h('thead', {}, h('tr', {}, ['admin.nameEmail', 'admin.role', 'admin.scope', 'admin.state', 'admin.certificate', 'admin.actions']
          .map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, v.accounts.map((acc) => h('tr', {},
          h('td', {}, acc.name, h('br'), h('span', { class: 'mp-meta mp-email' }, acc.email)), h('td', {}, t(`role.${acc.role}`)),
          h('td', {}, SCOPED_ROLES.includes(acc.role)
            ? [h('span', {}, scopeText(acc.scope?.organisations, v.orgs, 'admin.allOrgs')), h('br'),
              h('span', {}, scopeText(acc.scope?.topics, v.topics, 'admin.allTopics'))]
            : t('admin.noScope')),
          h('td', {}, t(`admin.status.${acc.status ?? 'active'}`)),
          h('td', {}, certificateText(acc)),
          h('td', {}, acc.status === 'deactivated' ? null : h('ul', { class: 'mp-row-actions' },
            h('li', {}, h('button', { type: 'button', class: 'mp-linklike', onclick: () => act(async () => {
              const r = await post(`/api/v1/admin/accounts/${encodeURIComponent(acc.id)}/invite`, undefined, { token: me.token });
              v.invite = { link: inviteLink(r.invite_token), name: acc.name };
              v.copied = false;
            }, 'admin.inviteCreated') }, t('admin.newInvite', { name: acc.name }))),
            acc.id === me.adviser?.id ? h('li', { class: 'mp-meta', id: 'own-account' }, t('admin.ownAccount')) : h('li', {}, h('button', { type: 'button', class: 'mp-linklike', id: `deactivate-${acc.id}`, onclick: () => askConfirm({
              title: t('admin.confirmDeactivateH', { name: acc.name }),
              text: t(KEY_ROLES.includes(acc.role) ? 'admin.confirmDeactivateKeys' : 'admin.confirmDeactivate', { name: acc.name }),
              yes: t('admin.confirmDeactivateYes', { name: acc.name }), back: `deactivate-${acc.id}`,
              run: () => act(() => post(`/api/v1/admin/accounts/${encodeURIComponent(acc.id)}/deactivate`, undefined, { token: me.token }), 'admin.deactivated'),
            }) }, t('admin.deactivate', { name: acc.name })))))))))),
    v.invite ? notice('ok', h('p', {}, t('admin.inviteFor', { name: v.invite.name })), h('p', {}, t('admin.inviteLink')),
      h('p', { class: 'mp-secret', id: 'invite-link' }, v.invite.link),
      h('div', { class: 'mp-actions' }, button(t('admin.copyInvite'), copyInvite, { id: 'copy-invite' }),
        v.copied ? h('p', { role: 'status', id: 'copy-status' }, t(v.copied)) : null)) : null,
    h('h2', {}, t('admin.newAccount')),
    h('form', { novalidate: true, onsubmit: (ev) => { ev.preventDefault(); createAccount(); } },
      field({ id: 'acc-email', label: t('login.email'), error: v.errors.email, control: textInput(a, 'email', { type: 'email', autocomplete: 'off' }) }),
      field({ id: 'acc-name', label: t('admin.name'), error: v.errors.name, control: textInput(a, 'name', { autocomplete: 'off' }) }),
      field({ id: 'acc-role', label: t('admin.role'), hint: t('admin.roleHint'),
        control: select(a, 'role', ROLES.map((r) => ({ value: r, label: t(`role.${r}`) })),
          { onchange: () => { render(); document.getElementById('acc-role')?.focus(); } }) }),
      scoped ? [
        scopeChooser({ id: 'acc-orgs', legend: t('admin.organisations'), list: v.orgs, allKey: 'admin.allOrgs', all: a.orgsAll,
          set: a.organisations, error: v.errors.organisations, onAll: (on) => { a.orgsAll = on; } }),
        scopeChooser({ id: 'acc-topics', legend: t('admin.topics'), list: v.topics, allKey: 'admin.allTopics', all: a.topicsAll,
          set: a.topics, error: v.errors.topics, onAll: (on) => { a.topicsAll = on; } }),
      ] : h('p', { class: 'mp-hint' }, t('admin.noScopeHint')),
      h('div', { class: 'mp-actions' }, button(t('admin.create'), null, { primary: true, type: 'submit' }))),
  ];
}

function certificatesView() {
  const file = h('input', { type: 'file', accept: '.json,application/json', onchange: (ev) => { if (ev.target.files[0]) importCertificates(ev.target.files[0]); } });
  return [
    h('p', {}, t('admin.certIntro')),
    v.pending === null ? h('p', { role: 'status' }, t('app.loading')) : [
      v.pending.length ? h('ul', { class: 'mp-list' }, v.pending.map((p) => h('li', {},
        h('p', {}, h('strong', {}, p.name), ` (${t(`role.${p.role}`)})`),
        h('p', { class: 'mp-meta' }, t('admin.fingerprint'), ' ', p.fingerprint)))) : h('p', {}, t('admin.noPending')),
      v.pending.length ? button(t('admin.export'), () => downloadBytes('meldpunt-pending-certificates.json', JSON.stringify(v.pending, null, 2)), { primary: true }) : null,
    ],
    h('h2', {}, t('admin.importH2')),
    field({ id: 'cert-import', label: t('admin.import'), hint: t('admin.importHint'), control: file }),
  ];
}

// A new organisation or topic: a short slug id, both names, and (for an
// organisation) a whole headcount; each problem is said at its field.
function namedErrors(kind, n, list) {
  const e = {};
  if (!/^[a-z][a-z0-9_]{0,31}$/.test(n.id)) e.id = t('admin.idError');
  else if ((list ?? []).some((o) => o.id === n.id)) e.id = t('admin.idTaken');
  if (!n.nl.trim()) e.nl = t('admin.nameNlError');
  if (!n.en.trim()) e.en = t('admin.nameEnError');
  if (kind === 'organisations' && !/^[0-9]{1,9}$/.test(n.headcount.trim())) e.headcount = t('admin.headcountError');
  return e;
}

function addNamed(kind, n, list, path) {
  v.errors = namedErrors(kind, n, list);
  if (Object.keys(v.errors).length) { render(); focus(document.querySelector('[aria-invalid="true"]')); return; }
  return act(async () => {
    const body = { id: n.id, name: { nl: n.nl.trim(), en: n.en.trim() } };
    if (kind === 'organisations') body.headcount = Number(n.headcount.trim());
    await post(path, body, { token: me.token });
    Object.keys(n).forEach((k) => { n[k] = ''; });
  }, 'admin.saved');
}

function namedView(kind) {
  const list = kind === 'organisations' ? v.orgs : v.topics;
  const n = kind === 'organisations' ? v.newOrg : v.newTopic;
  const path = `/api/v1/admin/${kind}`;
  const e = v.errors;
  return [
    list === null ? h('p', { role: 'status' }, t('app.loading')) : h('ul', { class: 'mp-list' }, list.map((o) => h('li', {},
      h('p', {}, h('strong', {}, localName(o.name)), ` (${t('admin.code')} ${o.id})`, o.retired ? ` – ${t('admin.retired')}` : ''),
      typeof o.headcount === 'number' ? h('p', { class: 'mp-meta' }, t('admin.headcountIs', { n: o.headcount.toLocaleString(currentLang() === 'nl' ? 'nl-NL' : 'en-GB') })) : null,
      o.retired ? null : button(t('admin.retire', { name: localName(o.name) }), () => askConfirm({
        title: t('admin.confirmRetireH', { name: localName(o.name) }), text: t(`admin.confirmRetire.${kind}`),
        yes: t('admin.confirmRetireYes', { name: localName(o.name) }), back: `retire-${o.id}`,
        run: () => act(() => patch(`${path}/${encodeURIComponent(o.id)}`, { retired: true }, { token: me.token }), 'admin.saved'),
      }), { id: `retire-${o.id}` })))),
    h('h2', {}, t(`admin.new.${kind}`)),
    h('form', { novalidate: true, onsubmit: (ev) => { ev.preventDefault(); addNamed(kind, n, list, path); } },
      field({ id: `${kind}-id`, label: t('admin.id'), hint: t('admin.idHint'), error: e.id, control: textInput(n, 'id', { autocomplete: 'off', spellcheck: 'false' }) }),
      field({ id: `${kind}-nl`, label: t('admin.nameNl'), error: e.nl, control: textInput(n, 'nl') }),
      field({ id: `${kind}-en`, label: t('admin.nameEn'), error: e.en, control: textInput(n, 'en') }),
      kind === 'organisations' ? field({ id: `${kind}-headcount`, label: t('admin.headcount'), hint: t('admin.headcountHint'), error: e.headcount,
        control: textInput(n, 'headcount', { inputmode: 'numeric' }) }) : null,
      h('div', { class: 'mp-actions' }, button(t('admin.add'), null, { primary: true, type: 'submit' }))),
  ];
}

function render() {
  if (!page) return;
  const main = page.main;
  if (!me) {
    return loginForm(main, loginState, { titleKey: 'admin.loginH1', introKey: 'admin.loginIntro', rerender: render,
      onDone: signedIn });
  }
  const body = v.tab === 'accounts' ? accountsView() : v.tab === 'certificates' ? certificatesView() : namedView(v.tab);
  replace(main, h('h1', {}, t('admin.h1')),
    h('nav', { 'aria-label': t('admin.tabsLabel') }, tabs()),
    h('div', { id: 'admin-status', tabindex: '-1' },
      v.error ? notice('error', h('p', {}, errText(v.error))) : null,
      v.msg ? notice('ok', h('p', { role: 'status' }, t(v.msg))) : null),
    confirmBox(),
    h('h2', {}, t(`admin.tab.${v.tab}`)), body);
}

function extraNav() {
  if (!me) return null;
  return h('li', {}, h('button', { type: 'button', class: 'mp-linklike', id: 'logout', onclick: () => signOut(me, '/admin.html') }, t('nav.logout')));
}

boot({ area: 'staff', current: 'admin', render: () => render(), extraNav, role: () => me?.adviser?.role ?? null,
  onReady: (r) => {
    page = r.page;
    keeper = staffSessionKeeper({
      main: page.main, path: '/admin.html', current: () => me, keepKeys: false,
      adopt: (s) => { me = s; },
      ping: (token) => get('/api/v1/admin/accounts?limit=1', { token }),
      onRenewed: () => { v.error = null; render(); load(); },
    });
  } });
