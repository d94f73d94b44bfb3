// The profile photo (docs/api/profile.md#profile-photo). Meta's page: the client "scales and crops uploaded profile
// photos to be a square with a max edge of 640px and max size of 5MB", and "images with a height or width of less than
// 192px may cause issues", 640×640 recommended. OpenPrem decodes no images, so it cannot scale: it keeps the file as
// sent and holds it to what it can check from the header: JPEG or PNG by the bytes' signature (whatever the
// Content-Type said), at most 5 MB, at least 192 pixels each way.
import { createHash } from 'node:crypto';
import type { ProfileRepository } from '../db/repositories/profile.js';
import type { Clock } from '../lib/clock.js';
import { readImageInfo, sniffImageType } from '../lib/image-info.js';
import { fail, ok, type Result } from '../lib/result.js';

export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
const PHOTO_MIN_EDGE = 192;

export interface PhotoInfo {
  mime_type: 'image/jpeg' | 'image/png';
  width: number;
  height: number;
  /** Hex SHA-256 of the bytes: changes whenever the photo does. */
  sha256: string;
  size: number;
}

export interface Photo extends PhotoInfo {
  bytes: Buffer;
}

export function checkPhoto(bytes: Buffer): Result<PhotoInfo> {
  if (bytes.length === 0)
    return fail('missingParameter', 'the body must be the photo itself: the raw bytes of a JPEG or PNG image');
  if (bytes.length > PHOTO_MAX_BYTES)
    return fail('invalidParameter', `the photo must be at most 5 MB (${PHOTO_MAX_BYTES} bytes), got ${bytes.length}`);
  const type = sniffImageType(bytes);
  if (type === null) return fail('invalidParameter', 'the photo must be a JPEG or PNG image; these bytes are neither');
  const info = readImageInfo(bytes);
  if (info === null)
    return fail(
      'invalidParameter',
      `the ${type.toUpperCase()} image is damaged: its size cannot be read from its header`,
    );
  if (info.width < PHOTO_MIN_EDGE || info.height < PHOTO_MIN_EDGE) {
    return fail(
      'invalidParameter',
      `the photo must be at least ${PHOTO_MIN_EDGE}×${PHOTO_MIN_EDGE} pixels (640×640 recommended), got ${info.width}×${info.height}`,
    );
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return ok({ mime_type: info.mimeType, width: info.width, height: info.height, sha256, size: bytes.length });
}

export function createProfilePhotoService({ repository, clock }: { repository: ProfileRepository; clock: Clock }) {
  return {
    /** The photo with its bytes, or null when none is set. */
    async get(): Promise<Photo | null> {
      const row = await repository.read('photo');
      if (!row?.data) return null;
      return { ...(JSON.parse(row.value) as PhotoInfo), bytes: row.data };
    },

    /** Checks and stores the photo, replacing any earlier one. */
    async set(bytes: Buffer): Promise<Result<PhotoInfo>> {
      const checked = checkPhoto(bytes);
      if (!checked.ok) return checked;
      await repository.write('photo', JSON.stringify(checked.value), bytes, clock.now());
      return checked;
    },

    /** Removes the photo; removing none is not an error. A Result for the cloud gateway's refusal (no Cloud equivalent). */
    async delete(): Promise<Result<void>> {
      await repository.delete('photo');
      return ok(undefined);
    },
  };
}
