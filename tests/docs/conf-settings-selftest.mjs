// conf-settings-selftest.mjs - conf-settings.mjs itself can fail: it passes
// on the files as they are, and fails on copies where a setting was added
// to config.c without the page, one was dropped from the page, a variable
// or a default differs, or the page documents a setting config.c lacks.
//
//   node tests/docs/conf-settings-selftest.mjs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const top = resolve(here, '..', '..');
const checker = join(here, 'conf-settings.mjs');
const config = readFileSync(join(top, 'backend/lib/config.c'), 'utf8');
const page = readFileSync(join(top, 'docs/man/meldpuntd.conf.5'), 'utf8');
const tmp = mkdtempSync(join(tmpdir(), 'meldpunt-conf-selftest-'));
let failures = 0;

function replaceOnce(text, from, to, what) {
  if (!text.includes(from)) throw new Error(`selftest: cannot make "${what}": text not found`);
  return text.replace(from, to);
}

function run(name, configText, pageText, expectPass) {
  const c = join(tmp, `${name}.c`);
  const p = join(tmp, `${name}.5`);
  writeFileSync(c, configText);
  writeFileSync(p, pageText);
  const r = spawnSync(process.execPath, [checker, c, p], { encoding: 'utf8' });
  const passed = r.status === 0;
  const ok = passed === expectPass;
  console.log(`${ok ? 'ok' : 'NOT OK'} - ${name}: checker ${passed ? 'passed' : 'failed'}` +
    (expectPass ? '' : ` (${(r.stderr.split('\n')[0] || '').trim()})`));
  if (!ok) {
    failures++;
    process.stdout.write(r.stdout);
    process.stdout.write(r.stderr);
  }
}

const row = '\tINT("retention_days", "MELDPUNT_RETENTION_DAYS", retention_days, 1, 36500),\n';
const entry = /\.It Cm retention_days Pq Ev MELDPUNT_RETENTION_DAYS\n[\s\S]*?(?=\.El\n)/;

try {
  run('as committed', config, page, true);
  run('a setting added to config.c only',
    replaceOnce(config, row, row + '\tINT("new_limit", "MELDPUNT_NEW_LIMIT", retention_days, 1, 9),\n',
      'added setting'),
    page, false);
  run('a setting added with its row split over two lines',
    replaceOnce(config, row, row + '\tINT("new_limit",\n\t    "MELDPUNT_NEW_LIMIT", retention_days, 1, 9),\n',
      'added split setting'),
    page, false);
  run('a setting dropped from the page', config, page.replace(entry, ''), false);
  run('a variable renamed in config.c',
    replaceOnce(config, '"MELDPUNT_RETENTION_DAYS"', '"MELDPUNT_RETENTION"', 'renamed variable'),
    page, false);
  run('a default changed in config.c',
    replaceOnce(config, '{ "retention_days", "365" }', '{ "retention_days", "366" }', 'changed default'),
    page, false);
  run('a setting documented that config.c lacks', config,
    replaceOnce(page, '.It Cm retention_days Pq Ev MELDPUNT_RETENTION_DAYS\n',
      '.It Cm retention_hours Pq Ev MELDPUNT_RETENTION_HOURS\nDefault: empty.\n' +
      '.It Cm retention_days Pq Ev MELDPUNT_RETENTION_DAYS\n', 'extra entry'),
    false);
  run('a row commented out in config.c',
    replaceOnce(config, row, `/* ${row.trim()} */\n`, 'commented row'), page, false);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
if (failures > 0) {
  console.error(`conf-settings-selftest: ${failures} case(s) wrong`);
  process.exit(1);
}
