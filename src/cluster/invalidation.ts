// What each notice on the bus makes this node drop or re-read, and what it re-reads after the bus reconnects
// (notices sent while it was down are lost). Each handler is the same re-read the timed refresh does, so a notice
// only makes it earlier.
import type { ClusterBus } from './bus.js';

export interface InvalidationTargets {
  authenticator: { evictToken(tokenHash: string): void; evictUser(username: string): void; evictAll(): void };
  settings: { refresh(): Promise<void> };
  account: { refresh(): Promise<void> };
  certificates: { refresh(): Promise<void> };
  identities: { noteChanged(waId: string): void; load(): Promise<void> };
  /** The sandbox template registry's cache; null off the sandbox. */
  templates: { forgetCached(): void } | null;
}

export function wireInvalidation(bus: ClusterBus, targets: InvalidationTargets): void {
  const { authenticator, settings, account, certificates, identities, templates } = targets;
  bus.on('token', (tokenHash) => authenticator.evictToken(tokenHash));
  bus.on('user', (username) => authenticator.evictUser(username));
  bus.on('users', () => authenticator.evictAll());
  bus.on('settings', () => settings.refresh());
  bus.on('account', () => account.refresh());
  bus.on('certificates', () => certificates.refresh());
  bus.on('identity', (waId) => identities.noteChanged(waId));
  bus.on('templates', () => templates?.forgetCached());
  bus.onResync(async () => {
    authenticator.evictAll();
    templates?.forgetCached();
    await Promise.all([settings.refresh(), account.refresh(), certificates.refresh(), identities.load()]);
  });
}

/**
 * A restore rewrote the tables behind every node's copies: after it re-reads them here (the sections' afterRestore),
 * the other nodes are told to as well. The users section already announces through the authenticator.
 */
export function announcingRestore(
  bus: ClusterBus,
  targets: Pick<InvalidationTargets, 'settings' | 'account' | 'templates'>,
) {
  const { settings, account, templates } = targets;
  return {
    settings: { refresh: () => settings.refresh().finally(() => bus.publish('settings')) },
    account: { refresh: () => account.refresh().finally(() => bus.publish('account')) },
    templates: templates && {
      forgetCached: () => {
        templates.forgetCached();
        bus.publish('templates');
      },
    },
  };
}
