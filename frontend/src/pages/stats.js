// stats.js - the statistics page for coordinators and analysts (SPEC
// section 6, issue 6): staff sign-in (the shared form of ui/staff.js), the
// list of releases, a form to compute one for a closed quarter, and a
// chosen release as an accessible table with row and column totals (the
// primary form), its method and k or epsilon, a bar chart of the row totals
// drawn as SVG elements, and JSON and CSV downloads fetched with the bearer
// token into a Blob. The token stays in page memory; the page needs no keys
// and wipes them at sign-in.
import { h, replace, focus } from '../ui/dom.js';
import { t, has, localName, formatDate, currentLang } from '../ui/i18n.js';
import { boot } from '../ui/boot.js';
import { notice } from '../ui/layout.js';
import { field, button, select } from '../ui/forms.js';
import { get, post, request, ApiError } from '../ui/api.js';
import { loginForm, signOut, endSession, forgetKeys, staffErrorKey, errText, staffSessionKeeper } from '../ui/staff.js';
import { downloadBytes } from '../ui/download.js';
import { drawBarChart } from '../ui/chart.js';

const ROLES = ['coordinator', 'analyst'];
// Default families of SPEC section 6: [row dimension, column dimension].
const FAMILIES = {
  intake_org_topic: ['organisation', 'topic'],
  outcome_category_outcome: ['category', 'outcome'],
  outcome_category_ground: ['category', 'ground'],
};
const QUARTERS_OFFERED = 8;
const HIDDEN = '×'; // every suppressed value looks the same
const MERGED = 'other_organisations';
const NO_GROUND = 'not_applicable';

let desk;
let page;
let me = null; // signed-in session: token and account, page memory only
let keeper = null; // the session keeper (ui/session.js)
const loginState = { email: '', totp: '', error: null, busy: false };
const v = { releases: null, current: null, loading: null, busy: false, error: null, msg: null, focusTo: null,
  confirm: false, form: { family: 'intake_org_topic', quarter: '' } };

// ---------------------------------------------------------------------------
// Names and numbers

/** The closed quarters, newest first: the `n` before the current one (UTC). */
function closedQuarters(n, now = new Date()) {
  let year = now.getUTCFullYear();
  let q = Math.floor(now.getUTCMonth() / 3) + 1;
  const out = [];
  for (let i = 0; i < n; i++) {
    q -= 1;
    if (q === 0) { q = 4; year -= 1; }
    out.push(`${year}Q${q}`);
  }
  return out;
}

function quarterName(id) {
  const m = /^(\d{4})Q([1-4])$/.exec(id ?? '');
  return m ? t('stats.quarter', { year: m[1], q: m[2] }) : String(id ?? '');
}

function familyName(id) {
  return has(`stats.family.${id}`) ? t(`stats.family.${id}`) : String(id);
}

// A release names its dimensions; older ones are known by their family.
function dimsOf(r) {
  if (r.row_dimension && r.col_dimension) return [r.row_dimension, r.col_dimension];
  return FAMILIES[r.family] ?? ['row', 'col'];
}

// Organisations and topics are named by the desk; vocabulary ids by the
// catalogues (SPEC section 5); anything unknown shows its id.
function itemName(dim, id) {
  if (dim === 'organisation') {
    if (id === MERGED) return t('stats.otherOrganisations');
    return localName(desk.organisations.find((o) => o.id === id)?.name) || id;
  }
  if (dim === 'topic') return localName(desk.topics.find((o) => o.id === id)?.name) || id;
  if (dim === 'ground' && id === NO_GROUND) return t('stats.notApplicable');
  return has(`${dim}.${id}`) ? t(`${dim}.${id}`) : id;
}

function dimName(dim) {
  return has(`stats.dim.${dim}`) ? t(`stats.dim.${dim}`) : t('stats.dim.row');
}

function number(n) {
  return new Intl.NumberFormat(currentLang() === 'nl' ? 'nl-NL' : 'en-GB').format(n);
}

function methodText(r) {
  return r.method === 'dp' ? t('stats.methodDp', { epsilon: r.epsilon }) : t('stats.methodSuppression', { k: r.k });
}

// ---------------------------------------------------------------------------
// Talking to the API

// Each refusal of the statistics API has a reason, and each reason a text
// of its own; a 503 here is about statistics, not the reporter's desk.
function errorKey(e) {
  if (e instanceof ApiError) {
    if (e.status === 400 && e.field === 'quarter') return 'stats.quarterOpen';
    if (e.status === 403) return 'stats.noAccess';
    if (e.status === 404) return 'stats.notFound';
    if (e.reason && (e.status === 409 || e.status === 503) && has(`stats.refusal.${e.reason}`)) {
      return `stats.refusal.${e.reason}`;
    }
    if (e.status === 409) return 'stats.refused';
    if (e.status === 503) return 'stats.refusal.database';
  }
  return staffErrorKey(e);
}

// Runs fn; anything that fails is shown (a 401: the session keeper offers
// to log in again in place, and the page keeps what was chosen).
async function act(fn) {
  v.error = null;
  v.msg = null;
  try {
    await fn();
    return true;
  } catch (e) {
    v.error = errorKey(e);
    v.focusTo = 'status';
    return false;
  }
}

// The list, newest quarter first; keeps the messages already shown.
async function loadList() {
  try {
    const r = await get('/api/v1/stats/releases', { token: me.token });
    const order = Object.keys(FAMILIES);
    v.releases = (r.releases ?? []).slice().sort((a, b) => (a.quarter === b.quarter
      ? order.indexOf(a.family) - order.indexOf(b.family) : (a.quarter < b.quarter ? 1 : -1)));
  } catch (e) {
    v.error = errorKey(e);
    v.releases = v.releases ?? [];
  }
  render();
}

async function openRelease(id) {
  v.loading = id;
  render();
  if (await act(async () => {
    v.current = await get(`/api/v1/stats/releases/${encodeURIComponent(id)}`, { token: me.token });
  })) v.focusTo = 'release';
  v.loading = null;
  render();
}

// Computing is irreversible (a release is frozen once computed, and in DP
// mode spends budget), so the page asks first. A release the list already
// holds is frozen: asking the server again returns it byte for byte (or
// says why not), computes nothing, and needs no question.
function askCompute() {
  if (v.busy) return;
  const existing = (v.releases ?? []).some((r) => r.family === v.form.family && r.quarter === v.form.quarter);
  if (existing) { compute({ existing }); return; }
  v.confirm = true;
  render();
  focus(document.getElementById('stats-confirm'));
}

async function compute({ existing = false } = {}) {
  if (v.busy) return;
  v.confirm = false;
  v.busy = true;
  render();
  const ok = await act(async () => {
    v.current = await post('/api/v1/stats/releases', { family: v.form.family, quarter: v.form.quarter }, { token: me.token });
  });
  v.busy = false;
  if (!ok) { render(); return; }
  v.msg = existing ? 'stats.exists' : 'stats.computed';
  v.focusTo = 'release';
  await loadList();
}

async function download(r, format) {
  await act(async () => {
    const bytes = await request('GET', `/api/v1/stats/releases/${encodeURIComponent(r.id)}?format=${format}`,
      { token: me.token, raw: true });
    downloadBytes(`meldpunt-${r.id}.${format}`, new Uint8Array(bytes));
  });
  if (v.error) render();
}

// One CSV field (RFC 4180): quoted when it holds a comma, quote or line end.
function csvField(x) {
  const text = String(x ?? '');
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The release as CSV for people and spreadsheets, made in the page from the
 * release's JSON: one line per number with the code and the name of its row
 * and column (totals too), "x" for a hidden number with the legend beside
 * it. UTF-8 with a byte-order mark, so spreadsheet programs read the
 * accents right.
 */
function namedCsv(r) {
  const [rowDim, colDim] = dimsOf(r);
  const TOTAL = '_total';
  const cells = new Map(r.cells.map((c) => [`${c.row}\u0000${c.col}`, c.value]));
  const note = (value) => (value === null || value === undefined ? t('stats.csv.hidden', { k: r.k })
    : r.method === 'dp' ? t('stats.csv.dp', { epsilon: r.epsilon }) : '');
  const line = (rowCode, rowName, colCode, colName, value) =>
    [rowCode, rowName, colCode, colName, value === null || value === undefined ? 'x' : value, note(value)].map(csvField).join(',');
  const lines = [['stats.csv.rowCode', 'stats.csv.rowName', 'stats.csv.colCode', 'stats.csv.colName', 'stats.csv.value', 'stats.csv.note']
    .map((k) => csvField(t(k))).join(',')];
  r.rows.forEach((row, i) => {
    for (const col of r.cols) lines.push(line(row, itemName(rowDim, row), col, itemName(colDim, col), cells.get(`${row}\u0000${col}`)));
    lines.push(line(row, itemName(rowDim, row), TOTAL, t('stats.csv.total'), r.row_totals[i]));
  });
  r.cols.forEach((col, j) => lines.push(line(TOTAL, t('stats.csv.total'), col, itemName(colDim, col), r.col_totals[j])));
  lines.push(line(TOTAL, t('stats.csv.total'), TOTAL, t('stats.csv.total'), r.total));
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

function downloadNamedCsv(r) {
  downloadBytes(`${t('stats.csv.file')}-${r.family}-${r.quarter}.csv`, new TextEncoder().encode(namedCsv(r)));
}

// ---------------------------------------------------------------------------
// Views

function numberCell(value, { total = false } = {}) {
  const cls = `mp-num${total ? ' mp-num--total' : ''}`;
  if (value === null || value === undefined) {
    return h('td', { class: `${cls} mp-num--hidden` },
      h('span', { 'aria-hidden': 'true' }, HIDDEN), h('span', { class: 'mp-visually-hidden' }, t('stats.hiddenCell')));
  }
  return h('td', { class: cls }, number(value));
}

function releaseTable(r, legendId) {
  const [rowDim, colDim] = dimsOf(r);
  const cells = new Map(r.cells.map((c) => [`${c.row}\u0000${c.col}`, c.value]));
  return h('div', { class: 'mp-table-wrap', tabindex: '0', role: 'region', 'aria-label': t('stats.tableLabel') },
    h('table', { class: 'mp-table mp-stats-table', id: 'stats-table', 'aria-describedby': legendId },
      // The caption names the table for screen readers; on screen the
      // release's heading just above says the same, and a caption as wide
      // as the table would scroll out of sight on a small screen.
      h('caption', { class: 'mp-visually-hidden' }, t('stats.tableCaption', { family: familyName(r.family), quarter: quarterName(r.quarter) })),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, dimName(rowDim)),
        r.cols.map((col) => h('th', { scope: 'col', class: 'mp-num' }, itemName(colDim, col))),
        h('th', { scope: 'col', class: 'mp-num' }, t('stats.total')))),
      h('tbody', {}, r.rows.map((row, i) => h('tr', {},
        h('th', { scope: 'row' }, itemName(rowDim, row)),
        r.cols.map((col) => numberCell(cells.get(`${row}\u0000${col}`))),
        numberCell(r.row_totals[i], { total: true })))),
      h('tfoot', {}, h('tr', {},
        h('th', { scope: 'row' }, t('stats.total')),
        r.col_totals.map((n) => numberCell(n, { total: true })),
        numberCell(r.total, { total: true })))));
}

// The merge map the release publishes, by name, when it shows the group.
function mergeNote(r) {
  const group = r.merge?.group ?? MERGED;
  if (!r.rows.includes(group)) return null;
  const members = Array.isArray(r.merge?.members) ? r.merge.members : [];
  const names = members.map((id) => itemName('organisation', id)).join(', ');
  return h('p', { id: 'stats-merge' }, t('stats.mergeNote', { names }));
}

function chartOptions(r) {
  const [rowDim] = dimsOf(r);
  const bars = r.rows.map((row, i) => {
    const value = r.row_totals[i];
    const known = typeof value === 'number';
    return { label: itemName(rowDim, row), value: known ? value : null, text: known ? number(value) : HIDDEN };
  });
  const values = bars.map((b) => t('stats.chartItem', { name: b.label,
    value: b.value === null ? t('stats.hiddenCell') : b.text })).join('; ');
  const title = has(`stats.chart.${rowDim}`) ? t(`stats.chart.${rowDim}`) : t('stats.chart.row');
  return { title: `${title}, ${quarterName(r.quarter)}`, description: t('stats.chartDesc', { values }), bars };
}

function releaseView(r) {
  const legend = r.method === 'dp'
    ? h('p', { id: 'stats-legend', class: 'mp-stats-legend' }, t('stats.legendDp', { epsilon: r.epsilon }))
    : h('p', { id: 'stats-legend', class: 'mp-stats-legend' }, t('stats.legend', { k: r.k }));
  const chartBox = h('div', { class: 'mp-chart__box', id: 'stats-chart' });
  return {
    chartBox,
    el: h('section', { 'aria-labelledby': 'release-h2' },
      h('h2', { id: 'release-h2' }, t('stats.releaseTitle', { family: familyName(r.family), quarter: quarterName(r.quarter) })),
      h('dl', { class: 'mp-dl' },
        h('dt', {}, t('stats.meta.method')), h('dd', { id: 'stats-method' }, methodText(r)),
        h('dt', {}, t('stats.meta.quarter')), h('dd', {}, quarterName(r.quarter)),
        h('dt', {}, t('stats.meta.created')), h('dd', {}, formatDate(r.created_on)),
        h('dt', {}, t('stats.meta.id')), h('dd', {}, r.id)),
      legend,
      mergeNote(r),
      r.total === 0 ? h('p', { id: 'stats-empty' }, t('stats.emptyRelease')) : null,
      releaseTable(r, 'stats-legend'),
      h('figure', { class: 'mp-chart' },
        h('figcaption', {}, chartOptions(r).title),
        chartBox,
        h('p', { class: 'mp-meta' }, t('stats.chartNote'))),
      h('h3', {}, t('stats.downloadH3')),
      h('p', { class: 'mp-hint' }, t('stats.downloadHint')),
      h('div', { class: 'mp-actions' },
        button(t('stats.downloadCsv'), () => downloadNamedCsv(r), { id: 'download-csv' }),
        button(t('stats.downloadCsvRaw'), () => download(r, 'csv'), { id: 'download-csv-raw' }),
        button(t('stats.downloadJson'), () => download(r, 'json'), { id: 'download-json' }))),
  };
}

// A changed choice withdraws a question asked about the previous one.
function dropQuestion(id) {
  if (!v.confirm) return;
  v.confirm = false;
  render();
  document.getElementById(id)?.focus();
}

function computeForm() {
  const quarters = closedQuarters(QUARTERS_OFFERED);
  if (!quarters.includes(v.form.quarter)) v.form.quarter = quarters[0];
  return h('form', { novalidate: true, onsubmit: (ev) => { ev.preventDefault(); askCompute(); } },
    field({ id: 'family', label: t('stats.familyField'),
      control: select(v.form, 'family', Object.keys(FAMILIES).map((f) => ({ value: f, label: familyName(f) })), { onchange: () => dropQuestion('family') }) }),
    field({ id: 'quarter', label: t('stats.quarterField'), hint: t('stats.quarterHint'),
      control: select(v.form, 'quarter', quarters.map((q) => ({ value: q, label: quarterName(q) })), { onchange: () => dropQuestion('quarter') }) }),
    h('div', { class: 'mp-actions' },
      button(t('stats.compute'), null, { primary: true, type: 'submit', disabled: v.busy, id: 'compute' }),
      v.busy ? h('p', { role: 'status', class: 'mp-meta' }, t('stats.computing')) : null),
    v.confirm ? confirmBox() : null);
}

function confirmBox() {
  const family = familyName(v.form.family);
  const quarter = quarterName(v.form.quarter);
  return h('div', { class: 'mp-notice mp-notice--warning', id: 'stats-confirm', role: 'alertdialog', tabindex: '-1',
    'aria-labelledby': 'stats-confirm-h', 'aria-describedby': 'stats-confirm-p' },
  h('h3', { id: 'stats-confirm-h' }, t('stats.confirmH')),
  h('p', { id: 'stats-confirm-p' }, t('stats.confirmText', { family, quarter }),
    ` ${t('stats.confirmTextDp')}`),
  h('div', { class: 'mp-actions' },
    button(t('stats.confirmYes'), () => compute(), { primary: true, id: 'stats-confirm-yes' }),
    button(t('stats.cancel'), () => { v.confirm = false; render(); document.getElementById('compute')?.focus(); }, { id: 'stats-confirm-no' })));
}

function releasesList() {
  if (v.releases === null) return h('p', { role: 'status' }, t('app.loading'));
  if (!v.releases.length) return h('p', {}, t('stats.none'));
  return h('div', { class: 'mp-table-wrap', tabindex: '0', role: 'region', 'aria-label': t('stats.listH2') },
    h('table', { class: 'mp-table', id: 'releases' },
      h('thead', {}, h('tr', {}, ['stats.col.quarter', 'stats.col.family', 'stats.col.method', 'stats.col.created', 'stats.col.action']
        .map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, v.releases.map((r) => h('tr', { 'aria-current': v.current?.id === r.id ? 'true' : null },
        h('td', {}, quarterName(r.quarter)),
        h('td', {}, familyName(r.family)),
        h('td', {}, has(`stats.method.${r.method}`) ? t(`stats.method.${r.method}`) : r.method),
        h('td', {}, formatDate(r.created_on)),
        h('td', {}, h('button', { type: 'button', class: 'mp-linklike', disabled: v.loading === r.id, onclick: () => openRelease(r.id) },
          t('stats.view'), h('span', { class: 'mp-visually-hidden' },
            ` ${t('stats.releaseTitle', { family: familyName(r.family), quarter: quarterName(r.quarter) })}`))))))));
}

function render() {
  if (!page) return;
  const main = page.main;
  if (!me) {
    loginForm(main, loginState, { titleKey: 'stats.loginH1', introKey: 'stats.loginIntro', rerender: render, onDone: signedIn });
    return;
  }
  const release = v.current ? releaseView(v.current) : null;
  replace(main,
    h('h1', {}, t('stats.h1')),
    h('p', {}, t('stats.intro')),
    h('div', { id: 'stats-status', tabindex: '-1' },
      v.error ? notice('error', h('p', {}, errText(v.error))) : null,
      v.msg ? notice('ok', h('p', { role: 'status' }, t(v.msg))) : null),
    h('h2', {}, t('stats.computeH2')),
    computeForm(),
    h('h2', {}, t('stats.listH2')),
    releasesList(),
    release ? release.el : null);
  if (release) drawBarChart(release.chartBox, chartOptions(v.current));
  const to = v.focusTo;
  v.focusTo = null;
  if (to === 'release') focus(document.getElementById('release-h2'));
  else if (to === 'status') focus(document.getElementById('stats-status'));
  else if (to === 'h1') focus(main.querySelector('h1'));
}

function signedIn(session) {
  forgetKeys(session); // this page needs the token only
  if (!ROLES.includes(session.adviser?.role)) {
    endSession(session);
    loginState.error = 'stats.noAccess';
    render();
    focus(page.main.querySelector('.mp-notice--error'));
    return;
  }
  loginState.error = null;
  me = session;
  keeper.start();
  page.refreshFrame();
  v.focusTo = 'h1';
  render();
  loadList();
}

function extraNav() {
  if (!me) return null;
  return h('li', {}, h('button', { type: 'button', class: 'mp-linklike', id: 'logout', onclick: () => signOut(me, '/stats.html') },
    t('nav.logout')));
}

boot({ area: 'staff', current: 'stats', render: () => render(), extraNav, role: () => me?.adviser?.role ?? null,
  onReady: (r) => {
    ({ desk, page } = r);
    keeper = staffSessionKeeper({
      main: page.main, path: '/stats.html', current: () => me, keepKeys: false,
      adopt: (s) => { me = s; },
      ping: (token) => get('/api/v1/stats/releases', { token }),
      onRenewed: () => { v.error = null; loadList(); },
    });
  } });
