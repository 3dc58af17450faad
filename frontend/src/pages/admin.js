// admin.js - the functional administrator (section 4, Enrolment and admin):
// accounts and their scopes, invites (the link carries the token only in its
// fragment), pending certificates exported for the offline certification
// officer and signed ones imported, organisations and topics. An admin never
// sees cases or content, and cannot make an account routable without a
// certificate.
import { h, replace, focus } from '../ui/dom.js';
import { t, localName } from '../ui/i18n.js';
import { boot } from '../ui/boot.js';
import { notice } from '../ui/layout.js';
import { field, button, textInput, select } from '../ui/forms.js';
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
  newAccount: { email: '', name: '', role: 'adviser', organisations: '', topics: '' },
  newOrg: { id: '', nl: '', en: '', headcount: '' }, newTopic: { id: '', nl: '', en: '' }, errors: {} };

const ROLES = ['adviser', 'coordinator', 'admin', 'analyst'];

function ids(text) {
  const list = text.split(/[\s,]+/).filter(Boolean);
  return list.length === 1 && list[0] === '*' ? '*' : list.sort();
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
    if (v.tab === 'accounts') v.accounts = (await get('/api/v1/admin/accounts', { token: me.token })).accounts ?? [];
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
  if (!/^[^@\s]+@[^@\s]+$/.test(a.email)) v.errors.email = t('login.emailError');
  if (!a.name.trim()) v.errors.name = t('admin.nameError');
  if (Object.keys(v.errors).length) { render(); focus(document.querySelector('[aria-invalid="true"]')); return; }
  return act(async () => {
    const r = await post('/api/v1/admin/accounts', { email: a.email, name: a.name, role: a.role,
      organisations: ids(a.organisations || '*'), topics: ids(a.topics || '*') }, { token: me.token });
    v.invite = inviteLink(r.invite_token);
    v.newAccount = { email: '', name: '', role: 'adviser', organisations: '', topics: '' };
  }, 'admin.accountCreated');
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
      onclick: () => { v.tab = tab; v.msg = null; v.error = null; render(); load(); } }, t(`admin.tab.${tab}`)))));
}

function accountsView() {
  const a = v.newAccount;
  return [
    v.accounts === null ? h('p', { role: 'status' }, t('app.loading')) : h('div', { class: 'mp-table-wrap', tabindex: '0', role: 'region', 'aria-label': t('admin.tab.accounts') },
      h('table', { class: 'mp-table' },
        h('thead', {}, h('tr', {}, ['admin.name', 'login.email', 'admin.role', 'admin.scope', 'admin.state', 'admin.actions'].map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, v.accounts.map((acc) => h('tr', {},
          h('td', {}, acc.name), h('td', {}, acc.email), h('td', {}, t(`role.${acc.role}`)),
          h('td', {}, `${[].concat(acc.scope?.organisations ?? acc.organisations ?? []).join(', ')} / ${[].concat(acc.scope?.topics ?? acc.topics ?? []).join(', ')}`),
          h('td', {}, acc.active === false ? t('admin.inactive') : acc.certified ? t('admin.certified') : t('admin.notCertified')),
          h('td', {},
            button(t('admin.newInvite', { name: acc.name }), () => act(async () => {
              const r = await post(`/api/v1/admin/accounts/${encodeURIComponent(acc.id)}/invite`, undefined, { token: me.token });
              v.invite = inviteLink(r.invite_token);
            }, 'admin.inviteCreated')),
            ' ',
            button(t('admin.deactivate', { name: acc.name }), () => act(() => post(`/api/v1/admin/accounts/${encodeURIComponent(acc.id)}/deactivate`, undefined, { token: me.token }), 'admin.deactivated')))))))),
    v.invite ? notice('ok', h('p', {}, t('admin.inviteLink')), h('p', { class: 'mp-secret', id: 'invite-link' }, v.invite)) : null,
    h('h2', {}, t('admin.newAccount')),
    h('form', { novalidate: true, onsubmit: (ev) => { ev.preventDefault(); createAccount(); } },
      field({ id: 'acc-email', label: t('login.email'), error: v.errors.email, control: textInput(a, 'email', { type: 'email' }) }),
      field({ id: 'acc-name', label: t('admin.name'), error: v.errors.name, control: textInput(a, 'name') }),
      field({ id: 'acc-role', label: t('admin.role'), control: select(a, 'role', ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))) }),
      field({ id: 'acc-orgs', label: t('admin.organisations'), hint: t('admin.idsHint'), control: textInput(a, 'organisations') }),
      field({ id: 'acc-topics', label: t('admin.topics'), hint: t('admin.idsHint'), control: textInput(a, 'topics') }),
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

function namedView(kind) {
  const list = kind === 'organisations' ? v.orgs : v.topics;
  const n = kind === 'organisations' ? v.newOrg : v.newTopic;
  const path = `/api/v1/admin/${kind}`;
  return [
    list === null ? h('p', { role: 'status' }, t('app.loading')) : h('ul', { class: 'mp-list' }, list.map((o) => h('li', {},
      h('p', {}, h('strong', {}, localName(o.name)), ` (${o.id})`, o.retired ? ` – ${t('admin.retired')}` : ''),
      o.headcount !== undefined ? h('p', { class: 'mp-meta' }, t('admin.headcount'), ': ', String(o.headcount)) : null,
      o.retired ? null : button(t('admin.retire', { name: localName(o.name) }), () => act(() => patch(`${path}/${encodeURIComponent(o.id)}`, { retired: true }, { token: me.token }), 'admin.saved'))))),
    h('h2', {}, t(`admin.new.${kind}`)),
    h('form', { novalidate: true, onsubmit: (ev) => { ev.preventDefault(); act(async () => {
      const body = { id: n.id, name: { nl: n.nl, en: n.en } };
      if (kind === 'organisations') body.headcount = Number(n.headcount) || 0;
      await post(path, body, { token: me.token });
      Object.keys(n).forEach((k) => { n[k] = ''; });
    }, 'admin.saved'); } },
      field({ id: `${kind}-id`, label: t('admin.id'), hint: t('admin.idHint'), control: textInput(n, 'id') }),
      field({ id: `${kind}-nl`, label: t('admin.nameNl'), control: textInput(n, 'nl') }),
      field({ id: `${kind}-en`, label: t('admin.nameEn'), control: textInput(n, 'en') }),
      kind === 'organisations' ? field({ id: `${kind}-headcount`, label: t('admin.headcount'), control: textInput(n, 'headcount', { inputmode: 'numeric' }) }) : null,
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
