// The sandbox mode: the simulated network, its virtual customers and template registry, built on the shared
// domain (docs/api/sandbox.md). The local services are the mode's own: nothing stands in for them here.
import { createBusinessComplianceRepository } from '../../db/repositories/business-compliance.js';
import { createSandboxCustomersRepository } from '../../db/repositories/sandbox-customers.js';
import { createSandboxTemplatesRepository } from '../../db/repositories/sandbox-templates.js';
import type { WaId } from '../../lib/phone.js';
import { createComplianceService } from '../../services/compliance.js';
import { createLinkFetcher } from '../../services/media/link-fetcher.js';
import { createMessageSender } from '../../services/messages/sender.js';
import type { Mode, ModeInputs, SandboxRoutes } from '../mode.js';
import { createCustomerMedia } from './customer-media.js';
import { createCustomerMessages } from './customer-messages.js';
import { createSandboxDirectory } from './directory.js';
import { createLinkChecker } from './media-links.js';
import { createSandboxNetwork } from './network.js';
import { createSandboxGateway } from './sandbox-gateway.js';
import { createSandboxTemplates } from './templates.js';

export function openSandboxMode(inputs: ModeInputs): Mode {
  const { config, db, bus, clock, log, metrics, signals, phones, businessWaId, settings, identities, messages, local } =
    inputs;
  const directory = createSandboxDirectory(createSandboxCustomersRepository(db.db), phones, clock);
  // A customer back online has receipts to deliver: the leader's network takes them now.
  directory.onUpdate(async () => signals.customerOnline.notify());
  // Template changes made through another node are seen here when its notice arrives (at worst within
  // WA_SETTINGS_REFRESH_MS), like settings.
  const templates = createSandboxTemplates(createSandboxTemplatesRepository(db.db), clock, {
    cacheMs: config.settingsRefreshMs,
    announce: () => bus.publish('templates'),
  });
  const links = createLinkFetcher({ allow: config.media.linkAllow, timeoutMs: config.media.linkTimeoutMs });
  const network = createSandboxNetwork({
    db: db.db,
    messages,
    directory,
    templates,
    links: createLinkChecker(links),
    settings,
    clock,
    delays: config.sandbox.delays,
    log,
    metrics,
    onCallbacks: signals.callbacksWritten.notify,
    identities,
  });
  const gateway = createSandboxGateway(directory, local.account);
  const routes: SandboxRoutes = {
    kind: 'sandbox',
    directory,
    templates,
    customers: createCustomerMessages({
      phones,
      messages,
      directory,
      inbox: local.inbox,
      clock,
      businessWaId,
      identityOf: (waId) => identities.shownOnInbound(waId),
      media: { files: local.media, links, settings },
    }),
    media: createCustomerMedia({ messages, files: local.media, links, settings }),
    conversationOf: (waId, limit) => messages.forCustomer(waId, limit),
  };
  return {
    gateway,
    sender: createMessageSender({
      messages,
      missingMedia: (ids) => inputs.mediaRepository.missing(ids),
      phones,
      clock,
      businessWaId,
      onAccepted: signals.sendAccepted.notify,
      checkRecipient: (waId: WaId) => identities.checkRecipient(waId),
    }),
    inbox: local.inbox,
    media: local.media,
    profile: local.profile,
    account: local.account,
    compliance: createComplianceService({ repository: createBusinessComplianceRepository(db.db), clock }),
    routes,
    singletonWork: [{ name: 'network', start: network.start, stop: network.stop, wake: network.wake }],
    parts: { sandboxNetwork: network, sandboxTemplates: templates, cloud: null, cloudInbound: null },
    start() {},
    async stop() {},
    async close() {
      await links.close();
      await gateway.close();
    },
  };
}
