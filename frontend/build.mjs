// build.mjs - produce frontend/dist: the static files meldpuntd serves, and
// manifest.txt, the fixed list of them that the daemon loads at start-up.
import { cpSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');

function listFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
cpSync(join(here, 'public'), dist, { recursive: true });
const files = listFiles(dist).map((f) => relative(dist, f)).sort();
writeFileSync(join(dist, 'manifest.txt'), files.join('\n') + '\n');
console.log(`build: ${files.length} files in ${relative(process.cwd(), dist) || dist}`);
