// stats.mjs - what the statistics tests share: seeding a quarter straight
// into the database, computing releases, opening their sealed
// certificates, and an insider's deductions from published tables.
//
// The deductions are the test's own, independent of the daemon: a table's
// values are linked by its row sums, column sums and totals (and two
// releases of one quarter by the category totals and grand total they
// share); every value an insider knows is subtracted, and from what is
// left, every constraint with one unknown gives that unknown, and every
// constraint already met by its known parts gives zeros (counts are never
// negative). A published or deduced value whose unknown part lies in
// 1..k-1 is a disclosure.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { env, psql } from './harness.mjs';
import { call, mc } from './fixtures.mjs';

export const K = 5;

export const quarterBounds = (q) => {
  const year = Number(q.slice(0, 4));
  const n = Number(q[5]);
  const first = `${year}-${String(3 * n - 2).padStart(2, '0')}-01`;
  return { year, first };
};

// n cases per [organisation, topic, n] received in the quarter.
export function seedIntake(db, quarter, counts) {
  const { first } = quarterBounds(quarter);
  const rows = counts.filter(([, , n]) => n > 0).map(([o, t, n]) => `SELECT
    decode(md5(random()::text || clock_timestamp()::text || i::text), 'hex'), '${o}', '${t}',
    date '${first}' + (i % 60) FROM generate_series(1, ${n}) i`).join(' UNION ALL ');
  if (rows) psql(db, `INSERT INTO cases (id, organisation, topic, received_on) ${rows}`);
}

// Facts of cases first closed in the quarter: [organisation, outcome,
// category, ground ('not_applicable': none), n].
export function seedFacts(db, quarter, rows, topic = 'racism') {
  const values = rows.filter((r) => r[4] > 0).map(([o, u, c, g, n]) => `SELECT '${o}', '${topic}',
    '${quarter}', '${quarter}', '${c}', ${g === 'not_applicable' ? 'NULL' : `'${g}'`}, '${u}'
    FROM generate_series(1, ${n})`).join(' UNION ALL ');
  if (values) {
    psql(db, `INSERT INTO case_facts (organisation, topic, received_quarter, closed_quarter,
      category, primary_ground, outcome) ${values}`);
  }
}

/**
 * One case whose reporter excluded the given accounts, received in
 * quarter (and, with closed, first closed in it with that classification:
 * the facts row as meldpunt_case_update writes it, and the closing itself
 * so that the database records what the excluded accounts cannot see).
 */
export function seedExcludedCase(db, { quarter, organisation, topic, excluded, closed = null }) {
  const { first } = quarterBounds(quarter);
  const id = `decode(md5('${organisation}${topic}' || random()::text || clock_timestamp()::text), 'hex')`;
  const close = closed ? `UPDATE cases SET status = 'closed', category = '${closed.category}',
      primary_ground = ${closed.ground ? `'${closed.ground}'` : 'NULL'}, outcome = '${closed.outcome}',
      closed_on = date '${first}' + 20, first_closed_on = date '${first}' + 20
    WHERE id = (SELECT id FROM c);
    INSERT INTO case_facts (organisation, topic, received_quarter, closed_quarter, category,
      primary_ground, outcome) VALUES ('${organisation}', '${topic}', '${quarter}', '${quarter}',
      '${closed.category}', ${closed.ground ? `'${closed.ground}'` : 'NULL'}, '${closed.outcome}');` : '';
  psql(db, `CREATE TEMP TABLE c AS SELECT ${id} AS id;
    INSERT INTO cases (id, organisation, topic, received_on) SELECT id, '${organisation}', '${topic}',
      date '${first}' + 10 FROM c;
    INSERT INTO case_exclusions (case_id, account_id)
      SELECT c.id, a::uuid FROM c, unnest(ARRAY[${excluded.map((a) => `'${a}'`).join(',')}]) a;
    ${close}`);
}

export async function compute(server, token, family, quarter) {
  return call(server, 'POST', '/api/v1/stats/releases', { token, body: { family, quarter } });
}

// The sealed certificate of a stored release, opened with stats_key.
export function certificate(db, id) {
  const row = psql(db, `SELECT encode(certificate, 'hex') FROM stats_releases WHERE id = '${id}'`);
  const sealed = Buffer.from(row, 'hex');
  const key = mc.fromB64(readFileSync(`${env.secrets}/stats_key`, 'utf8').trim());
  const s = mc.libsodium();
  return JSON.parse(Buffer.from(s.crypto_secretbox_open_easy(sealed.subarray(24),
    sealed.subarray(0, 24), key)).toString('utf8'));
}

// A release as linear constraints over its values: cells row-major, row
// totals, column totals, grand total (null: not known).
function asTable(r) {
  const nr = r.rows.length; const nc = r.cols.length;
  const cell = new Map(r.cells.map((c) => [`${c.row}|${c.col}`, c.value]));
  const values = [];
  for (const row of r.rows) for (const col of r.cols) values.push(cell.get(`${row}|${col}`));
  values.push(...r.row_totals, ...r.col_totals, r.total);
  const cons = [];
  for (let i = 0; i < nr; i++) {
    cons.push({ parts: r.cols.map((_, j) => i * nc + j), sum: nr * nc + i });
  }
  for (let j = 0; j < nc; j++) {
    cons.push({ parts: r.rows.map((_, i) => i * nc + j), sum: nr * nc + nr + j });
  }
  cons.push({ parts: r.rows.map((_, i) => nr * nc + i), sum: nr * nc + nr + nc });
  cons.push({ parts: r.cols.map((_, j) => nr * nc + nr + j), sum: nr * nc + nr + nc });
  return { r, nr, nc, values, cons };
}

/**
 * disclosures(releases, {known, links}): every value of the releases whose
 * unknown part an insider can work out and that lies in 1..k-1. known(t,
 * v) is what the insider knows of value v of release t (default 0);
 * links are [[t1, v1, t2, v2]] pairs of equal values. Returns
 * [{release, index, what, part}].
 */
export function disclosures(releases, { known = () => 0, links = [], k = K } = {}) {
  const tables = releases.map(asTable);
  assert.ok(tables.some((t) => t.values.some((v) => v !== null)), 'published values to check');
  // Unknown parts: published value minus what the insider knows.
  const part = tables.map((t, ti) => t.values.map((v, vi) => (v === null ? null : v - known(ti, vi))));
  const out = [];
  const note = (ti, vi, value, what) => {
    if (value > 0 && value < k) out.push({ release: tables[ti].r.id, index: vi, what, part: value });
  };
  part.forEach((p, ti) => p.forEach((v, vi) => { if (v !== null) note(ti, vi, v, 'published'); }));
  const set = (ti, vi, v) => {
    part[ti][vi] = v;
    note(ti, vi, v, 'deduced');
    return true;
  };
  for (let changed = true; changed;) {
    changed = false;
    for (const [a, i, b, j] of links) {
      if (part[a][i] === null && part[b][j] !== null) changed = set(a, i, part[b][j]) || changed;
      if (part[b][j] === null && part[a][i] !== null) changed = set(b, j, part[a][i]) || changed;
    }
    tables.forEach((t, ti) => {
      const p = part[ti];
      for (const c of t.cons) {
        const unknown = c.parts.filter((x) => p[x] === null);
        const knownSum = c.parts.filter((x) => p[x] !== null).reduce((s, x) => s + p[x], 0);
        if (p[c.sum] === null) {
          if (unknown.length === 0) changed = set(ti, c.sum, knownSum) || changed;
          continue;
        }
        if (unknown.length === 1) changed = set(ti, unknown[0], p[c.sum] - knownSum) || changed;
        else if (unknown.length > 1 && knownSum === p[c.sum]) {
          for (const x of unknown) changed = set(ti, x, 0) || changed;
        }
      }
    });
  }
  return out;
}

// Links between the two outcome families: category totals, grand total.
export function outcomeLinks(a, b) {
  const links = [];
  const ta = asTable(a); const tb = asTable(b);
  a.rows.forEach((cat, i) => {
    const j = b.rows.indexOf(cat);
    assert.ok(j >= 0, `category ${cat} in both`);
    links.push([0, ta.nr * ta.nc + i, 1, tb.nr * tb.nc + j]);
  });
  links.push([0, ta.values.length - 1, 1, tb.values.length - 1]);
  return links;
}

/**
 * An insider's knowledge of a release: entries [row id, col id, n] of the
 * cases they know, summed into the release's values; an organisation of
 * the merge map (merge: {group, members}, as the test set it up) counts
 * in the merged row. Returns the values' known parts, for knownOf().
 */
export function knowledge(release, entries, merge = null) {
  const nr = release.rows.length; const nc = release.cols.length;
  const rowOf = (id) => {
    const i = release.rows.indexOf(id);
    if (i >= 0) return i;
    return merge?.members.includes(id) ? release.rows.indexOf(merge.group) : -1;
  };
  const cell = Array(nr * nc).fill(0);
  for (const [row, col, n] of entries) {
    const i = rowOf(row); const j = release.cols.indexOf(col);
    assert.ok(i >= 0 && j >= 0, `what the insider knows, ${row}/${col}, is a cell of the release`);
    cell[i * nc + j] += n;
  }
  const values = [...cell];
  for (let i = 0; i < nr; i++) values.push(cell.slice(i * nc, i * nc + nc).reduce((a, b) => a + b, 0));
  for (let j = 0; j < nc; j++) values.push(release.rows.reduce((a, _, i) => a + cell[i * nc + j], 0));
  values.push(cell.reduce((a, b) => a + b, 0));
  return values;
}

// known(t, v) over several releases' knowledge arrays.
export const knownOf = (...arrays) => (t, v) => arrays[t][v];
