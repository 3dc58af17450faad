// layers-selftest.mjs - the layer check fails where it must: on a copy of
// backend/ with a deliberate upward include, a sibling include and a
// circle, each found and named; the copy as it is passes.
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { check } from './layers.mjs';

const backend = new URL('../../backend', import.meta.url).pathname;

function withCopy(change) {
  const dir = mkdtempSync(join(tmpdir(), 'layers-'));
  try {
    cpSync(backend, dir, { recursive: true });
    change(dir);
    return check(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the tree as it is passes', () => {
  assert.deepEqual(withCopy(() => {}), []);
});

test('a pure helper that includes the HTTP layer fails', () => {
  const faults = withCopy((d) => appendFileSync(join(d, 'lib/buf.c'), '#include "http.h"\n'));
  // http.c includes buf.h, so the upward edge also closes a circle.
  assert.deepEqual(faults, ['lib/buf.c: includes http/http.h, which is not below lib',
    'circle: http/http -> lib/buf -> http/http']);
});

test('the desk including the HTTP layer (a sibling) fails', () => {
  const faults = withCopy((d) => appendFileSync(join(d, 'desk/cases.c'), '#include "http.h"\n'));
  assert.deepEqual(faults, ['desk/cases.c: includes http/http.h, which is not below desk']);
});

test('a circle between two files of one layer fails', () => {
  // cases.c includes proof.h; proof.c including cases.h closes a circle.
  const faults = withCopy((d) => appendFileSync(join(d, 'desk/proof.c'), '#include "cases.h"\n'));
  assert.equal(faults.length, 1);
  assert.deepEqual(faults, ['circle: desk/cases -> desk/proof -> desk/cases'], 'named the same whatever the walk');
});
