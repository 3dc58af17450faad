// build.mjs - produce frontend/dist: the static files meldpuntd serves, and
// manifest.txt, the fixed list of them that the daemon loads at start-up.
//
//   node frontend/build.mjs [--pins FILE] [--out DIR]
//
// Pages are ES modules bundled by esbuild (code splitting, so libsodium is
// one shared chunk for the pages and the worker); styles are the
// Rijkshuisstijl design tokens and components plus Fira Sans from npm, with
// the fonts emitted as files of our own origin. The HTML shells are generated
// here: no inline script or style, texts from the Dutch catalogue only.
// The desk's pinned public keys (SPEC 3.8) come from src/generated/pins.json
// (or --pins / MELDPUNT_PINS) and are compiled into the bundle; the build
// fails if they are missing or malformed.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync }
  from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  if (i >= 0 && process.argv[i + 1]) return resolve(process.argv[i + 1]);
  return fallback;
}

const dist = option('--out', join(here, 'dist'));
const pinsPath = option('--pins', process.env.MELDPUNT_PINS
  ? resolve(process.env.MELDPUNT_PINS) : join(here, 'src', 'generated', 'pins.json'));

function die(message) {
  console.error(`build: ${message}`);
  process.exit(1);
}

// Pages: name → title key in the catalogues. Every page is a single-page
// application over one document, because tokens and keys live only in that
// page's memory (SPEC section 4).
export const PAGES = {
  index: 'page.index.title',
  report: 'page.report.title',
  followup: 'page.followup.title',
  enrol: 'page.enrol.title',
  adviser: 'page.adviser.title',
  admin: 'page.admin.title',
  stats: 'page.stats.title',
  accessibility: 'page.accessibility.title',
  privacy: 'page.privacy.title',
};

// The one worker script, admitted by the Trusted Types policy meldpunt-worker.
export const WORKER_URL = '/assets/worker.js';

function readPins() {
  if (!existsSync(pinsPath))
    die(`pinned keys missing: ${pinsPath} does not exist (write it with "meldpuntd pins > ${pinsPath}")`);
  let pins;
  try {
    pins = JSON.parse(readFileSync(pinsPath, 'utf8'));
  } catch {
    die(`pinned keys: ${pinsPath} is not JSON`);
  }
  for (const name of ['certification', 'recovery', 'signing']) {
    const v = pins?.[name];
    if (typeof v !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(v))
      die(`pinned keys: "${name}" missing or not 32 bytes of base64url in ${pinsPath}`);
  }
  const extra = Object.keys(pins).filter((k) => !['certification', 'recovery', 'signing'].includes(k));
  if (extra.length) die(`pinned keys: unexpected field(s) ${extra.join(', ')} in ${pinsPath}`);
  return { certification: pins.certification, recovery: pins.recovery, signing: pins.signing };
}

// Both catalogues must have exactly the same keys, all strings.
function checkCatalogues() {
  const nl = JSON.parse(readFileSync(join(here, 'src', 'i18n', 'nl.json'), 'utf8'));
  const en = JSON.parse(readFileSync(join(here, 'src', 'i18n', 'en.json'), 'utf8'));
  const a = Object.keys(nl).sort();
  const b = Object.keys(en).sort();
  const onlyNl = a.filter((k) => !(k in en));
  const onlyEn = b.filter((k) => !(k in nl));
  if (onlyNl.length || onlyEn.length)
    die(`catalogues differ: only in nl: ${onlyNl.join(', ') || '-'}; only in en: ${onlyEn.join(', ') || '-'}`);
  for (const [k, v] of [...Object.entries(nl), ...Object.entries(en)])
    if (typeof v !== 'string') die(`catalogue entry ${k} is not a string`);
  for (const title of Object.values(PAGES)) if (!(title in nl)) die(`catalogue lacks ${title}`);
  return nl;
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function pageHtml(name, nl) {
  return `<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(nl[PAGES[name]])}</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/main.css">
<script type="module" src="/assets/${name}.js"></script>
</head>
<body class="rhc-theme">
<div id="app" class="mp-app"><noscript><p>${escapeHtml(nl['app.noscript'])}</p></noscript></div>
</body>
</html>
`;
}

function listFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

const ALLOWED = /\.(html|js|mjs|css|json|wasm|woff2|woff|svg|png|ico|txt)$/;
const PATH_OK = /^[A-Za-z0-9._~/-]+$/;

const pins = readPins();
const nl = checkCatalogues();

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
if (existsSync(join(here, 'public'))) cpSync(join(here, 'public'), dist, { recursive: true });

const entryPoints = {};
for (const name of Object.keys(PAGES)) entryPoints[name] = join(here, 'src', 'pages', `${name}.js`);
entryPoints.worker = join(here, 'src', 'worker.js');

try {
  await esbuild.build({
    entryPoints,
    outdir: join(dist, 'assets'),
    bundle: true,
    splitting: true,
    format: 'esm',
    target: ['es2022'],
    platform: 'browser',
    minify: true,
    legalComments: 'linked',
    sourcemap: false,
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    // libsodium mentions node's crypto/fs/path only on paths a browser never takes.
    external: [],
    alias: {},
    define: {
      __MELDPUNT_PINS__: JSON.stringify(pins),
      __MELDPUNT_WORKER_URL__: JSON.stringify(WORKER_URL),
    },
    logLevel: 'warning',
  });
  await esbuild.build({
    entryPoints: { main: join(here, 'src', 'styles', 'main.css') },
    outdir: join(dist, 'assets'),
    bundle: true,
    minify: true,
    legalComments: 'linked',
    loader: { '.woff2': 'file', '.woff': 'file' },
    assetNames: 'fonts/[name]-[hash]',
    logLevel: 'warning',
  });
} catch {
  die('esbuild failed (see above)');
}

for (const name of Object.keys(PAGES)) writeFileSync(join(dist, `${name}.html`), pageHtml(name, nl));

// The legal-comment files (.LEGAL.txt) are served too: licences travel with the code.
const files = listFiles(dist).map((f) => relative(dist, f)).sort();
for (const f of files) {
  if (!ALLOWED.test(f) || !PATH_OK.test(f) || f.includes('//') || f.includes('..'))
    die(`${f}: name or type the daemon would refuse to serve`);
}
writeFileSync(join(dist, 'manifest.txt'), files.join('\n') + '\n');
console.log(`build: ${files.length} files in ${relative(process.cwd(), dist) || dist}`);
