// The business's profile: About text, business profile, two-step verification PIN (docs/api/profile.md), and the photo
// (./profile-photo.ts). Stored in the database and read from it on every call, so a change made through one node is
// what every other node answers at once; these endpoints are far too rare to need a cache.
import type { ProfilePart, ProfileRepository } from '../db/repositories/profile.js';
import type { Clock } from '../lib/clock.js';
import { fail, ok, type Result } from '../lib/result.js';
import { hashPassword, verifyPassword } from '../lib/secrets.js';
import { createProfilePhotoService } from './profile-photo.js';
import {
  applyBusinessPatch,
  checkAbout,
  checkPin,
  EMPTY_BUSINESS_PROFILE,
  type BusinessProfile,
  type BusinessProfilePatch,
} from './profile-rules.js';

export type { BusinessProfile, BusinessProfilePatch } from './profile-rules.js';

// Compare-and-set retries, as for the application settings: five lost races in a row do not happen with people
// at keyboards, so it is answered as a retryable 503 rather than looping.
const WRITE_ATTEMPTS = 5;

export interface ProfileServiceDeps {
  repository: ProfileRepository;
  clock: Clock;
}

interface StoredTwoStep {
  /** scrypt, like passwords: the PIN is only ever compared, never shown. */
  pin_hash: string;
  enabled_at: number;
}

export function createProfileService({ repository, clock }: ProfileServiceDeps) {
  async function readJson<T>(name: ProfilePart): Promise<T | undefined> {
    const row = await repository.read(name);
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  async function readBusiness(): Promise<{ text: string | undefined; profile: BusinessProfile }> {
    const row = await repository.read('business');
    const stored = row ? (JSON.parse(row.value) as Partial<BusinessProfile>) : {};
    return { text: row?.value, profile: { ...EMPTY_BUSINESS_PROFILE, ...stored } };
  }

  return {
    /** The About text; "" when none was ever set. */
    async getAbout(): Promise<string> {
      return (await readJson<{ text: string }>('about'))?.text ?? '';
    },

    async setAbout(text: string): Promise<Result<void>> {
      const checked = checkAbout(text);
      if (!checked.ok) return checked;
      await repository.write('about', JSON.stringify({ text: checked.value }), null, clock.now());
      return ok(undefined);
    },

    async getBusinessProfile(): Promise<BusinessProfile> {
      return (await readBusiness()).profile;
    },

    /** Read, merge, compare-and-set; again from the top if another request wrote in between. */
    async updateBusinessProfile(patch: BusinessProfilePatch): Promise<Result<BusinessProfile>> {
      for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
        const current = await readBusiness();
        const next = applyBusinessPatch(current.profile, patch);
        if (!next.ok) return next;
        const text = JSON.stringify(next.value);
        if (text === current.text || (await repository.compareAndSet('business', current.text, text, clock.now())))
          return next;
      }
      return fail('serviceNotReady', 'the business profile was being changed by another request; retry', 1);
    },

    /** Sets (or replaces) the PIN: from now on a new registration and a shard change need it (docs/api/profile.md). */
    async enableTwoStep(pin: string): Promise<Result<void>> {
      const checked = checkPin(pin);
      if (!checked.ok) return checked;
      const stored: StoredTwoStep = { pin_hash: await hashPassword(checked.value), enabled_at: clock.now() };
      await repository.write('two_step', JSON.stringify(stored), null, clock.now());
      return ok(undefined);
    },

    /**
     * Turns two-step verification off; doing so when it is already off is not an error. A Result although it never
     * fails here: the cloud gateway's profile, which stands in for this one, refuses it (no Cloud equivalent).
     */
    async disableTwoStep(): Promise<Result<void>> {
      await repository.delete('two_step');
      return ok(undefined);
    },

    async twoStepEnabled(): Promise<boolean> {
      return (await repository.read('two_step')) !== undefined;
    },

    /**
     * For account registration (POST /v1/account, shards): whether `pin` is the two-step PIN. Null when two-step
     * verification is off, so the caller decides what a PIN given then means.
     */
    async verifyTwoStepPin(pin: string): Promise<boolean | null> {
      const stored = await readJson<StoredTwoStep>('two_step');
      if (!stored) return null;
      return /^\d{6}$/.test(pin) && verifyPassword(pin, stored.pin_hash);
    },

    photo: createProfilePhotoService({ repository, clock }),
  };
}

export type ProfileService = ReturnType<typeof createProfileService>;
