// desk.js - GET /api/v1/desk and the pinned-key check of SPEC 3.8. The
// pins are compiled into the build; the page never takes keys from the API.
// If the server's keys differ, the page stops.
import { get } from './api.js';

/* global __MELDPUNT_PINS__ */
export const PINS = Object.freeze({ ...__MELDPUNT_PINS__ });

export class PinsMismatch extends Error {
  constructor() {
    super('desk keys differ from the pinned keys');
    this.code = 'pins_mismatch';
  }
}

/** Loads the desk description; throws PinsMismatch if its keys differ from the pins. */
export async function loadDesk() {
  const desk = await get('/api/v1/desk');
  const keys = desk?.keys ?? {};
  for (const name of ['certification', 'recovery', 'signing'])
    if (keys[name] !== PINS[name]) throw new PinsMismatch();
  return desk;
}
