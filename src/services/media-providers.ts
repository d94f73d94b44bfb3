// Media providers (docs/api/settings.md#media-providers): named credentials OpenPrem presents when it fetches a media
// `link` from the business's own servers. Pure checks here; storage goes through the settings service.
import { fail, ok, type Result } from '../lib/result.js';

type MediaProviderConfig = { bearer: string } | { basic: { username: string; password: string } };

export interface MediaProvider {
  name: string;
  type: 'www';
  config: MediaProviderConfig;
}

/** Bounds the stored document; a business has a handful of media hosts, not hundreds. */
const MAX_PROVIDERS = 100;

/** The providers after an upsert by name: existing ones keep their place, new ones are appended. */
export function upsertProviders(
  existing: readonly MediaProvider[],
  changes: readonly MediaProvider[],
): Result<MediaProvider[]> {
  const seen = new Set<string>();
  for (const [index, provider] of changes.entries()) {
    if (seen.has(provider.name))
      return fail('invalidParameter', `[${index}].name: "${provider.name}" appears more than once`);
    seen.add(provider.name);
    const config = provider.config as Partial<{ bearer: string; basic: unknown }>;
    const kinds = ['bearer', 'basic'].filter((kind) => config[kind as 'bearer' | 'basic'] !== undefined);
    if (kinds.length === 0)
      return fail('missingParameter', `missing required parameter [${index}].config.bearer or [${index}].config.basic`);
    if (kinds.length > 1)
      return fail('invalidParameter', `[${index}].config must hold one of bearer or basic, not both`);
  }
  const next = existing.map((provider) => changes.find((change) => change.name === provider.name) ?? provider);
  for (const change of changes) if (!existing.some((provider) => provider.name === change.name)) next.push(change);
  if (next.length > MAX_PROVIDERS)
    return fail('invalidParameter', `at most ${MAX_PROVIDERS} media providers can be configured`);
  return ok(next.map(normalise));
}

/** Only the documented fields, in the documented order, whatever the request carried. */
function normalise(provider: MediaProvider): MediaProvider {
  const config: MediaProviderConfig =
    'bearer' in provider.config
      ? { bearer: provider.config.bearer }
      : { basic: { username: provider.config.basic.username, password: provider.config.basic.password } };
  return { name: provider.name, type: 'www', config };
}
