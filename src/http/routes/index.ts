// Every route of the server, registered in one place.
import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from './deps.js';
import { registerRootGet } from './root.get.js';
import { registerSandboxCustomersGet } from './sandbox/customers.get.js';
import { registerSandboxCustomersUpdate } from './sandbox/customers.update.js';
import { registerContactsCheck } from './v1/contacts.check.js';
import { registerHealthGet } from './v1/health.get.js';
import { registerMetricsGet } from './v1/metrics.get.js';
import { registerStatsApp } from './v1/stats.app.js';
import { registerStatsDb } from './v1/stats.db.js';
import { registerSupportGet } from './v1/support.get.js';
import { registerUsersCreate } from './v1/users.create.js';
import { registerUsersDelete } from './v1/users.delete.js';
import { registerUsersGet } from './v1/users.get.js';
import { registerUsersLogin } from './v1/users.login.js';
import { registerUsersLogout } from './v1/users.logout.js';
import { registerUsersUpdate } from './v1/users.update.js';

export function registerRoutes(app: FastifyInstance, deps: RouteDeps): void {
  registerRootGet(app);
  registerUsersLogin(app, deps);
  registerUsersLogout(app, deps);
  registerUsersCreate(app, deps);
  registerUsersGet(app, deps);
  registerUsersUpdate(app, deps);
  registerUsersDelete(app, deps);
  registerContactsCheck(app, deps);
  registerHealthGet(app, deps);
  registerMetricsGet(app, deps);
  registerStatsApp(app, deps);
  registerStatsDb(app, deps);
  registerSupportGet(app, deps);
  if (deps.sandbox) {
    registerSandboxCustomersGet(app, deps, deps.sandbox);
    registerSandboxCustomersUpdate(app, deps, deps.sandbox);
  }
}
