// passphrase.js - adviser passphrases (SPEC 3.7): the proposal is six words
// drawn uniformly from a curated Dutch list of 7776 words (77.5 bits; the
// list, its source and its rule: src/data/README.md), and a chosen
// passphrase needs at least 20 characters and must not be on the bundled
// list of common passwords (fxa-common-password-list).
import * as mc from '../lib/meldcrypto.js';
import dutchWords from '../data/wordlist-nl.json';
import commonPasswords from 'fxa-common-password-list';

const WORDS = Object.freeze([...dutchWords]);
if (WORDS.length !== 7776 || new Set(WORDS).size !== 7776) throw new Error('Dutch word list: expected 7776 distinct words');

export const MIN_PASSPHRASE = 20;

/** Six words from the Dutch list, uniformly at random, joined by spaces. */
export function proposePassphrase() {
  const s = mc.libsodium();
  return Array.from({ length: 6 }, () => WORDS[s.randombytes_uniform(WORDS.length)]).join(' ');
}

/** null if acceptable, else the catalogue key of the problem. */
export function checkPassphrase(p) {
  if (typeof p !== 'string' || [...p].length < MIN_PASSPHRASE) return 'passphrase.tooShort';
  if (commonPasswords.test(p) || commonPasswords.test(p.toLowerCase())) return 'passphrase.common';
  return null;
}
