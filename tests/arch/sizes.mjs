// sizes.mjs - the protocol's sizes are named in backend/lib/sizes.h only.
//
// Outside that header, no backend code (comments and strings aside) may
// hold a bare 16, 22, 24, 32, 40, 48, 64 or 80: a protocol size goes by
// its name from sizes.h, any other limit by a #define of its module. And no
// #define outside sizes.h may name a size of bytes or characters (…_BYTES,
// …_LEN) with one of those values: that would be a second copy. The
// statistics engine (backend/stats/) handles no protocol bytes and is not
// scanned.
//
//	node tests/arch/sizes.mjs [BACKEND_DIR]	exit 0, or 1 with the faults
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const SIZES = /(?<![\w.])(16|22|24|32|40|48|64|80)(?![\w.])/;
const SHIFT = /(<<|>>)\s*(16|22|24|32|40|48|64|80)(?![\w.])/g;	// bit positions, not sizes
const COPY = /^\s*#\s*define\s+\w*_(BYTES|LEN)\s+\(?\s*(16|22|24|32|40|48|64|80)\s*\)?\s*(\/\*.*)?$/;

// Blank out comments, string and character literals, keeping line breaks.
export function code(text) {
  return text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'/g,
    (m) => m.replace(/[^\n]/g, ' '));
}

export function check(backend) {
  const faults = [];
  for (const layer of readdirSync(backend)) {
    const dir = join(backend, layer);
    if (!statSync(dir).isDirectory() || layer === 'stats') continue;
    for (const name of readdirSync(dir)) {
      if (!/\.[ch]$/.test(name) || (layer === 'lib' && name === 'sizes.h')) continue;
      const raw = readFileSync(join(dir, name), 'utf8').split('\n');
      code(raw.join('\n')).split('\n').forEach((line, i) => {
        const where = `${layer}/${name}:${i + 1}`;
        if (COPY.test(raw[i])) faults.push(`${where}: a second copy of a protocol size: ${raw[i].trim()}`);
        else if (!/^\s*#\s*define\s/.test(line) && SIZES.test(line.replace(SHIFT, '')))
          faults.push(`${where}: a bare size: ${raw[i].trim()}`);
      });
    }
  }
  return faults;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const backend = resolve(process.argv[2] ?? new URL('../../backend', import.meta.url).pathname);
  const faults = check(backend);
  for (const f of faults) console.error(f);
  console.log(faults.length === 0 ? 'sizes: no bare protocol size' : `sizes: ${faults.length} faults`);
  process.exit(faults.length === 0 ? 0 : 1);
}
