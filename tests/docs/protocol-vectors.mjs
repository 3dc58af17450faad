// protocol-vectors.mjs - the worked examples of docs/protocol.md quote
// tests/vectors/ truly, and every vector file has one.
//
//   node tests/docs/protocol-vectors.mjs [PROTOCOL_MD [VECTORS_DIR]]
//
// An example is a line "<!-- vector: FILE.json -->" followed by a ```text
// block of "field value" lines. field is a path into one case of the file
// ("proof.signature", "entries[0].hash"); value is the field's text (JSON
// for a value that is not a string), or, ending in "…", a prefix of it of
// at least 16 characters. All lines of a block must hold for one and the
// same case. Exits 0 when every block holds and every vector file is
// quoted; otherwise lists what is wrong and exits 1.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const top = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const docPath = process.argv[2] ?? join(top, 'docs/protocol.md');
const vectorsDir = process.argv[3] ?? join(top, 'tests/vectors');
const problems = [];

function fieldAt(value, path) {
  for (const part of path.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
    if (value === null || typeof value !== 'object') return undefined;
    value = part.startsWith('[') ? value[Number(part.slice(1, -1))] : value[part];
  }
  return value;
}

// Why line {path, text} does not hold for vectorCase, or null if it does.
function mismatch(vectorCase, { path, text }) {
  const actual = fieldAt(vectorCase, path);
  if (actual === undefined) return `${path}: no such field`;
  const shown = typeof actual === 'string' ? actual : JSON.stringify(actual);
  if (text.endsWith('…')) {
    const prefix = text.slice(0, -1);
    if (prefix.length < 16) return `${path}: a quoted prefix needs at least 16 characters`;
    return shown.startsWith(prefix) ? null : `${path}: is not a prefix of the vector's value`;
  }
  return shown === text ? null : `${path}: differs from the vector's value`;
}

function blocks(doc) {
  const lines = doc.split('\n');
  const found = [];
  for (let i = 0; i < lines.length; i++) {
    const m = lines[i].match(/^<!-- vector: ([A-Za-z0-9_.-]+\.json) -->$/);
    if (!m) continue;
    const at = i + 1;
    if (lines[i + 1] !== '```text') {
      problems.push(`${docPath}:${at}: a vector comment must be followed by a \`\`\`text block`);
      continue;
    }
    const entries = [];
    for (i += 2; i < lines.length && lines[i] !== '```'; i++) {
      const e = lines[i].match(/^(\S+)\s+(.+?)\s*$/);
      if (!e) problems.push(`${docPath}:${i + 1}: expected "field value"`);
      else entries.push({ path: e[1], text: e[2], line: i + 1 });
    }
    if (entries.length === 0) problems.push(`${docPath}:${at}: an empty example`);
    found.push({ file: m[1], line: at, entries });
  }
  return found;
}

let doc = '';
let files = [];
try {
  doc = readFileSync(docPath, 'utf8');
  files = readdirSync(vectorsDir).filter((f) => f.endsWith('.json')).sort();
} catch (e) {
  problems.push(`cannot read the inputs: ${e.message}`);
}
const examples = blocks(doc);
let lines = 0;
for (const ex of examples) {
  let vectors;
  try {
    vectors = JSON.parse(readFileSync(join(vectorsDir, ex.file), 'utf8'));
  } catch (e) {
    problems.push(`${docPath}:${ex.line}: cannot read ${ex.file}: ${e.message}`);
    continue;
  }
  const cases = Array.isArray(vectors.cases) ? vectors.cases : [];
  // The case that holds most lines; report what it does not hold.
  let best = null;
  for (const c of cases) {
    const wrong = ex.entries.map((e) => [e, mismatch(c, e)]).filter(([, why]) => why !== null);
    if (best === null || wrong.length < best.length) best = wrong;
  }
  if (best === null) problems.push(`${docPath}:${ex.line}: ${ex.file} has no cases`);
  else for (const [e, why] of best) problems.push(`${docPath}:${e.line}: ${ex.file}: ${why}`);
  lines += ex.entries.length;
}
for (const f of files)
  if (!examples.some((ex) => ex.file === f))
    problems.push(`${docPath}: no worked example quotes tests/vectors/${f}`);
if (examples.length === 0) problems.push(`${docPath}: no worked examples found`);

if (problems.length > 0) {
  for (const p of problems) console.error(`protocol-vectors: ${p}`);
  process.exit(1);
}
console.log(`protocol-vectors: ${examples.length} examples, ${lines} values, ` +
  `all ${files.length} vector files quoted`);
