// privacy.js - the privacy statement: what the desk stores and for how
// long, what it never has, what others on the way may still see.
import { statementPage } from '../ui/statement.js';

statementPage('privacy', {
  h1: 'privacy.h1',
  lead: 'privacy.lead',
  sections: [
    ['privacy.encryptedH2', 'privacy.encryptedP'],
    ['privacy.clearH2', 'privacy.clearP', { list: 'privacy.clear', n: 6 }],
    ['privacy.neverH2', { list: 'privacy.never', n: 5 }],
    ['privacy.networkH2', 'privacy.networkP'],
    ['privacy.readersH2', { list: 'privacy.readers', n: 3 }],
    ['privacy.keptH2', 'privacy.keptP'],
    ['privacy.statsH2', 'privacy.statsP'],
    ['privacy.rightsH2', 'privacy.rightsP'],
  ],
});
