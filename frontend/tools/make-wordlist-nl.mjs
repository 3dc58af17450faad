// make-wordlist-nl.mjs - makes src/data/wordlist-nl.json, the Dutch word
// list from which the enrolment page proposes passphrases (ui/passphrase.js),
// from Debian's wdutch (OpenTaal's word list, BSD-2-Clause or CC BY 3.0;
// see src/data/README.md) by a fixed, curated rule:
//   1. lines of /usr/share/dict/dutch that are 5 to 8 letters a-z only
//      (no capitals: no names or abbreviations; no accents, digits,
//      hyphens or apostrophes: easy to type on any keyboard);
//   2. not a word of Debian's wamerican or wbritish lists (no English),
//      and without c, q, x, y, "ow", "sh" or "th" (loanwords, mostly);
//   3. containing none of the stems, and being none of the words, below
//      (nothing offensive, sexual, violent, about illness or death, and no
//      words about origin, religion or colour: this is a desk for reports
//      of racism and discrimination);
//   4. of what is left, the 7776 whose SHA-256 is smallest (a fixed,
//      even-handed choice; 7776 = 6^5 words, as in diceware lists, so six
//      words give 77.5 bits).
// The output is the same on every run with the same Debian lists.
//
//   node frontend/tools/make-wordlist-nl.mjs [DUTCH AMERICAN BRITISH]
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [dutch = '/usr/share/dict/dutch', american = '/usr/share/dict/american-english',
  british = '/usr/share/dict/british-english'] = process.argv.slice(2);
const SIZE = 7776;

// Stems: a word containing one is left out (over-filtering costs nothing).
const STEMS = [
  // curses and insults, illness used as a curse
  'kanker', 'tering', 'tyfus', 'pest', 'pokken', 'klote', 'kut', 'lul', 'pik', 'hoer', 'slet', 'sloer', 'wijf',
  'teef', 'trut', 'kreng', 'neuk', 'flikker', 'homo', 'lesb', 'nicht', 'mongo', 'debiel', 'idioot', 'achterlijk',
  'spast', 'imbeciel', 'sukkel', 'lelijk', 'stom', 'gek', 'dwaas', 'zot', 'kakker', 'tokkie', 'kaaskop', 'mietje',
  'bimbo', 'slons', 'sloddervos', 'schoft', 'smeerlap', 'klootzak', 'rotzak', 'zak', 'eikel', 'aars', 'kont',
  'reet', 'poep', 'pies', 'zeik', 'stront', 'drol', 'kots', 'braak', 'snot', 'scheet',
  // sex and the body
  'seks', 'sex', 'porno', 'naakt', 'bloot', 'borst', 'tiet', 'penis', 'vagina', 'anus', 'geil', 'pedo', 'incest',
  'verkracht', 'hoertje', 'bordeel', 'erot', 'orgas', 'sperma', 'zaad', 'maagd', 'condoom', 'pijp', 'beff',
  'paal', 'lust', 'wellust', 'ontucht', 'prostit', 'stripp',
  // violence, death, crime, drugs
  'moord', 'dood', 'doden', 'dode', 'sterf', 'sterv', 'lijk', 'graf', 'begraaf', 'kist', 'zelfmoord', 'kogel',
  'wapen', 'geweer', 'pistool', 'bom', 'terror', 'oorlog', 'slacht', 'martel', 'gijzel', 'ontvoer', 'roof',
  'steel', 'stal', 'dief', 'misdaad', 'crimi', 'drug', 'coke', 'heroi', 'wiet', 'hasj', 'joint', 'dronk',
  'zuip', 'bezop', 'slaan', 'sloeg', 'schop', 'stomp', 'mes', 'bloed', 'wond', 'pijn', 'haat', 'hekel',
  'geweld', 'dreig', 'pesten', 'intimid', 'misbruik', 'gif', 'vergif', 'hang', 'strop', 'brand',
  // illness and disability
  'ziek', 'kramp', 'lepra', 'cholera', 'aids', 'tumor', 'virus', 'corona', 'gehandicapt', 'invalide',
  'blind', 'doof', 'stotter', 'mank', 'kreupel', 'dement', 'psych', 'gestoord', 'autis',
  // origin, religion, colour, politics, discrimination itself
  'neger', 'nikker', 'zigeun', 'allochto', 'autochto', 'jood', 'joden', 'joods', 'moslim', 'islam', 'moskee',
  'kerk', 'christ', 'katho', 'protest', 'hindoe', 'boeddh', 'god', 'allah', 'jezus', 'bijbel', 'koran', 'satan',
  'duivel', 'hel', 'heks', 'sekte', 'sabbat', 'jihad', 'hitler', 'nazi', 'fascis', 'racis', 'discrim', 'turk', 'marokk',
  'chinees', 'surinam', 'antill', 'indiaan', 'eskimo', 'spleet', 'zwart', 'blank', 'bruin', 'kleur', 'ras',
  'blanke', 'kaffer', 'moor', 'mof', 'tatta', 'negro', 'slaaf', 'slaven', 'koloni', 'apart', 'ghetto', 'getto',
  'vluchtel', 'asiel', 'migrant', 'immigr', 'emigr', 'buitenland', 'vreemdel', 'nationa', 'partij', 'politi',
  'vet', 'dik', 'oud', 'bejaard', 'vrouw', 'man', 'meisje', 'jongen', 'gay', 'trans', 'queer',
];
// Whole words left out (too short to filter as stems without losing much).
const WORDS = new Set(['dom', 'del', 'lam', 'aap', 'apen', 'varken', 'zwijn', 'hond', 'honden', 'rund', 'koe', 'ezel',
  'geel', 'rood', 'roma', 'voorspel', 'sinti', 'paus', 'non', 'hoeren', 'loser']);

const lines = (file) => readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
const english = new Set([...lines(american), ...lines(british)].map((w) => w.toLowerCase()));
const sha = (w) => createHash('sha256').update(w).digest('hex');

const candidates = [...new Set(lines(dutch))]
  .filter((w) => /^[a-z]{5,8}$/.test(w))
  .filter((w) => !english.has(w) && !/[cqxy]|ow|sh|th/.test(w))
  .filter((w) => !WORDS.has(w) && !STEMS.some((s) => w.includes(s)));
if (candidates.length < SIZE) throw new Error(`only ${candidates.length} words pass the rule; need ${SIZE}`);
const list = candidates.map((w) => [sha(w), w]).sort((a, b) => (a[0] < b[0] ? -1 : 1)).slice(0, SIZE)
  .map(([, w]) => w).sort();
writeFileSync(join(here, '..', 'src', 'data', 'wordlist-nl.json'), `${JSON.stringify(list)}\n`);
console.log(`wordlist-nl.json: ${list.length} of ${candidates.length} words that pass the rule`);
