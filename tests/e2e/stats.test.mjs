// stats.test.mjs - the statistics page in the browser (SPEC section 6,
// issue 6): an analyst logs in with the shared staff form, computes the
// intake release of last year's Q3 from cases the test seeds straight into
// the database, and reads it as a table whose numbers match an independent
// recount, with every suppressed value shown as the same mark and
// explained; the SVG chart has one bar per row and a text alternative; the
// JSON and CSV downloads (fetched with the bearer token, handed over as a
// Blob) equal what the API serves; no token in any URL or storage; axe-core
// finds nothing in Dutch and English; no console errors or CSP violations;
// nothing scrolls sideways at 320 px. An admin gets no statistics, and the
// staff navigation offers the page to coordinators and analysts only. In
// differential-privacy mode an outcome release states epsilon, explains the
// noise, and names categories and grounds from the catalogues; both
// outcome families are released, and a refusal is told in its own words.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { psql } from '../api/lib/harness.mjs';
import { addAccounts, call } from '../api/lib/fixtures.mjs';
import { freshCode, login } from '../api/lib/accounts.mjs';
import { startDesk, launch, watchedPage, ready, screenshot, axe } from './lib/browser.mjs';

const K = 5;
const QUARTER = `${new Date().getUTCFullYear() - 1}Q3`;
const FIRST = `${QUARTER.slice(0, 4)}-07-01`;
const QUARTER_NL = `3e kwartaal ${QUARTER.slice(0, 4)}`;
const QUARTER_EN = `Q3 ${QUARTER.slice(0, 4)}`;
const PASSPHRASE = 'statistics passphrase for the e2e tests';

// Cases received in the quarter, per (organisation, topic): large counts,
// and small ones (1, 2, 3) that must never be shown.
const SEEDED = [['bzk', 'racism', 12], ['bzk', 'discrimination', 3], ['fin', 'racism', 7],
  ['fin', 'harassment', 1], ['def', 'integrity', 9], ['jenv', 'racism', 2], ['az', 'racism', 6]];

function seedCases(db) {
  const rows = SEEDED.map(([o, t, n]) => `SELECT decode(md5(random()::text || i::text), 'hex'),
    '${o}', '${t}', date '${FIRST}' + (i % 60) FROM generate_series(1, ${n}) i`).join(' UNION ALL ');
  psql(db, `UPDATE organisations SET created_on = date '${FIRST}' - 400;
    INSERT INTO cases (id, organisation, topic, received_on) ${rows};`);
}

// Facts stored at first closing (SPEC section 5), for the outcome families:
// 40 cases closed in the quarter, some without a primary ground.
function seedFacts(db) {
  psql(db, `INSERT INTO case_facts SELECT (ARRAY['bzk','fin','def'])[1 + i % 3], 'racism', '${QUARTER}',
    '${QUARTER}', (ARRAY['racism','discrimination','bullying'])[1 + (i * 7) % 3],
    CASE WHEN (i * 7) % 3 < 2 THEN (ARRAY['origin_race','religion_belief'])[1 + i % 2] END,
    (ARRAY['advice','mediation'])[1 + (i * 5) % 2] FROM generate_series(1, 40) i;`);
}

// The independent recount: cases per (organisation, topic) in the quarter.
function recount(db) {
  const lines = psql(db, `SELECT organisation || ',' || topic || ',' || count(*) FROM cases
    WHERE received_on >= date '${FIRST}' AND received_on < date '${FIRST}' + interval '3 months'
    GROUP BY organisation, topic`).split('\n').filter(Boolean);
  return new Map(lines.map((l) => { const [o, t, n] = l.split(','); return [`${o}|${t}`, Number(n)]; }));
}

// The table as text: [[row header, cell…, total]…], a suppressed cell as '×'.
function readTable(page) {
  return page.locator('#stats-table').evaluate((table) => {
    const text = (el) => (el.classList.contains('mp-num--hidden') ? '×' : el.textContent.trim());
    return {
      caption: table.caption.textContent,
      head: [...table.tHead.rows[0].cells].map(text),
      body: [...table.tBodies[0].rows].map((tr) => [...tr.cells].map(text)),
      foot: [...table.tFoot.rows[0].cells].map(text),
      rowHeaders: [...table.querySelectorAll('tbody th')].every((th) => th.scope === 'row'),
      colHeaders: [...table.tHead.querySelectorAll('th')].every((th) => th.scope === 'col'),
    };
  });
}

async function signIn(page, account, db, { lang = 'nl' } = {}) {
  const nl = lang === 'nl';
  await page.getByLabel(nl ? 'E-mailadres' : 'Email address').fill(account.email);
  await page.getByLabel(nl ? 'Wachtzin' : 'Passphrase').fill(PASSPHRASE);
  await page.getByLabel(nl ? 'Code uit de authenticator-app' : 'Code from your authenticator app').fill(freshCode(db, account));
  await page.getByRole('button', { name: nl ? 'Inloggen' : 'Log in' }).click();
}

const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('the statistics page', () => {
  let desk;
  let browser;
  let analyst;
  let admin;
  let coordinator;
  before(async () => {
    desk = await startDesk();
    browser = await launch();
    [analyst, admin, coordinator] = addAccounts(desk.db, [
      { name: 'Ann Analyst', role: 'analyst', organisations: [], topics: [], passphrase: PASSPHRASE },
      { name: 'Ada Admin', role: 'admin', organisations: [], topics: [], passphrase: PASSPHRASE },
      { name: 'Cees Coordinator', role: 'coordinator', organisations: ['bzk'], topics: ['*'], passphrase: PASSPHRASE }]);
    seedCases(desk.db);
  });
  after(async () => {
    await browser?.close();
    await desk?.server.stop();
  });

  test('an analyst computes last year\'s Q3 intake release and reads it as a table, a chart and downloads', async () => {
    const { page, problems, context } = await watchedPage(browser, desk.server.url);
    const urls = [];
    page.on('request', (r) => urls.push(r.url()));
    await page.goto('/stats.html');
    await ready(page);
    await page.getByRole('heading', { name: 'Inloggen voor statistieken' }).waitFor();
    assert.deepEqual(await axe(page), [], 'login form');
    await signIn(page, analyst, desk.db);
    await page.getByRole('heading', { level: 1, name: 'Statistieken' }).waitFor({ timeout: 60000 });
    await page.getByText('Er zijn nog geen publicaties.').waitFor();
    // The navigation offers what an analyst can use: statistics, not cases or administration.
    const nav = page.getByRole('navigation', { name: 'Hoofdmenu' });
    assert.equal(await nav.getByRole('link', { name: 'Statistieken' }).count(), 1);
    assert.equal(await nav.getByRole('link', { name: 'Vertrouwenspersonen' }).count(), 0);
    assert.equal(await nav.getByRole('link', { name: 'Beheer' }).count(), 0);

    // Only recent closed quarters are offered; the current one is not.
    const offered = await page.locator('#quarter option').evaluateAll((os) => os.map((o) => o.value));
    const now = new Date();
    assert.ok(!offered.includes(`${now.getUTCFullYear()}Q${Math.floor(now.getUTCMonth() / 3) + 1}`));
    assert.ok(offered.includes(QUARTER));
    await page.getByLabel('Tabel', { exact: true }).selectOption('intake_org_topic');
    await page.getByLabel('Kwartaal', { exact: true }).selectOption(QUARTER);
    // Computing is irreversible: the page asks first, and Cancel computes nothing.
    await page.getByRole('button', { name: 'Berekenen' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Publicatie berekenen?' });
    await confirm.waitFor();
    assert.match(await confirm.textContent(), /kan niet ongedaan worden gemaakt/);
    assert.equal(await confirm.evaluate((el) => el === document.activeElement), true, 'focus moves to the question');
    assert.deepEqual(await axe(page), [], 'with the question open');
    await confirm.getByRole('button', { name: 'Annuleren' }).click();
    assert.equal(await page.getByRole('alertdialog').count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Berekenen' }).evaluate((el) => el === document.activeElement), true,
      'focus returns to the button');
    const { token: early } = await login(desk.server, desk.db, analyst);
    assert.deepEqual((await call(desk.server, 'GET', '/api/v1/stats/releases', { token: early })).body.releases, [],
      'nothing was computed');
    await page.getByRole('button', { name: 'Berekenen' }).click();
    await page.getByRole('button', { name: 'Ja, publicatie berekenen' }).click();
    const heading = page.getByRole('heading', { level: 2,
      name: `Binnengekomen meldingen per organisatie en onderwerp, ${QUARTER_NL}` });
    await heading.waitFor({ timeout: 60000 });
    assert.equal(await heading.evaluate((el) => el === document.activeElement), true, 'focus moves to the release');
    await page.getByText('De publicatie staat hieronder.').waitFor();
    assert.equal(await page.locator('#releases tbody tr').count(), 1, 'the new release is listed');

    // What the API serves, for comparison; the numbers themselves are checked against the recount.
    const { token } = await login(desk.server, desk.db, analyst);
    const release = (await call(desk.server, 'GET', `/api/v1/stats/releases/${QUARTER}-intake_org_topic`, { token })).body;
    assert.equal(release.method, 'suppression');
    assert.equal(release.k, K);
    assert.equal(await page.locator('#stats-method').textContent(), `Kleine aantallen onderdrukt, k = ${K}`);
    const legend = await page.locator('#stats-legend').textContent();
    assert.match(legend, /^× = verborgen om de anonimiteit te beschermen: minder dan 5 meldingen/);

    const deskInfo = (await call(desk.server, 'GET', '/api/v1/desk')).body;
    const orgName = (id) => (id === 'other_organisations' ? 'Overige rijksorganisaties'
      : deskInfo.organisations.find((o) => o.id === id).name.nl);
    const topicName = (id) => deskInfo.topics.find((o) => o.id === id).name.nl;
    const truth = recount(desk.db);
    const shown = await readTable(page);
    assert.equal(shown.caption, `Aantal meldingen: Binnengekomen meldingen per organisatie en onderwerp, ${QUARTER_NL}`);
    assert.ok(shown.rowHeaders && shown.colHeaders, 'row and column headers are marked up');
    assert.deepEqual(shown.head, ['Organisatie', ...release.cols.map(topicName), 'Totaal']);
    assert.equal(shown.body.length, release.rows.length);
    assert.ok(release.rows.length > 0, 'rows to check');
    const hidden = [];
    let recounted = 0;
    let totalsChecked = 0;
    release.rows.forEach((row, i) => {
      const line = shown.body[i];
      assert.equal(line[0], orgName(row));
      release.cols.forEach((col, j) => {
        const text = line[1 + j];
        if (text === '×') { hidden.push(`${row}|${col}`); return; }
        const n = Number(text);
        assert.ok(n === 0 || n >= K, `${row}/${col} shows ${n}, between 1 and ${K - 1}`);
        if (row !== 'other_organisations') {
          assert.equal(n, truth.get(`${row}|${col}`) ?? 0, `${row}/${col} recounts`);
          recounted++;
        }
      });
      const total = line.at(-1);
      if (total !== '×' && row !== 'other_organisations') {
        const sum = release.cols.reduce((a, col) => a + (truth.get(`${row}|${col}`) ?? 0), 0);
        assert.equal(Number(total), sum, `row total of ${row}`);
        totalsChecked++;
      }
    });
    assert.ok(recounted > 0, 'shown cells were recounted');
    assert.ok(totalsChecked > 0, 'shown row totals were recounted');
    // The small cells are hidden, and the page hides exactly what the release hides.
    for (const small of ['fin|harassment', 'bzk|discrimination', 'jenv|racism']) {
      assert.ok(hidden.includes(small), `${small} is hidden`);
    }
    assert.deepEqual(hidden.sort(), release.cells.filter((c) => c.value === null).map((c) => `${c.row}|${c.col}`).sort());
    assert.equal(shown.foot[0], 'Totaal');
    assert.equal(shown.foot.at(-1), String([...truth.values()].reduce((a, b) => a + b, 0)), 'grand total');
    assert.equal(await page.locator('#stats-table td.mp-num--hidden .mp-visually-hidden').first().textContent(), 'verborgen');
    assert.equal(await page.locator('#stats-table').getAttribute('aria-describedby'), 'stats-legend');

    // The chart: SVG elements, one bar per row, a text alternative, no inline styles.
    const chart = page.locator('#stats-chart svg');
    assert.equal(await chart.getAttribute('role'), 'img');
    assert.equal(await chart.locator('rect.mp-chart__bar').count(), release.rows.length);
    assert.match(await chart.locator('title').textContent(), /^Aantal meldingen per organisatie/);
    const desc = await chart.locator('desc').textContent();
    for (const row of release.rows) assert.ok(desc.includes(orgName(row)), `the text alternative names ${row}`);
    assert.equal(await page.locator('[style]').count(), 0, 'no inline styles');
    const widths = await chart.locator('rect.mp-chart__bar').evaluateAll((rs) => rs.map((r) => r.getBoundingClientRect().width));
    // Every row whose published total is above zero has a bar with a length
    // (bzk's total is suppressed here, so its bar proved nothing).
    const counted = release.rows.filter((_, i) => release.row_totals[i] !== null && release.row_totals[i] > 0);
    assert.ok(counted.length > 0, 'rows with a published total');
    for (const row of counted) assert.ok(widths[release.rows.indexOf(row)] > 0, `the ${row} bar has a length`);
    await screenshot(page, 'stats-release-nl');
    assert.deepEqual(await axe(page), [], 'Dutch');

    // Downloads: the stored files are the same bytes as the API, with no token in any address.
    for (const [format, name] of [['csv', 'CSV zoals vastgelegd downloaden'], ['json', 'JSON downloaden']]) {
      const [download] = await Promise.all([page.waitForEvent('download'),
        page.getByRole('button', { name }).click()]);
      assert.equal(download.suggestedFilename(), `meldpunt-${QUARTER}-intake_org_topic.${format}`);
      const bytes = readFileSync(await download.path());
      const served = await call(desk.server, 'GET', `/api/v1/stats/releases/${release.id}?format=${format}`, { token });
      const expected = format === 'csv' ? Buffer.from(served.body) : Buffer.from(JSON.stringify(served.body));
      if (format === 'csv') assert.deepEqual(bytes, expected, 'CSV bytes');
      else assert.deepEqual(JSON.parse(bytes.toString('utf8')), served.body, 'JSON');
      if (format === 'csv') assert.ok(bytes.toString('utf8').includes(',x,') || bytes.toString('utf8').includes(',x\r\n'), 'suppressed as x');
    }
    // The CSV with names: one line per number, codes and names side by side,
    // the legend at every hidden number, the same numbers as the release.
    const [named] = await Promise.all([page.waitForEvent('download'),
      page.getByRole('button', { name: 'CSV met namen downloaden' }).click()]);
    assert.equal(named.suggestedFilename(), `meldpunt-publicatie-intake_org_topic-${QUARTER}.csv`);
    const text = readFileSync(await named.path(), 'utf8');
    assert.ok(text.startsWith('\ufeff'), 'a byte-order mark for spreadsheets');
    const lines = text.slice(1).split('\r\n').filter(Boolean);
    assert.equal(lines[0], 'rij_code,rij_naam,kolom_code,kolom_naam,aantal,toelichting');
    const parse = (l) => [...l.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)].map((m) => m[1].replace(/^"|"$/g, '').replace(/""/g, '"')).slice(0, 6);
    const byKey = new Map(lines.slice(1).map((l) => { const f = parse(l); return [`${f[0]}|${f[2]}`, f]; }));
    assert.equal(byKey.size, release.rows.length * (release.cols.length + 1) + release.cols.length + 1, 'every cell and total once');
    for (const c of release.cells) {
      const f = byKey.get(`${c.row}|${c.col}`);
      assert.equal(f[1], orgName(c.row));
      assert.equal(f[3], topicName(c.col));
      if (c.value === null) {
        assert.equal(f[4], 'x');
        assert.match(f[5], /^x = verborgen om de anonimiteit te beschermen \(minder dan 5 meldingen/);
      } else {
        assert.equal(f[4], String(c.value));
        assert.equal(f[5], '');
      }
    }
    assert.deepEqual(byKey.get('_total|_total').slice(1, 5), ['Totaal', '_total', 'Totaal', String(release.total)]);

    // English: names from the catalogues and the desk, same structure.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 2, name: `Reports received, by organisation and topic, ${QUARTER_EN}` }).waitFor();
    assert.match(await page.locator('#stats-legend').textContent(), /^× = hidden to protect anonymity: fewer than 5 reports/);
    const en = await readTable(page);
    assert.deepEqual(en.head, ['Organisation', ...release.cols.map((id) => deskInfo.topics.find((o) => o.id === id).name.en), 'Total']);
    assert.equal(await page.locator('#stats-chart rect.mp-chart__bar').count(), release.rows.length);
    await screenshot(page, 'stats-release-en');
    assert.deepEqual(await axe(page), [], 'English');

    // The token never appears in an address, and nothing is stored.
    assert.ok(urls.every((u) => !u.includes(token) && !/token|bearer/i.test(u)), 'no token in any URL');
    const storage = await page.evaluate(async () => ({ local: localStorage.length, session: sessionStorage.length,
      idb: (await indexedDB.databases()).length, cookies: document.cookie }));
    assert.deepEqual(storage, { local: 0, session: 0, idb: 0, cookies: '' });
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('at 320 px the release fits: the table scrolls in its own region, the chart redraws to the width', async () => {
    const { page, problems, context } = await watchedPage(browser, desk.server.url, { viewport: { width: 320, height: 640 } });
    await page.goto('/stats.html');
    await ready(page);
    await signIn(page, analyst, desk.db);
    await page.getByRole('heading', { level: 1, name: 'Statistieken' }).waitFor({ timeout: 60000 });
    await page.getByRole('button', { name: /^Bekijken Binnengekomen meldingen/ }).click();
    await page.locator('#stats-chart svg').waitFor();
    assert.ok(await overflow(page) <= 0, `the page overflows by ${await overflow(page)}px`);
    const box = await page.locator('#stats-chart svg').boundingBox();
    assert.ok(box.width <= 320 && box.width > 200, `the chart is ${box.width}px wide`);
    const release = await page.locator('#releases tbody tr').count();
    assert.equal(release, 1);
    await screenshot(page, 'stats-release-320');
    assert.deepEqual(await axe(page), [], '320 px');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('an analyst gets no administration: told so, and the session ends', async () => {
    const { page, problems, context } = await watchedPage(browser, desk.server.url);
    const adminCalls = [];
    page.on('request', (r) => { if (r.url().includes('/api/v1/admin/')) adminCalls.push(r.url()); });
    const sessions = () => psql(desk.db, `SELECT count(*) FROM sessions WHERE account_id = '${analyst.id}'`);
    const before = sessions();	// earlier tests' sessions of this analyst
    await page.goto('/admin.html');
    await ready(page);
    await signIn(page, analyst, desk.db);
    await page.getByText('Dit account heeft geen toegang tot beheer.').waitFor({ timeout: 60000 });
    assert.deepEqual(adminCalls, [], 'the page asks the admin API nothing for an analyst');
    for (let i = 0; i < 20 && sessions() !== before; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(sessions(), before, 'the analyst\'s new session was ended');
    assert.deepEqual(await axe(page), []);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('an admin gets no statistics, and the navigation does not offer them', async () => {
    const { page, problems, context } = await watchedPage(browser, desk.server.url);
    const statsCalls = [];
    page.on('request', (r) => { if (r.url().includes('/api/v1/stats/')) statsCalls.push(r.url()); });
    await page.goto('/stats.html');
    await ready(page);
    await signIn(page, admin, desk.db);
    await page.getByText('Dit account heeft geen toegang tot statistieken.').waitFor({ timeout: 60000 });
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Inloggen voor statistieken');
    assert.equal(await page.locator('#stats-table, #releases').count(), 0);
    assert.deepEqual(statsCalls, [], 'the page asks the statistics API nothing for an admin');
    // The refused session is ended on the server.
    const sessions = () => psql(desk.db, `SELECT count(*) FROM sessions WHERE account_id = '${admin.id}'`);
    for (let i = 0; i < 20 && sessions() !== '0'; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(sessions(), '0', 'the admin\'s session was ended');
    await screenshot(page, 'stats-admin-refused');
    assert.deepEqual(await axe(page), []);

    // On the admin page, the signed-in admin's navigation has no statistics link.
    await page.goto('/admin.html');
    await ready(page);
    const nav = page.getByRole('navigation', { name: 'Hoofdmenu' });
    assert.equal(await nav.getByRole('link', { name: 'Statistieken' }).count(), 1, 'offered before sign-in');
    await signIn(page, admin, desk.db);
    await page.getByRole('button', { name: 'Uitloggen' }).waitFor({ timeout: 60000 });
    assert.equal(await nav.getByRole('link', { name: 'Statistieken' }).count(), 0, 'not offered to an admin');
    const api = await login(desk.server, desk.db, admin);
    assert.equal((await call(desk.server, 'GET', '/api/v1/stats/releases', { token: api.token })).status, 403);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('a coordinator is offered statistics next to the cases; an analyst on the cases page is sent to statistics', async () => {
    const { page, problems, context } = await watchedPage(browser, desk.server.url);
    await page.goto('/adviser.html');
    await ready(page);
    await signIn(page, coordinator, desk.db);
    await page.getByRole('button', { name: 'Uitloggen' }).waitFor({ timeout: 60000 });
    const nav = page.getByRole('navigation', { name: 'Hoofdmenu' });
    assert.equal(await nav.getByRole('link', { name: 'Statistieken' }).getAttribute('href'), '/stats.html');
    assert.equal(await nav.getByRole('link', { name: 'Vertrouwenspersonen' }).count(), 1);
    assert.equal(await nav.getByRole('link', { name: 'Beheer' }).count(), 0);
    await nav.getByRole('link', { name: 'Statistieken' }).click();
    await ready(page);
    // A new page holds no session: the coordinator signs in again, and sees the releases.
    await signIn(page, coordinator, desk.db);
    await page.getByRole('heading', { level: 1, name: 'Statistieken' }).waitFor({ timeout: 60000 });
    await page.locator('#releases').waitFor();

    await page.goto('/adviser.html');
    await ready(page);
    await signIn(page, analyst, desk.db);
    await page.getByText('Analisten werken op de pagina Statistieken.').waitFor({ timeout: 60000 });
    assert.deepEqual(problems, []);
    await context.close();
  });
});

describe('the statistics page in differential-privacy mode', () => {
  let desk;
  let browser;
  let analyst;
  before(async () => {
    desk = await startDesk({ settings: { stats_method: 'dp' } });
    browser = await launch();
    [analyst] = addAccounts(desk.db, [
      { name: 'Nora Analyst', role: 'analyst', organisations: [], topics: [], passphrase: PASSPHRASE }]);
    seedCases(desk.db);
    seedFacts(desk.db);
  });
  after(async () => {
    await browser?.close();
    await desk?.server.stop();
  });

  test('an outcome release states epsilon, explains the noise and names the vocabulary from the catalogues', async () => {
    const { page, problems, context } = await watchedPage(browser, desk.server.url);
    await page.goto('/stats.html');
    await ready(page);
    await page.getByRole('button', { name: 'English' }).click();
    await signIn(page, analyst, desk.db, { lang: 'en' });
    await page.getByRole('heading', { level: 1, name: 'Statistics' }).waitFor({ timeout: 60000 });
    await page.getByLabel('Table', { exact: true }).selectOption('outcome_category_ground');
    await page.getByLabel('Quarter', { exact: true }).selectOption(QUARTER);
    await page.getByRole('button', { name: 'Compute' }).click();
    await page.getByRole('button', { name: 'Yes, compute the release' }).click();
    await page.getByRole('heading', { level: 2, name: `Closed reports, by category and primary ground, ${QUARTER_EN}` })
      .waitFor({ timeout: 60000 });
    const { token } = await login(desk.server, desk.db, analyst);
    const release = (await call(desk.server, 'GET', `/api/v1/stats/releases/${QUARTER}-outcome_category_ground`, { token })).body;
    assert.equal(release.method, 'dp');
    assert.equal(await page.locator('#stats-method').textContent(), `Differential privacy, ε = ${release.epsilon}`);
    assert.match(await page.locator('#stats-legend').textContent(), /^Random noise has been added/);
    const shown = await readTable(page);
    assert.equal(shown.head[0], 'Category');
    assert.ok(shown.head.includes('Not applicable'), 'cases without a primary ground');
    assert.ok(shown.head.includes('Origin or race') || shown.head.includes('Religion or belief'), shown.head.join('|'));
    assert.deepEqual(shown.body.map((r) => r[0]).sort(), release.rows.map((id) => ({ racism: 'Racism',
      discrimination: 'Discrimination', bullying: 'Bullying', sexual_harassment: 'Sexual harassment',
      aggression: 'Aggression and violence', integrity: 'Integrity', other: 'Other' })[id] ?? id).sort());
    assert.ok(release.rows.length > 0, 'rows to check');
    release.rows.forEach((row, i) => {
      const line = shown.body[i].slice(1).map(Number);
      assert.ok(line.every((n) => Number.isInteger(n) && n >= 0), `row ${row}: non-negative integers`);
      assert.equal(line.at(-1), line.slice(0, -1).reduce((a, b) => a + b, 0), `row ${row}: the total is the sum of its cells`);
    });
    assert.equal(await page.locator('#stats-table .mp-num--hidden').count(), 0, 'nothing is suppressed');
    assert.equal(await page.locator('#stats-chart rect.mp-chart__bar').count(), release.rows.length);
    await screenshot(page, 'stats-dp-en');
    assert.deepEqual(await axe(page), []);
    assert.deepEqual(problems, []);

    // The other outcome family, then a refusal in words of its own: a
    // release that was stored and is gone is not computed again.
    await page.getByLabel('Table', { exact: true }).selectOption('outcome_category_outcome');
    await page.getByRole('button', { name: 'Compute' }).click();
    await page.getByRole('button', { name: 'Yes, compute the release' }).click();
    await page.getByRole('heading', { level: 2, name: `Closed reports, by category and outcome, ${QUARTER_EN}` })
      .waitFor({ timeout: 60000 });
    psql(desk.db, `ALTER TABLE stats_releases DISABLE TRIGGER stats_releases_frozen;
      DELETE FROM stats_releases WHERE id = '${QUARTER}-outcome_category_ground';
      ALTER TABLE stats_releases ENABLE TRIGGER stats_releases_frozen;`);
    await page.getByLabel('Table', { exact: true }).selectOption('outcome_category_ground');
    const from = problems.length;
    // (The list still names it, so the page asks the server without a question: nothing new is computed.)
    await page.getByRole('button', { name: 'Compute' }).click();
    await page.getByText('This release was computed before and is no longer stored.', { exact: false })
      .waitFor({ timeout: 60000 });
    assert.deepEqual(problems.splice(from),
      ['console: Failed to load resource: the server responded with a status of 409 (Conflict)']);
    assert.equal(await page.getByText('The desk is temporarily unavailable', { exact: false }).count(), 0);
    assert.deepEqual(await axe(page), [], 'with the refusal');
    assert.deepEqual(problems, []);
    await context.close();
  });
});
