// statement.js - a page of plain text from the catalogues: a heading, a
// lead, and sections of paragraphs and lists (the accessibility and the
// privacy statement). A section is [headingKey, ...items]; an item is a
// paragraph key, or {list: prefix, n} for a list of prefix.1 .. prefix.n.
import { h, replace } from './dom.js';
import { t } from './i18n.js';
import { boot } from './boot.js';
import { contactList } from './layout.js';

function item(it) {
  if (typeof it === 'string') return h('p', {}, t(it));
  return h('ul', {}, Array.from({ length: it.n }, (_, i) => h('li', {}, t(`${it.list}.${i + 1}`))));
}

/** Boots a statement page named `current` (page.<current>.title). */
export function statementPage(current, { h1, lead, sections }) {
  let contact = null; // the desk's contact information (GET /api/v1/desk)
  boot({
    area: 'reporter',
    current,
    crypto: false, // plain text: no crypto library
    onReady: ({ desk }) => { contact = desk?.contact ?? null; },
    render: (main) => replace(main,
      h('h1', {}, t(h1)),
      h('p', { class: 'mp-lead' }, t(lead)),
      ...sections.flatMap(([heading, ...items]) => [h('h2', {}, t(heading)), ...items.map(item)]),
      contactList(contact) ? [h('h2', { id: 'contact' }, t('contact.h2')), h('p', {}, t('contact.intro')),
        contactList(contact, { id: 'statement-contact' })] : null),
  });
}
