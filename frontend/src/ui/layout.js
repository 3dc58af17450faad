// layout.js - the frame of every page in the Rijkshuisstijl look: skip
// link, header with the ribbon logo, navigation with the language switch,
// main region, footer. Pages render into `main` from their own state and are
// rendered again on a language switch, so nothing a person typed is lost.
import { h, replace, focus } from './dom.js';
import { t, setLang, otherLang, onLangChange, currentLang, initLang, withLang } from './i18n.js';

// [page, href, catalogue key, roles that can use the page (staff only)].
const NAV = {
  reporter: [['index', '/', 'nav.home'], ['report', '/report.html', 'nav.report'],
    ['followup', '/followup.html', 'nav.followup']],
  staff: [['adviser', '/adviser.html', 'nav.adviser', ['adviser', 'coordinator']],
    ['stats', '/stats.html', 'nav.stats', ['coordinator', 'analyst']],
    ['admin', '/admin.html', 'nav.admin', ['admin']]],
};

// The statements every footer links to (a Dutch government site has both).
const STATEMENTS = [['/accessibility.html', 'nav.accessibility'], ['/privacy.html', 'nav.privacy']];

/*
 * A followed link of our own carries the chosen language on (withLang), so
 * links drawn by any page keep it without each page having to know.
 */
function carryLanguage(ev) {
  const a = ev.target instanceof Element ? ev.target.closest('a[href^="/"]') : null;
  if (!a || a.hasAttribute('download')) return;
  const href = a.getAttribute('href');
  const next = withLang(href);
  if (next !== href) a.setAttribute('href', next);
}

/**
 * The desk's contact information (GET /api/v1/desk "contact": email, phone,
 * url, each only when configured) as a list of links, or null when none is
 * configured. Only values of the expected shape become links.
 */
export function contactList(contact, { id } = {}) {
  const c = contact && typeof contact === 'object' ? contact : {};
  const items = [];
  if (typeof c.email === 'string' && /^[^\s@]+@[^\s@]+$/.test(c.email))
    items.push(h('li', {}, `${t('contact.email')}: `, h('a', { href: `mailto:${c.email}` }, c.email)));
  if (typeof c.phone === 'string' && /^[0-9 +()-]+$/.test(c.phone))
    items.push(h('li', {}, `${t('contact.phone')}: `, h('a', { href: `tel:${c.phone.replace(/[^0-9+]/g, '')}` }, c.phone)));
  if (typeof c.url === 'string' && /^https:\/\/[^\s"<>]+$/.test(c.url))
    items.push(h('li', {}, `${t('contact.url')}: `, h('a', { href: c.url, rel: 'noreferrer' }, c.url)));
  return items.length ? h('ul', { class: 'mp-contact', id }, items) : null;
}

/**
 * Builds the frame in #app and returns {main, rerender}. `render()` fills
 * `main`; it runs now and after every language switch. `area` chooses the
 * navigation ('reporter' or 'staff'), `current` marks the current link.
 * `role()` gives the signed-in staff role or null: once known, the
 * navigation shows only the pages that role can use (and the current one);
 * before sign-in it shows them all.
 */
export function mountPage({ area = 'reporter', current, render, extraNav, role }) {
  const visible = ([id, , , roles]) => {
    const r = role?.();
    return !r || !roles || id === current || roles.includes(r);
  };
  initLang();
  document.addEventListener('click', carryLanguage, true);
  const app = document.getElementById('app');
  const main = h('main', { id: 'main', class: 'mp-main', tabindex: '-1' });
  const header = h('header', { class: 'mp-header' });
  const footer = h('footer', { class: 'mp-footer' });
  const skip = h('a', { class: 'mp-skip', href: '#main' });
  let contact = null; // the desk's contact information, once known (setContact)

  function frame() {
    skip.textContent = t('nav.skip');
    replace(header,
      h('a', { class: 'mp-logo', href: withLang(area === 'staff' ? '/adviser.html' : '/') },
        h('span', { class: 'mp-logo__ribbon', 'aria-hidden': 'true' }),
        h('span', { class: 'mp-logo__text' },
          h('span', { class: 'mp-logo__title' }, t('app.name')),
          h('span', { class: 'mp-logo__subtitle' }, t('app.subtitle')))),
      h('nav', { class: 'mp-navbar', 'aria-label': t('nav.label') },
        h('div', { class: 'mp-navbar__inner' },
          h('ul', { class: 'mp-navbar__links' },
            NAV[area].filter(visible).map(([id, href, key]) => h('li', {},
              h('a', { href: withLang(href), 'aria-current': id === current ? 'page' : null }, t(key)))),
            extraNav ? extraNav() : null),
          h('button', {
            type: 'button', class: 'mp-linklike', id: 'mp-lang', lang: otherLang(),
            onclick: () => { setLang(otherLang()); document.getElementById('mp-lang')?.focus(); },
          }, t('lang.switch')))));
    replace(footer, h('div', { class: 'mp-footer__inner' },
      h('p', {}, t(area === 'staff' ? 'footer.staff' : 'footer.reporter')),
      h('p', {}, t('footer.noTracking')),
      contactList(contact) ? h('div', { class: 'mp-footer__contact' },
        h('p', {}, t('contact.footer')), contactList(contact, { id: 'mp-footer-contact' })) : null,
      h('ul', { class: 'mp-footer__links' }, STATEMENTS.map(([href, key]) =>
        h('li', {}, h('a', { href: withLang(href), 'aria-current': href === `/${current}.html` ? 'page' : null },
          t(key)))))));
    document.title = `${t(`page.${current}.title`)} – ${t('app.name')}`;
  }

  replace(app, skip, header, main, footer);
  frame();
  render(main);
  onLangChange(() => { frame(); render(main); });
  return { main, rerender: () => render(main), refreshFrame: frame, lang: currentLang,
    setContact: (c) => { contact = c ?? null; frame(); } };
}

/** A notice box; kind: info | error | ok | warning. */
export function notice(kind, ...children) {
  return h('div', { class: `mp-notice mp-notice--${kind}`, role: kind === 'error' ? 'alert' : null }, ...children);
}

/** Stops the page with an error that cannot be worked around (pins mismatch, …). */
export function fatal(main, titleKey, bodyKey) {
  replace(main, h('h1', {}, t(titleKey)), notice('error', h('p', {}, t(bodyKey))));
  focus(main.querySelector('h1'));
}

/**
 * An error summary for a form: links to each field in error. `errors` is
 * [{id, message}]. Returns null when there are none.
 */
export function errorSummary(errors) {
  if (!errors.length) return null;
  return h('div', { class: 'mp-notice mp-notice--error', role: 'alert', tabindex: '-1', id: 'mp-error-summary' },
    h('h2', {}, t('form.errorSummary')),
    h('ul', {}, errors.map((e) => h('li', {}, h('a', {
      href: `#${e.id}`,
      onclick: (ev) => { ev.preventDefault(); document.getElementById(e.id)?.focus(); },
    }, e.message)))));
}

/**
 * A progress indicator: a <progress> with a label, plus a list of named
 * stages. Returns {el, stage(i), set(fraction)}. Announced politely.
 */
export function progressView(labelKey, stageKeys) {
  const bar = h('progress', { max: '100', value: '0', 'aria-labelledby': 'mp-progress-label' });
  const items = stageKeys.map((k) => h('li', { 'data-state': 'todo' }, t(k)));
  const status = h('p', { class: 'mp-visually-hidden', 'aria-live': 'polite' });
  const el = h('div', { class: 'mp-progress' },
    h('p', { id: 'mp-progress-label' }, h('strong', {}, t(labelKey))), bar, h('ol', {}, items), status);
  return {
    el,
    stage(i) {
      items.forEach((li, j) => li.setAttribute('data-state', j < i ? 'done' : j === i ? 'active' : 'todo'));
      items.forEach((li, j) => { if (j < i) li.setAttribute('aria-label', `${li.textContent} – ${t('progress.done')}`); });
      if (items[i]) status.textContent = items[i].textContent;
    },
    set(fraction) {
      bar.value = String(Math.round(Math.max(0, Math.min(1, fraction)) * 100));
    },
  };
}
