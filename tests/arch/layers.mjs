// layers.mjs - the backend's layers hold: every quoted #include in
// backend/<layer>/ names a header of the same layer or of a layer below it
// (cmd -> api -> {http, desk} -> store -> {crypto, stats, mail} -> lib; siblings
// do not see each other), and no file depends on itself through others.
//
//	node tests/arch/layers.mjs [BACKEND_DIR]	exit 0, or 1 with the faults
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const RANK = { lib: 0, crypto: 1, stats: 1, mail: 1, store: 2, desk: 3, http: 3, api: 4, cmd: 5 };

export function check(backend) {
  const faults = [];
  const headers = new Map();	// "x.h" -> layer
  const files = [];		// { layer, name }
  for (const layer of readdirSync(backend)) {
    const dir = join(backend, layer);
    if (!statSync(dir).isDirectory()) continue;
    if (!(layer in RANK)) { faults.push(`${layer}/: not a layer`); continue; }
    for (const name of readdirSync(dir)) {
      if (!/\.[ch]$/.test(name)) continue;
      files.push({ layer, name });
      if (name.endsWith('.h')) {
        if (headers.has(name)) faults.push(`${name}: in ${headers.get(name)}/ and ${layer}/`);
        headers.set(name, layer);
      }
    }
  }
  // module = layer/basename; edges from a module to the modules it includes
  const edges = new Map();
  for (const { layer, name } of files) {
    const text = readFileSync(join(backend, layer, name), 'utf8');
    const from = `${layer}/${name.replace(/\.[ch]$/, '')}`;
    if (!edges.has(from)) edges.set(from, new Set());
    for (const m of text.matchAll(/^\s*#\s*include\s+"([^"]+)"/gm)) {
      const inc = m[1];
      const to = headers.get(inc);
      if (to === undefined) { faults.push(`${layer}/${name}: includes unknown "${inc}"`); continue; }
      if (to !== layer && !(RANK[to] < RANK[layer])) {
        faults.push(`${layer}/${name}: includes ${to}/${inc}, which is not below ${layer}`);
      }
      const target = `${to}/${inc.replace(/\.h$/, '')}`;
      if (target !== from) edges.get(from).add(target);
    }
  }
  // circles between modules (a module is its .c and .h together), each
  // named from its first module in sort order, whichever file the walk
  // happened to start from
  const circle = (members) => {
    const first = members.indexOf([...members].sort()[0]);
    const turned = [...members.slice(first), ...members.slice(0, first)];
    return [...turned, turned[0]].join(' -> ');
  };
  const state = new Map();
  const stack = [];
  const visit = (node) => {
    state.set(node, 1);
    stack.push(node);
    for (const next of [...(edges.get(node) ?? [])].sort()) {
      if (state.get(next) === 1) faults.push(`circle: ${circle(stack.slice(stack.indexOf(next)))}`);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 2);
  };
  for (const node of [...edges.keys()].sort()) if (!state.has(node)) visit(node);
  return faults;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const backend = resolve(process.argv[2] ?? new URL('../../backend', import.meta.url).pathname);
  const faults = check(backend);
  for (const f of faults) console.error(`layers: ${f}`);
  if (faults.length === 0) console.log(`layers: ${backend}: every include points down, no circle`);
  process.exit(faults.length === 0 ? 0 : 1);
}
