// build.mjs - produce frontend/dist: the static files meldpuntd serves, and
// manifest.txt, the fixed list of them that the daemon loads at start-up.
//
//   node frontend/build.mjs [--pins FILE] [--out DIR]
//
// Pages are ES modules bundled by esbuild (code splitting, so libsodium is
// one shared chunk for the pages that use it and the worker); styles are the
// Rijkshuisstijl design tokens and the components the pages use plus Fira
// Sans from npm, with the fonts emitted as files of our own origin. The HTML
// shells are generated here: no inline script or style, texts from the Dutch
// catalogue only.
//
// Light pages (issue 15): every file under assets/ has a content hash in its
// name (the daemon serves those as immutable for a year); the HTML shells
// name them and are revalidated by entity tag. Beside every text file the
// build writes name.br and name.gz when they are smaller (node's zlib; the
// daemon picks one by Accept-Encoding); manifest.txt lists the originals
// only. SHA256SUMS (sha256sum's format, served too) lists every built file:
// the start of a verifiable frontend.
// The desk's pinned public keys (SPEC 3.8) come from src/generated/pins.json
// (or --pins / MELDPUNT_PINS) and are compiled into the bundle; the build
// fails if they are missing or malformed.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync }
  from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
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

// The one worker script, admitted by the Trusted Types policy meldpunt-worker;
// its hashed name is found by a first build (see buildScripts).
const WORKER_PLACEHOLDER = '/assets/worker.js';

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

// assets: { script, preload: [...], style, icon }, paths under dist.
function pageHtml(name, nl, assets) {
  const preload = assets.preload.map((p) => `<link rel="modulepreload" href="/${p}">\n`).join('');
  return `<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(nl[PAGES[name]])}</title>
<link rel="icon" href="/${assets.icon}" type="image/svg+xml">
<link rel="stylesheet" href="/${assets.style}">
${preload}<script type="module" src="/${assets.script}"></script>
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

const ALLOWED = /(\.(html|js|mjs|css|json|wasm|woff2|woff|svg|png|ico|txt)|^SHA256SUMS)$/;
const PATH_OK = /^[A-Za-z0-9._~/-]+$/;
// A content hash in the name: esbuild's [hash] (8 of A-Z0-9) or ours.
const HASHED = /-[A-Za-z0-9]{8}\.[a-z0-9]+(\.LEGAL\.txt)?$/;
// Worth compressing (woff2 and png are compressed already).
const COMPRESS = /\.(html|js|mjs|css|json|wasm|svg|txt)$/;

const pins = readPins();
const nl = checkCatalogues();

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const entryPoints = {};
for (const name of Object.keys(PAGES)) entryPoints[name] = join(here, 'src', 'pages', `${name}.js`);
entryPoints.worker = join(here, 'src', 'worker.js');

// A metafile path (relative to absWorkingDir, here) → path under dist.
const underDist = (p) => relative(dist, resolve(here, p));

// Output path (under dist) of each entry point, from a metafile.
function entryOutputs(metafile) {
  const byEntry = {};
  for (const [out, info] of Object.entries(metafile.outputs))
    if (info.entryPoint) byEntry[resolve(here, info.entryPoint)] = underDist(out);
  return Object.fromEntries(Object.entries(entryPoints).map(([name, src]) => [name, byEntry[src]]));
}

// The chunks an output imports statically, transitively (for modulepreload).
function staticImports(metafile, out) {
  const seen = new Set();
  const visit = (o) => {
    for (const imp of metafile.outputs[o]?.imports ?? []) {
      if (imp.kind !== 'import-statement' || seen.has(imp.path)) continue;
      seen.add(imp.path);
      visit(imp.path);
    }
  };
  visit(out);
  return [...seen].map(underDist).sort();
}

/*
 * The scripts, in two builds with the same options: the worker's name
 * carries its hash, and the pages must name it (a define), so the first
 * build finds the name and the second writes the files with it. The
 * worker reaches only the crypto module's chunks, where the define does
 * not occur, so its name is the same in both: checked.
 */
async function buildScripts() {
  const options = (workerUrl, write) => ({
    entryPoints,
    absWorkingDir: here,
    outdir: join(dist, 'assets'),
    bundle: true,
    splitting: true,
    format: 'esm',
    target: ['es2022'],
    platform: 'browser',
    minify: true,
    legalComments: 'linked',
    sourcemap: false,
    entryNames: '[name]-[hash]',
    chunkNames: 'chunks/[name]-[hash]',
    metafile: true,
    write,
    define: {
      __MELDPUNT_PINS__: JSON.stringify(pins),
      __MELDPUNT_WORKER_URL__: JSON.stringify(workerUrl),
    },
    logLevel: 'warning',
  });
  const first = await esbuild.build(options(WORKER_PLACEHOLDER, false));
  const workerUrl = `/${entryOutputs(first.metafile).worker}`;
  const second = await esbuild.build(options(workerUrl, true));
  const outputs = entryOutputs(second.metafile);
  if (`/${outputs.worker}` !== workerUrl)
    die(`the worker's name changed between the builds (${workerUrl}, /${outputs.worker})`);
  return { metafile: second.metafile, outputs };
}

let scripts;
let style;
try {
  scripts = await buildScripts();
  const css = await esbuild.build({
    entryPoints: { main: join(here, 'src', 'styles', 'main.css') },
    absWorkingDir: here,
    outdir: join(dist, 'assets'),
    bundle: true,
    minify: true,
    legalComments: 'linked',
    loader: { '.woff2': 'file', '.woff': 'file' },
    entryNames: '[name]-[hash]',
    assetNames: 'fonts/[name]-[hash]',
    metafile: true,
    logLevel: 'warning',
  });
  style = Object.entries(css.metafile.outputs).find(([, o]) => o.entryPoint)?.[0];
  if (!style) die('no style sheet came out of esbuild');
  style = underDist(style);
} catch {
  die('esbuild failed (see above)');
}

const sha256 = (data) => createHash('sha256').update(data).digest('hex');

// Files of public/: the icon gets a hashed name under assets/, the rest
// (none today) keep theirs at the top and are revalidated like pages.
const publicNames = {};
if (existsSync(join(here, 'public'))) {
  for (const f of listFiles(join(here, 'public'))) {
    const rel = relative(join(here, 'public'), f);
    const data = readFileSync(f);
    let to = rel;
    if (rel === 'favicon.svg') {
      const ext = extname(rel);
      to = join('assets', `${basename(rel, ext)}-${sha256(data).slice(0, 8)}${ext}`);
    }
    mkdirSync(dirname(join(dist, to)), { recursive: true });
    copyFileSync(f, join(dist, to));
    publicNames[rel] = to;
  }
}
if (!publicNames['favicon.svg']) die('public/favicon.svg missing');

for (const name of Object.keys(PAGES)) {
  const script = scripts.outputs[name];
  const preload = staticImports(scripts.metafile, relative(here, join(dist, script)));
  writeFileSync(join(dist, `${name}.html`),
    pageHtml(name, nl, { script, preload, style, icon: publicNames['favicon.svg'] }));
}

// The legal-comment files (.LEGAL.txt) are served too: licences travel with the code.
const files = listFiles(dist).map((f) => relative(dist, f)).sort();
for (const f of files) {
  if (!ALLOWED.test(f) || !PATH_OK.test(f) || f.includes('//') || f.includes('..'))
    die(`${f}: name or type the daemon would refuse to serve`);
  if (f.startsWith('assets/') && !HASHED.test(f))
    die(`${f}: a file under assets/ is cached as immutable and needs a content hash in its name`);
}

// Precompressed variants, kept only where smaller.
let variants = 0;
for (const f of files.filter((x) => COMPRESS.test(x))) {
  const data = readFileSync(join(dist, f));
  const br = brotliCompressSync(data, { params: {
    [zlibConstants.BROTLI_PARAM_QUALITY]: zlibConstants.BROTLI_MAX_QUALITY,
    [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT,
    [zlibConstants.BROTLI_PARAM_SIZE_HINT]: data.length,
  } });
  const gz = gzipSync(data, { level: 9 });
  if (br.length < data.length) { writeFileSync(join(dist, `${f}.br`), br); variants++; }
  if (gz.length < data.length) { writeFileSync(join(dist, `${f}.gz`), gz); variants++; }
}

// The daemon serves what the manifest lists (and finds the variants beside).
writeFileSync(join(dist, 'manifest.txt'), [...files, 'SHA256SUMS'].join('\n') + '\n');
const sums = listFiles(dist).map((f) => relative(dist, f)).sort()
  .map((f) => `${sha256(readFileSync(join(dist, f)))}  ${f}\n`).join('');
writeFileSync(join(dist, 'SHA256SUMS'), sums);
console.log(`build: ${files.length + 1} files and ${variants} compressed variants in ${relative(process.cwd(), dist) || dist}`);
