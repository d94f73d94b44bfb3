// Every section a backup holds, in restore order. This list is the one place to add a section.
import type { Clock } from '../../lib/clock.js';
import type { SecretsSealer } from '../../lib/sealed-secrets.js';
import type { BusinessNumber } from '../account-rules.js';
import type { BackupSection } from './section.js';
import { complianceSection } from './sections/compliance.js';
import { profileSection } from './sections/profile.js';
import { registrationSection } from './sections/registration.js';
import { settingsSection } from './sections/settings.js';
import { templatesSection } from './sections/templates.js';
import { usersSection } from './sections/users.js';

export interface SectionDeps {
  clock: Clock;
  business: BusinessNumber;
  authenticator: { forgetAll(): void };
  settings: { refresh(): Promise<void> };
  /** The node key: secrets travel opened in the (password-sealed) backup and are sealed again on restore. */
  sealer: SecretsSealer;
  account: { refresh(): Promise<void> };
  /** The sandbox template registry's cache; null off the sandbox. */
  templates: { forgetCached(): void } | null;
}

export function backupSections(deps: SectionDeps): readonly BackupSection[] {
  return [
    usersSection(deps.authenticator),
    settingsSection(deps.clock, deps.settings, deps.sealer),
    templatesSection(deps.templates),
    registrationSection({ business: deps.business, clock: deps.clock, account: deps.account }),
    profileSection(),
    complianceSection(deps.clock),
  ] as readonly BackupSection[];
}
