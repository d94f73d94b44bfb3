// The business profile (about, photo, business profile, two-step PIN hash), part for part as the profile
// repository exports it. The profile is read from the database on every request, so nothing is cached to drop.
import { createProfileRepository, PROFILE_PARTS, type ProfileExport } from '../../../db/repositories/profile.js';
import { isPlainObject, isTimestamp, type BackupSection } from '../section.js';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function profileSection(): BackupSection<ProfileExport> {
  return {
    name: 'profile',
    export: (db) => createProfileRepository(db).exportAll(),
    check: profileProblem,
    import: (trx, value) => createProfileRepository(trx).importAll(value),
  };
}

function profileProblem(value: unknown): string | null {
  if (!isPlainObject(value) || value.version !== 1 || !Array.isArray(value.parts))
    return 'is not a profile export of version 1';
  const seen = new Set<unknown>();
  for (const [index, part] of value.parts.entries()) {
    if (!isPlainObject(part) || !(PROFILE_PARTS as readonly unknown[]).includes(part.name))
      return `[${index}] is not a profile part`;
    if (seen.has(part.name)) return `[${index}] repeats the part ${String(part.name)}`;
    seen.add(part.name);
    if (typeof part.value !== 'string' || !isTimestamp(part.updated_at))
      return `[${index}] (${String(part.name)}) has no valid value and time`;
    if (part.data_base64 !== null && (typeof part.data_base64 !== 'string' || !BASE64.test(part.data_base64))) {
      return `[${index}] (${String(part.name)}) has data that is not base64`;
    }
  }
  return null;
}
