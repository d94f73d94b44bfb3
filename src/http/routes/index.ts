// Every route of the server, registered in one place.
import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from './deps.js';
import { registerRootGet } from './root.get.js';
import { registerSandboxCustomersGet } from './sandbox/customers.get.js';
import { registerSandboxCustomersUpdate } from './sandbox/customers.update.js';
import { registerSandboxCustomerMessages } from './sandbox/customers.messages.js';
import { registerSandboxCustomerMessageMedia } from './sandbox/customers.message-media.js';
import { registerSandboxInboundCreate } from './sandbox/inbound.create.js';
import { registerMessagesMarkRead } from './v1/messages.mark-read.js';
import { registerMessagesSend } from './v1/messages.send.js';
import { registerSandboxTemplatesCreate } from './sandbox/templates.create.js';
import { registerSandboxTemplatesDelete } from './sandbox/templates.delete.js';
import { registerSandboxTemplatesGet } from './sandbox/templates.get.js';
import { registerSandboxTemplatesList } from './sandbox/templates.list.js';
import { registerSandboxTemplatesUpdate } from './sandbox/templates.update.js';
import { registerContactsCheck } from './v1/contacts.check.js';
import { registerHealthGet } from './v1/health.get.js';
import { registerMediaDelete } from './v1/media.delete.js';
import { registerMediaGet } from './v1/media.get.js';
import { registerMediaUpload } from './v1/media.upload.js';
import { registerMetricsGet } from './v1/metrics.get.js';
import { registerSettingsApplicationGet } from './v1/settings.application.get.js';
import { registerSettingsApplicationReset } from './v1/settings.application.reset.js';
import { registerSettingsApplicationUpdate } from './v1/settings.application.update.js';
import { registerSettingsMediaProvidersDelete } from './v1/settings.media-providers.delete.js';
import { registerSettingsMediaProvidersGet } from './v1/settings.media-providers.get.js';
import { registerSettingsMediaProvidersUpdate } from './v1/settings.media-providers.update.js';
import { registerStatsApp } from './v1/stats.app.js';
import { registerStatsDb } from './v1/stats.db.js';
import { registerSupportGet } from './v1/support.get.js';
import { registerUsersCreate } from './v1/users.create.js';
import { registerUsersDelete } from './v1/users.delete.js';
import { registerUsersGet } from './v1/users.get.js';
import { registerUsersLogin } from './v1/users.login.js';
import { registerUsersLogout } from './v1/users.logout.js';
import { registerUsersUpdate } from './v1/users.update.js';

import { registerWebhookDeliveriesGet } from './x/webhooks.deliveries.get.js';
import { registerWebhookDeliveriesList } from './x/webhooks.deliveries.list.js';
import { registerWebhookDeliveriesReplay } from './x/webhooks.deliveries.replay.js';

export function registerRoutes(app: FastifyInstance, deps: RouteDeps): void {
  registerRootGet(app);
  registerUsersLogin(app, deps);
  registerUsersLogout(app, deps);
  registerUsersCreate(app, deps);
  registerUsersGet(app, deps);
  registerUsersUpdate(app, deps);
  registerUsersDelete(app, deps);
  registerContactsCheck(app, deps);
  registerMessagesSend(app, deps);
  registerMessagesMarkRead(app, deps);
  registerMediaUpload(app, deps);
  registerMediaGet(app, deps);
  registerMediaDelete(app, deps);
  registerHealthGet(app, deps);
  registerMetricsGet(app, deps);
  registerStatsApp(app, deps);
  registerStatsDb(app, deps);
  registerSupportGet(app, deps);
  registerSettingsApplicationGet(app, deps);
  registerSettingsApplicationUpdate(app, deps);
  registerSettingsApplicationReset(app, deps);
  registerSettingsMediaProvidersGet(app, deps);
  registerSettingsMediaProvidersUpdate(app, deps);
  registerSettingsMediaProvidersDelete(app, deps);
  registerWebhookDeliveriesList(app, deps);
  registerWebhookDeliveriesGet(app, deps);
  registerWebhookDeliveriesReplay(app, deps);
  if (deps.sandbox) {
    registerSandboxCustomersGet(app, deps, deps.sandbox);
    registerSandboxCustomersUpdate(app, deps, deps.sandbox);
    registerSandboxCustomerMessages(app, deps);
  }
  if (deps.sandboxCustomers) registerSandboxInboundCreate(app, deps.sandboxCustomers);
  if (deps.sandboxMedia) registerSandboxCustomerMessageMedia(app, deps, deps.sandboxMedia);
  if (deps.sandboxTemplates) {
    registerSandboxTemplatesList(app, deps.sandboxTemplates);
    registerSandboxTemplatesCreate(app, deps.sandboxTemplates);
    registerSandboxTemplatesGet(app, deps.sandboxTemplates);
    registerSandboxTemplatesUpdate(app, deps.sandboxTemplates);
    registerSandboxTemplatesDelete(app, deps.sandboxTemplates);
  }
}
