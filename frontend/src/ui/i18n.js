// i18n.js - message catalogues (Dutch default, English switchable). Every
// text a page shows comes from src/i18n/*.json through t(); the build checks
// both catalogues have the same keys. The chosen language is never stored:
// it travels in the address ("?lang=en", Dutch has none), so that it stays
// chosen from page to page, and a link made with withLang carries it on.
import nl from '../i18n/nl.json';
import en from '../i18n/en.json';

const catalogues = { nl, en };
let lang = 'nl';
const listeners = new Set();

/** The language the address asks for: "en" for ?lang=en, else Dutch. */
function langFromAddress() {
  try {
    return new URLSearchParams(globalThis.location?.search ?? '').get('lang') === 'en' ? 'en' : 'nl';
  } catch {
    return 'nl';
  }
}

/** The address of this page, with the current language in it. */
function keepInAddress() {
  const loc = globalThis.location;
  if (!loc || !globalThis.history?.replaceState) return;
  const url = new URL(loc.href);
  if (lang === 'nl') url.searchParams.delete('lang');
  else url.searchParams.set('lang', lang);
  if (url.href !== loc.href) globalThis.history.replaceState(globalThis.history.state, '', url.href);
}

/** A same-origin path with the current language in it (Dutch: unchanged). */
export function withLang(path) {
  if (lang === 'nl' || typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//')) return path;
  const url = new URL(path, 'https://x.invalid');
  url.searchParams.set('lang', lang);
  return `${url.pathname}${url.search}${url.hash}`;
}

/** At start: take the address's language (before the first render). */
export function initLang() {
  lang = langFromAddress();
  if (globalThis.document) document.documentElement.lang = lang;
}

export function currentLang() {
  return lang;
}

export function otherLang() {
  return lang === 'nl' ? 'en' : 'nl';
}

/** Switches language and re-renders every subscriber. */
export function setLang(next) {
  if (!(next in catalogues) || next === lang) return;
  lang = next;
  document.documentElement.lang = lang;
  keepInAddress();
  for (const fn of listeners) fn(lang);
}

/** fn(lang) runs after every switch; returns an unsubscribe function. */
export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/**
 * The text for `key` in the current language, with {name} placeholders
 * replaced from `vars`. A missing key shows the key itself (and the build's
 * catalogue check keeps that from shipping).
 */
export function t(key, vars = {}) {
  const text = catalogues[lang][key] ?? catalogues.nl[key] ?? key;
  return text.replace(/\{([a-z_]+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

/** True iff the catalogue has `key` (for optional texts such as error codes). */
export function has(key) {
  return key in catalogues[lang];
}

/** A {nl, en} name object from the API in the current language. */
export function localName(name) {
  if (!name || typeof name !== 'object') return '';
  return name[lang] || name.nl || name.en || '';
}

/** A YYYY-MM-DD date (UTC) written out in the current language. */
export function formatDate(day) {
  if (typeof day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return day ?? '';
  const [y, m, d] = day.split('-').map(Number);
  return new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB',
    { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** A YYYY-MM month (a report's "when") in words: "oktober 2025"; '' for none. */
export function formatMonth(month) {
  if (typeof month !== 'string' || !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) return '';
  const [y, m] = month.split('-').map(Number);
  return `${monthName(m)} ${y}`;
}

/**
 * The text for `${key}.one` or `${key}.other` as the current language's
 * plural rules choose for n, with {n} and `vars` filled in.
 */
export function plural(key, n, vars = {}) {
  const form = new Intl.PluralRules(lang === 'nl' ? 'nl-NL' : 'en-GB').select(n) === 'one' ? 'one' : 'other';
  return t(`${key}.${form}`, { ...vars, n });
}

/** The name of month 1..12 in the current language. */
export function monthName(m) {
  return new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { month: 'long', timeZone: 'UTC' })
    .format(new Date(Date.UTC(2000, m - 1, 1)));
}

/** A byte count for people (KB/MB). */
export function formatBytes(n) {
  if (n < 1024) return t('unit.bytes', { n });
  if (n < 1024 * 1024) return t('unit.kb', { n: Math.ceil(n / 1024) });
  // In the language's own way: "1,5 MB" in Dutch, "25 MB" rather than "25.0 MB".
  const mb = new Intl.NumberFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { maximumFractionDigits: 1 }).format(n / (1024 * 1024));
  return t('unit.mb', { n: mb });
}
