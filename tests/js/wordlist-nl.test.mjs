// The Dutch word list for proposed passphrases (frontend/src/data/README.md)
// keeps its rule: 7776 distinct words of 5 to 8 letters a-z, sorted, none
// with a left-out stem, and a few common English words absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const words = JSON.parse(readFileSync(new URL('../../frontend/src/data/wordlist-nl.json', import.meta.url), 'utf8'));
const tool = readFileSync(new URL('../../frontend/tools/make-wordlist-nl.mjs', import.meta.url), 'utf8');

test('wordlist-nl: 7776 distinct sorted words of 5 to 8 letters a-z (77.5 bits for six)', () => {
  assert.equal(words.length, 7776);
  assert.equal(new Set(words).size, 7776);
  assert.deepEqual([...words].sort(), words);
  for (const w of words) assert.match(w, /^[a-z]{5,8}$/);
  assert.ok(6 * Math.log2(words.length) > 77);
});

test('wordlist-nl: no word holds a stem the tool leaves out, nor a loanword letter', () => {
  const stems = [...tool.slice(tool.indexOf('const STEMS'), tool.indexOf('];', tool.indexOf('const STEMS')))
    .matchAll(/'([a-z]+)'/g)].map((m) => m[1]);
  assert.ok(stems.length > 100, 'the stems were read from the tool');
  for (const w of words) {
    assert.ok(!stems.some((s) => w.includes(s)), `${w} holds a left-out stem`);
    assert.doesNotMatch(w, /[cqxy]|ow|sh|th/);
  }
});

test('wordlist-nl: common English words and a few offensive Dutch ones are absent', () => {
  const set = new Set(words);
  for (const w of ['house', 'water', 'table', 'people', 'kanker', 'tering', 'neger', 'hoeren', 'moord'])
    assert.ok(!set.has(w), w);
});
