// conf-settings.mjs - docs/man/meldpuntd.conf.5 documents exactly the
// settings of backend/lib/config.c: every row of config_keys[] has one entry
// in the page with the same environment variable and the default that
// config_defaults() gives it, and the page has no entry that is not a
// setting.
//
//   node tests/docs/conf-settings.mjs [CONFIG_C [PAGE]]
//
// Exits 0 when they agree; otherwise lists every difference and exits 1.
//
// The page marks an entry as ".It Cm name Pq Ev VARIABLE" and its default
// with a line "Default:" followed by ".Ql value", or "Default: empty.".
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const top = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const configPath = process.argv[2] ?? resolve(top, 'backend/lib/config.c');
const pagePath = process.argv[3] ?? resolve(top, 'docs/man/meldpuntd.conf.5');
const problems = [];

function fail(message) {
  problems.push(message);
}

// C source without comments, so that a commented-out row does not count.
function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');
}

// The text between "<opening>" and the "};" that ends that initialiser.
function initialiser(text, opening, what) {
  const start = text.search(opening);
  if (start === -1) {
    fail(`${configPath}: cannot find ${what}`);
    return '';
  }
  const end = text.indexOf('};', start);
  if (end === -1) {
    fail(`${configPath}: ${what} does not end`);
    return '';
  }
  return text.slice(start, end);
}

function cString(literal) {
  return literal.replace(/\\(.)/g, '$1');
}

// config_keys[]: name -> environment variable.
function codeSettings(source) {
  const table = initialiser(source, /config_keys\s*\[\s*\]\s*=\s*\{/, 'config_keys[]');
  const settings = new Map();
  const rows = [...table.matchAll(/\b(STR|INT|SIZE|METHOD|FRACTION|ADDRS)\s*\(/g)];
  const read = [...table.matchAll(/\b(?:STR|INT|SIZE|METHOD|FRACTION|ADDRS)\s*\(\s*"((?:[^"\\]|\\.)*)"\s*,\s*"((?:[^"\\]|\\.)*)"/g)];
  if (rows.length === 0) fail(`${configPath}: config_keys[] has no rows (STR, INT, SIZE, METHOD, FRACTION, ADDRS)`);
  if (read.length !== rows.length)
    fail(`${configPath}: ${rows.length} rows in config_keys[], but only ${read.length} ` +
      'of them start with a "name", "VARIABLE" pair');
  for (const [, rawName, rawEnv] of read) {
    const name = cString(rawName);
    if (settings.has(name)) fail(`${configPath}: ${name} is in config_keys[] twice`);
    settings.set(name, cString(rawEnv));
  }
  return settings;
}

// config_defaults(): name -> default text.
function codeDefaults(source) {
  const table = initialiser(source, /defaults\s*\[\s*\]\s*\[\s*2\s*\]\s*=\s*\{/, 'the defaults table');
  const defaults = new Map();
  for (const [, name, value] of table.matchAll(/\{\s*"((?:[^"\\]|\\.)*)"\s*,\s*"((?:[^"\\]|\\.)*)"\s*\}/g))
    defaults.set(cString(name), cString(value));
  return defaults;
}

// The arguments of an mdoc macro line, without the macro and trailing
// delimiters, joined by one space as mandoc prints them.
function macroText(line) {
  const args = [];
  const re = /"((?:[^"]|"")*)"|(\S+)/g;
  for (const m of line.replace(/^\.\S+\s*/, '').matchAll(re))
    args.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]);
  while (args.length > 0 && /^[.,:;)\]?!]$/.test(args[args.length - 1])) args.pop();
  return args.join(' ').replace(/\\&/g, '').replace(/\\e/g, '\\').replace(/\\-/g, '-');
}

// The page's entries: name -> {env, default (undefined if not stated)}.
function pageSettings(page) {
  const lines = page.split('\n');
  const settings = new Map();
  let current = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^\.(It|El)\b/.test(line)) current = null;
    if (/^\.It\s+Cm\b/.test(line) && /\bEv\b/.test(line)) {
      const m = line.match(/^\.It\s+Cm\s+(\S+)\s+Pq\s+Ev\s+(\S+)\s*$/);
      if (!m) {
        fail(`${pagePath}:${i + 1}: an entry not of the form ".It Cm name Pq Ev VARIABLE"`);
        continue;
      }
      if (settings.has(m[1])) fail(`${pagePath}:${i + 1}: ${m[1]} is documented twice`);
      current = { env: m[2], default: undefined, line: i + 1 };
      settings.set(m[1], current);
      continue;
    }
    if (current === null || !line.startsWith('Default:')) continue;
    if (current.default !== undefined) fail(`${pagePath}:${i + 1}: a second default`);
    if (line === 'Default: empty.') current.default = '';
    else if (line === 'Default:' && lines[i + 1]?.startsWith('.Ql ')) current.default = macroText(lines[i + 1]);
    else fail(`${pagePath}:${i + 1}: write a default as "Default:" then ".Ql value", or "Default: empty."`);
  }
  return settings;
}

let source = '';
let page = '';
try {
  source = stripComments(readFileSync(configPath, 'utf8'));
  page = readFileSync(pagePath, 'utf8');
} catch (e) {
  fail(`cannot read the inputs: ${e.message}`);
}
const code = codeSettings(source);
const defaults = codeDefaults(source);
const documented = pageSettings(page);

for (const [name, env] of code) {
  const doc = documented.get(name);
  if (doc === undefined) {
    fail(`${name} (${env}) is a setting in config.c but is not documented in the page`);
    continue;
  }
  if (doc.env !== env)
    fail(`${name}: config.c reads ${env}, the page says ${doc.env}`);
  if (defaults.has(name) && doc.default !== defaults.get(name))
    fail(`${name}: config.c defaults to "${defaults.get(name)}", the page says ` +
      (doc.default === undefined ? 'nothing' : `"${doc.default}"`));
  if (!defaults.has(name) && doc.default !== undefined)
    fail(`${name}: config.c has no default, the page says "${doc.default}"`);
}
for (const [name, doc] of documented)
  if (!code.has(name))
    fail(`${pagePath}:${doc.line}: ${name} (${doc.env}) is documented but is not a setting in config.c`);

if (problems.length > 0) {
  for (const p of problems) console.error(`conf-settings: ${p}`);
  process.exit(1);
}
console.log(`conf-settings: the page documents all ${code.size} settings of config.c, ` +
  'with their variables and defaults');
