// About, business profile, photo and two-step PIN on the cloud gateway (docs/api/profile.md#on-the-cloud-gateway).
// Meta's whatsapp_business_profile is the one source of truth: nothing is kept locally, so what WhatsApp Manager
// changes is what GET answers. Values are checked with the sandbox's own rules first, so bad input gets the same
// 1009.
//
// No Cloud equivalent, answered 400 / 1025 Invalid request naming where to do it instead: removing the photo and
// turning two-step verification off (WhatsApp Manager only). 1025 rather than 403 / 1005: nothing is wrong with the
// caller's rights; the request itself cannot be carried out on this back end, and retrying will not help.
import { fail, ok, type Result } from '../../lib/result.js';
import { checkPhoto, type Photo, type PhotoInfo } from '../../services/profile-photo.js';
import type { ProfileService } from '../../services/profile.js';
import {
  applyBusinessPatch,
  checkAbout,
  checkPin,
  EMPTY_BUSINESS_PROFILE,
  VERTICAL_CODES,
  VERTICAL_LABELS,
  type BusinessProfile,
  type BusinessProfilePatch,
} from '../../services/profile-rules.js';
import type { GraphClient } from './graph-client.js';

const PROFILE_FIELDS = 'about,address,description,email,vertical,websites,profile_picture_url';

interface CloudProfile {
  about?: string;
  address?: string;
  description?: string;
  email?: string;
  vertical?: string;
  websites?: string[];
  profile_picture_url?: string;
}

export interface CloudProfileDeps {
  local: ProfileService;
  graph: GraphClient;
  phoneNumberId: string;
  /** The Resumable Upload API needs the app id; null makes setting the photo a clear error. */
  appId: string | null;
}

/** Cloud speaks vertical codes (AUTO, ...); On-Prem clients set and read the older labels or the codes. */
function verticalCode(value: string): string {
  const index = (VERTICAL_LABELS as readonly string[]).indexOf(value);
  return index >= 0 ? VERTICAL_CODES[index]! : value;
}

function verticalLabel(code: string | undefined): string {
  if (!code || code === 'UNDEFINED') return '';
  const index = (VERTICAL_CODES as readonly string[]).indexOf(code);
  return index >= 0 ? VERTICAL_LABELS[index]! : code;
}

function noCloudEquivalent<T>(what: string): Result<T> {
  return fail(
    'invalidRequest',
    `${what} is not possible through the Cloud API; do it in WhatsApp Manager (business.facebook.com)`,
  );
}

export function createCloudProfile(deps: CloudProfileDeps): ProfileService {
  const { graph, phoneNumberId } = deps;
  const path = `/${phoneNumberId}/whatsapp_business_profile`;

  async function read(): Promise<CloudProfile> {
    const answer = await graph.call<{ data?: CloudProfile[] }>({
      method: 'GET',
      path,
      query: { fields: PROFILE_FIELDS },
    });
    return answer.data?.[0] ?? {};
  }

  async function write(fields: Record<string, unknown>): Promise<void> {
    await graph.call({ method: 'POST', path, json: { messaging_product: 'whatsapp', ...fields } });
  }

  async function readBusiness(): Promise<BusinessProfile> {
    const cloud = await read();
    return {
      ...EMPTY_BUSINESS_PROFILE,
      address: cloud.address ?? '',
      description: cloud.description ?? '',
      email: cloud.email ?? '',
      vertical: verticalLabel(cloud.vertical),
      websites: cloud.websites ?? [],
    };
  }

  /** Resumable Upload: a session on the app, the bytes at offset 0, then the handle goes on the profile. */
  async function uploadPhoto(appId: string, bytes: Buffer, info: PhotoInfo): Promise<void> {
    const session = await graph.call<{ id: string }>({
      method: 'POST',
      path: `/${appId}/uploads`,
      query: { file_length: String(bytes.length), file_type: info.mime_type },
    });
    const uploaded = await graph.call<{ h: string }>({
      method: 'POST',
      path: `/${session.id}`,
      headers: { file_offset: '0' },
      body: { stream: bytes, contentType: 'application/octet-stream', length: bytes.length },
    });
    await write({ profile_picture_handle: uploaded.h });
  }

  return {
    ...deps.local,

    async getAbout(): Promise<string> {
      return (await read()).about ?? '';
    },

    async setAbout(text: string): Promise<Result<void>> {
      const checked = checkAbout(text);
      if (!checked.ok) return checked;
      await write({ about: checked.value });
      return ok(undefined);
    },

    getBusinessProfile: readBusiness,

    async updateBusinessProfile(patch: BusinessProfilePatch): Promise<Result<BusinessProfile>> {
      const next = applyBusinessPatch(await readBusiness(), patch);
      if (!next.ok) return next;
      const changed: Record<string, unknown> = {};
      for (const [field, value] of Object.entries(patch)) {
        if (value !== undefined) changed[field] = field === 'vertical' ? verticalCode(value as string) : value;
      }
      if (Object.keys(changed).length > 0) await write(changed);
      return next;
    },

    /** POST /{PNID} {pin}: sets or changes the PIN at Meta. The hash is kept too, as on the sandbox, for re-registration checks. */
    async enableTwoStep(pin: string): Promise<Result<void>> {
      const checked = checkPin(pin);
      if (!checked.ok) return checked;
      await graph.call({ method: 'POST', path: `/${phoneNumberId}`, json: { pin: checked.value } });
      return deps.local.enableTwoStep(checked.value);
    },

    async disableTwoStep(): Promise<Result<void>> {
      return noCloudEquivalent('turning two-step verification off');
    },

    photo: {
      async get(): Promise<Photo | null> {
        const url = (await read()).profile_picture_url;
        if (!url) return null;
        const download = await graph.download(url, { authorize: false });
        const bytes = Buffer.from(await download.body.arrayBuffer());
        if (download.statusCode !== 200) return null;
        const checked = checkPhoto(bytes);
        const mime = download.contentType === 'image/png' ? 'image/png' : 'image/jpeg';
        const info: PhotoInfo = checked.ok
          ? checked.value
          : { mime_type: mime, width: 0, height: 0, sha256: '', size: bytes.length };
        return { ...info, bytes };
      },
      async set(bytes: Buffer): Promise<Result<PhotoInfo>> {
        const checked = checkPhoto(bytes);
        if (!checked.ok) return checked;
        if (deps.appId === null) {
          return fail(
            'serviceNotReady',
            'setting the profile photo on the Cloud API needs the app id: the operator must set WA_CLOUD_APP_ID',
          );
        }
        await uploadPhoto(deps.appId, bytes, checked.value);
        return checked;
      },
      async delete(): Promise<Result<void>> {
        return noCloudEquivalent('removing the profile photo');
      },
    },
  };
}
