// index.js - the start page: what happens to a report, who can read it,
// what the server never sees; the way in to reporting and to following up.
import { h, replace } from '../ui/dom.js';
import { t } from '../ui/i18n.js';
import { boot } from '../ui/boot.js';

function list(prefix, n) {
  return h('ul', {}, Array.from({ length: n }, (_, i) => h('li', {}, t(`${prefix}.${i + 1}`))));
}

function render(main) {
  replace(main,
    h('h1', {}, t('start.h1')),
    h('p', { class: 'mp-lead' }, t('start.lead')),
    h('div', { class: 'mp-actions' },
      h('a', { class: 'utrecht-button-link utrecht-button-link--html-a utrecht-button-link--primary-action', href: '/report.html' }, t('start.report')),
      h('a', { class: 'utrecht-button-link utrecht-button-link--html-a utrecht-button-link--secondary-action', href: '/followup.html' }, t('start.followup'))),
    h('section', { class: 'mp-notice mp-notice--info', 'aria-labelledby': 'before-heading', id: 'before' },
      h('h2', { id: 'before-heading' }, t('start.beforeH2')),
      h('p', {}, t('start.beforeP')),
      list('start.before', 5)),
    h('h2', {}, t('start.whatH2')),
    h('p', {}, t('start.whatP')),
    h('h2', {}, t('start.happensH2')),
    h('ol', {}, Array.from({ length: 5 }, (_, i) => h('li', {}, t(`start.happens.${i + 1}`)))),
    h('h2', {}, t('start.whoH2')),
    list('start.who', 3),
    h('h2', {}, t('start.neverH2')),
    list('start.never', 5),
    h('h2', {}, t('start.receiptH2')),
    h('p', {}, t('start.receiptP')),
    h('h2', {}, t('start.timeH2')),
    h('p', {}, t('start.timeP')),
    h('p', { class: 'mp-meta' }, t('start.staff'), ' ', h('a', { href: '/adviser.html' }, t('start.staffLink'))));
}

// Sends nothing and holds no keys: no crypto library on the way in.
boot({ area: 'reporter', current: 'index', render, crypto: false });
