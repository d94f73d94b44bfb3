// Re-reads of the application settings never overlap: the timer, a cluster notice and GET may ask at once, and two
// reads finishing out of order would put the older row back over the newer one (seen once in the PostgreSQL leg:
// a node kept a reset's predecessor). The repository here holds one read back, to order the two reads by hand.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SettingsRepository } from '../db/repositories/settings.js';
import { systemClock } from '../lib/clock.js';
import { createSettingsService } from './settings.js';

describe('settings re-reads', () => {
  it('a re-read asked for while an older one is under way answers the newer row, and the older cannot win', async () => {
    let row: string | undefined = JSON.stringify({ callback_persist: false });
    let release: () => void = () => {};
    let holdNextRead = false;
    const repository = {
      async read() {
        const seen = row;
        if (holdNextRead) {
          holdNextRead = false;
          await new Promise<void>((resolve) => (release = resolve));
        }
        return seen === undefined ? undefined : { value: seen, stored: seen };
      },
    } as unknown as SettingsRepository;
    const settings = createSettingsService({ repository, clock: systemClock, businessWaId: '16315550000' });

    holdNextRead = true;
    const older = settings.refresh(); // reads callback_persist false, then waits
    row = undefined; // another node resets the settings
    const newer = settings.refresh(); // asked after the reset: must see it
    release();
    await Promise.all([older, newer]);
    assert.equal(settings.current().callback_persist, true, 'the reset is in force, not the row read before it');
  });
});
