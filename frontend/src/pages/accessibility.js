// accessibility.js - the accessibility statement: the standard the desk
// aims for, how that is checked, what is known not to work, whom to tell.
import { statementPage } from '../ui/statement.js';

statementPage('accessibility', {
  h1: 'access.h1',
  lead: 'access.lead',
  sections: [
    ['access.standardH2', 'access.standardP'],
    ['access.checkedH2', { list: 'access.checked', n: 4 }],
    ['access.limitsH2', 'access.limitsP'],
    ['access.problemH2', 'access.problemP'],
  ],
});
