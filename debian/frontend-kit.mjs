// frontend-kit.mjs - copy what building the frontend needs into DEST: the
// build script, the sources, the package manifest and the node_modules of
// the runtime dependencies (with theirs, and the optional ones installed,
// such as esbuild's native binary), without the test-only devDependencies.
//
//	node debian/frontend-kit.mjs FRONTEND DEST
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [from, dest] = process.argv.slice(2);
if (!from || !dest) {
  console.error('usage: frontend-kit.mjs FRONTEND DEST');
  process.exit(2);
}
const modules = join(from, 'node_modules');
const manifest = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

// The closure of the runtime dependencies (node_modules is flat, as npm ci
// lays it out; a nested node_modules inside a package is copied with it).
const seen = new Set();
const pending = Object.keys(manifest(from).dependencies ?? {});
while (pending.length) {
  const name = pending.pop();
  if (seen.has(name)) continue;
  const dir = join(modules, name);
  if (!existsSync(dir)) {
    console.error(`frontend-kit: ${name} missing in ${modules} (run deploy/install-deps)`);
    process.exit(1);
  }
  seen.add(name);
  const m = manifest(dir);
  pending.push(...Object.keys(m.dependencies ?? {}));
  // Optional ones only where npm installed them (the platform's esbuild).
  for (const o of Object.keys(m.optionalDependencies ?? {}))
    if (existsSync(join(modules, o))) pending.push(o);
}

mkdirSync(dest, { recursive: true });
for (const f of ['build.mjs', 'package.json', 'package-lock.json'])
  cpSync(join(from, f), join(dest, f));
for (const d of ['src', 'public'])
  if (existsSync(join(from, d)))
    cpSync(join(from, d), join(dest, d), { recursive: true,
      filter: (p) => !p.includes('/src/generated') });
// Without the packages' dotfiles (.npmignore, .eslintrc and the like: their
// development, not their code).
const noDotfiles = (p) => !p.slice(modules.length).split('/').some((part) => part.startsWith('.'));
for (const name of [...seen].sort())
  cpSync(join(modules, name), join(dest, 'node_modules', name),
    { recursive: true, dereference: true, filter: noDotfiles });
console.log(`frontend-kit: ${seen.size} packages`);
