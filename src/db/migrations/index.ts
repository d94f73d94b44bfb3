// Numbered migrations, applied in order at start-up on both dialects. Never edit one that has shipped: add the next.
import type { Kysely, Migration, MigrationProvider } from 'kysely';
import type { Dialect } from '../dialect.js';
import * as m0001 from './0001-foundation.js';
import * as m0002 from './0002-settings.js';
import * as m0003 from './0003-outbox.js';
import * as m0004 from './0004-messages.js';
import * as m0005 from './0005-sandbox-templates.js';
import * as m0006 from './0006-media.js';
import * as m0007 from './0007-profile.js';
import * as m0008 from './0008-account.js';
import * as m0009 from './0009-certificates.js';
import * as m0010 from './0010-retention.js';
import * as m0011 from './0011-cloud-maps.js';
import * as m0012 from './0012-cloud-inbound.js';
import * as m0013 from './0013-cluster.js';
import * as m0014 from './0014-outbox-backlog.js';
import * as m0015 from './0015-installation.js';
import * as m0016 from './0016-business-compliance.js';
import * as m0017 from './0017-send-path.js';

interface DialectMigration {
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
  down?(db: Kysely<unknown>): Promise<void>;
}

const MIGRATIONS: Record<string, DialectMigration> = {
  '0001-foundation': m0001,
  '0002-settings': m0002,
  '0003-outbox': m0003,
  '0004-messages': m0004,
  '0005-sandbox-templates': m0005,
  '0006-media': m0006,
  '0007-profile': m0007,
  '0008-account': m0008,
  '0009-certificates': m0009,
  '0010-retention': m0010,
  '0011-cloud-maps': m0011,
  '0012-cloud-inbound': m0012,
  '0013-cluster': m0013,
  '0014-outbox-backlog': m0014,
  '0015-installation': m0015,
  '0016-business-compliance': m0016,
  '0017-send-path': m0017,
};

export function createMigrationProvider(dialect: Dialect): MigrationProvider {
  return {
    async getMigrations() {
      const migrations: Record<string, Migration> = {};
      for (const [name, migration] of Object.entries(MIGRATIONS)) {
        migrations[name] = {
          up: (db) => migration.up(db, dialect),
          ...(migration.down ? { down: migration.down } : {}),
        };
      }
      return migrations;
    },
  };
}
