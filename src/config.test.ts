import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.js';

function problem(env: Record<string, string>): string {
  try {
    loadConfig(env, '/srv/openprem');
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.message;
  }
  assert.fail('expected a configuration error');
}

describe('loadConfig', () => {
  it('defaults to SQLite in ./data, sandbox, 127.0.0.1:9090 and the documented limits', () => {
    const config = loadConfig({}, '/srv/openprem');
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 9090);
    assert.deepEqual(config.db, { dialect: 'sqlite', file: '/srv/openprem/data/openprem.sqlite' });
    assert.equal(config.gateway, 'sandbox');
    assert.deepEqual(config.rateLimits, {
      messages: { ratePerSecond: 50, burst: 150 },
      default: { ratePerSecond: 20, burst: 60 },
      anonymous: { ratePerSecond: 5, burst: 20 },
      anonymousTotal: { ratePerSecond: 20, burst: 60 },
    });
    assert.equal(config.overload.maxInFlightPerClient, 250);
    assert.deepEqual(config.connectionLimits, {
      headersTimeoutMs: 10_000,
      bodyIdleTimeoutMs: 10_000,
      requestTimeoutMs: 300_000,
      keepAliveTimeoutMs: 72_000,
      maxConnections: 4096,
      maxConnectionsPerAddress: 512,
    });
    assert.equal(config.apiLevel, 'v2.53.0');
    assert.equal(config.sandbox.businessNumber, '16315550000');
    assert.deepEqual(config.sandbox.delays, { sent: 100, delivered: 400, read: 1500 });
    assert.equal(config.apiKey, null);
    assert.equal(config.logFormat, 'auto');
    assert.equal(loadConfig({ WA_LOG_FORMAT: 'json' }).logFormat, 'json');
    assert.equal(config.settingsRefreshMs, 2000);
    assert.equal(loadConfig({ WA_SETTINGS_REFRESH_MS: '250' }).settingsRefreshMs, 250);
    assert.deepEqual(config.retentionDays, { messages: 30, webhooks: 7 });
    assert.deepEqual(loadConfig({ WA_RETENTION_MESSAGES_DAYS: '90', WA_RETENTION_WEBHOOKS_DAYS: '1' }).retentionDays, {
      messages: 90,
      webhooks: 1,
    });
    assert.ok(Object.isFrozen(config));
  });

  it('reads PostgreSQL from WA_DB_URL or the On-Prem WA_DB_* variables', () => {
    assert.equal(loadConfig({ WA_DB_URL: 'postgres://u@db:5432/wa' }).db.dialect, 'postgres');
    const onPrem = loadConfig({
      WA_DB_ENGINE: 'PGSQL',
      WA_DB_HOSTNAME: 'db',
      WA_DB_USERNAME: 'wa',
      WA_DB_PASSWORD: 'p@ss/word',
      WA_DB_NAME: 'whatsapp',
    });
    assert.deepEqual(onPrem.db, {
      dialect: 'postgres',
      url: 'postgres://wa:p%40ss%2Fword@db:5432/whatsapp',
      poolSize: 10,
      timeouts: { connectMs: 2000, statementMs: 30_000 },
      source: 'WA_DB_*',
    });
  });

  it('bounds the PostgreSQL pool and its waits from WA_DB_*', () => {
    const db = loadConfig({
      WA_DB_URL: 'postgres://u@db/wa',
      WA_DB_POOL_SIZE: '25',
      WA_DB_CONNECT_TIMEOUT_MS: '500',
      WA_DB_STATEMENT_TIMEOUT_MS: '0',
    }).db;
    assert.deepEqual(db, {
      dialect: 'postgres',
      url: 'postgres://u@db/wa',
      poolSize: 25,
      timeouts: { connectMs: 500, statementMs: 0 },
      source: 'WA_DB_URL',
    });
    assert.match(
      problem({ WA_DB_URL: 'postgres://u@db/wa', WA_DB_CONNECT_TIMEOUT_MS: '10' }),
      /^WA_DB_CONNECT_TIMEOUT_MS: /,
    );
    assert.match(
      problem({ WA_DB_URL: 'postgres://u@db/wa', WA_DB_STATEMENT_TIMEOUT_MS: 'soon' }),
      /^WA_DB_STATEMENT_TIMEOUT_MS: /,
    );
  });

  it('serves plain HTTP by default, HTTPS from WA_TLS_CERT/WA_TLS_KEY or WA_TLS=self-signed', () => {
    assert.equal(loadConfig({}, '/srv/openprem').tls, null);
    assert.deepEqual(
      loadConfig({ WA_TLS_CERT: 'tls/server.crt', WA_TLS_KEY: '/etc/openprem/server.key' }, '/srv/openprem').tls,
      {
        mode: 'files',
        certFile: '/srv/openprem/tls/server.crt',
        keyFile: '/etc/openprem/server.key',
      },
    );
    assert.deepEqual(loadConfig({ WA_TLS: 'self-signed' }).tls, { mode: 'self-signed' });
    assert.deepEqual(loadConfig({ WA_TLS: ' self-signed ' }).tls, { mode: 'self-signed' });
    // An empty value is unset, so the environment can turn off a WA_TLS that a config file set.
    assert.equal(loadConfig({ WA_TLS: '' }).tls, null);
  });

  it('parses limits, including off', () => {
    const config = loadConfig({
      WA_RATE_LIMIT_MESSAGES: '100/300',
      WA_RATE_LIMIT_DEFAULT: 'off',
      WA_MAX_IN_FLIGHT: 'off',
    });
    assert.deepEqual(config.rateLimits.messages, { ratePerSecond: 100, burst: 300 });
    assert.equal(config.rateLimits.default, null);
    assert.equal(config.overload.maxInFlight, null);
    assert.deepEqual(loadConfig({ WA_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy, ['10.0.0.0/8', '127.0.0.1']);
  });

  it('derives the per-client share from WA_MAX_IN_FLIGHT and bounds the request timeouts', () => {
    assert.equal(loadConfig({ WA_MAX_IN_FLIGHT: '40' }).overload.maxInFlightPerClient, 10);
    assert.equal(
      loadConfig({ WA_MAX_IN_FLIGHT: '40', WA_MAX_IN_FLIGHT_PER_CLIENT: '30' }).overload.maxInFlightPerClient,
      30,
    );
    assert.equal(loadConfig({ WA_MAX_IN_FLIGHT_PER_CLIENT: 'off' }).overload.maxInFlightPerClient, null);
    const off = loadConfig({
      WA_RATE_LIMIT_ANONYMOUS: 'off',
      WA_MAX_CONNECTIONS: 'off',
      WA_MAX_CONNECTIONS_PER_ADDRESS: 'off',
      WA_REQUEST_TIMEOUT_MS: '0',
    });
    assert.equal(off.rateLimits.anonymous, null);
    assert.equal(off.connectionLimits.maxConnections, null);
    assert.equal(off.connectionLimits.maxConnectionsPerAddress, null);
    assert.equal(off.connectionLimits.requestTimeoutMs, 0);
    assert.match(
      problem({ WA_REQUEST_TIMEOUT_MS: '5000' }),
      /^WA_REQUEST_TIMEOUT_MS: must be 0 or at least WA_HEADERS_TIMEOUT_MS \(10000\)/,
    );
    assert.match(
      problem({ WA_BODY_IDLE_TIMEOUT_MS: '10' }),
      /^WA_BODY_IDLE_TIMEOUT_MS: expected a whole number from 100/,
    );
  });

  it('names the variable in one line for every bad value', () => {
    assert.match(problem({ WA_PORT: 'http' }), /^WA_PORT: expected a whole number/);
    assert.match(problem({ WA_PORT: '70000' }), /^WA_PORT: /);
    assert.match(problem({ WA_API_KEY: 'short' }), /^WA_API_KEY: must be 12 to 128 characters/);
    assert.match(problem({ WA_API_KEY: 'k'.repeat(129) }), /^WA_API_KEY: /);
    assert.match(problem({ WA_DB_ENGINE: 'MYSQL', WA_DB_HOSTNAME: 'db' }), /^WA_DB_ENGINE: .*MySQL is not supported/);
    assert.match(problem({ WA_DB_ENGINE: 'PGSQL' }), /^WA_DB_HOSTNAME: required/);
    assert.match(problem({ WA_DB_URL: 'mysql://db' }), /^WA_DB_URL: /);
    assert.match(problem({ WA_GATEWAY: 'carrier-pigeon' }), /^WA_GATEWAY: expected sandbox or cloud/);
    assert.match(
      problem({ WA_RATE_LIMIT_MESSAGES: 'fast' }),
      /^WA_RATE_LIMIT_MESSAGES: expected "<requests per second>\/<burst>"/,
    );
    assert.match(problem({ WA_LOG_LEVEL: 'loud' }), /^WA_LOG_LEVEL: expected one of/);
    assert.match(problem({ WA_LOG_FORMAT: 'xml' }), /^WA_LOG_FORMAT: expected one of json, pretty, auto/);
    assert.match(problem({ WA_ADMIN_PASSWORD: 'password' }), /^WA_ADMIN_PASSWORD: the password must contain a digit/);
    assert.match(problem({ WA_SANDBOX_BUSINESS_NUMBER: '12' }), /^WA_SANDBOX_BUSINESS_NUMBER: /);
    assert.match(problem({ WA_TLS_CERT: 'cert.pem' }), /^WA_TLS_KEY: HTTPS needs both/);
    assert.match(problem({ WA_TLS_KEY: 'key.pem' }), /^WA_TLS_CERT: HTTPS needs both/);
    assert.match(
      problem({ WA_TLS: 'on' }),
      /^WA_TLS: expected self-signed \(or WA_TLS_CERT and WA_TLS_KEY instead\), got "on"$/,
    );
    assert.match(problem({ WA_TLS: 'Self-Signed' }), /^WA_TLS: expected self-signed/);
    assert.match(
      problem({ WA_TLS: 'self-signed', WA_TLS_CERT: 'cert.pem', WA_TLS_KEY: 'key.pem' }),
      /^WA_TLS: self-signed cannot be combined with WA_TLS_CERT\/WA_TLS_KEY/,
    );
    assert.match(problem({ WA_TLS: 'self-signed', WA_TLS_KEY: 'key.pem' }), /^WA_TLS: self-signed cannot be combined/);
    assert.match(problem({ WA_CONFIG_FILE: 'missing.json' }), /^WA_CONFIG_FILE: cannot read/);
    assert.match(problem({ WA_TRUST_PROXY: 'the balancer' }), /^WA_TRUST_PROXY: /);
    assert.match(problem({ WA_SANDBOX_DELAYS: 'sent:soon' }), /^WA_SANDBOX_DELAYS: expected sent:<ms>/);
    assert.match(problem({ WA_SANDBOX_DELAYS: 'sent:500,delivered:100' }), /^WA_SANDBOX_DELAYS: .*increasing order/);
    assert.deepEqual(loadConfig({ WA_SANDBOX_DELAYS: 'read:9000, sent:0' }).sandbox.delays, {
      sent: 0,
      delivered: 400,
      read: 9000,
    });
    assert.match(
      problem({ WA_SETTINGS_REFRESH_MS: '10' }),
      /^WA_SETTINGS_REFRESH_MS: expected a whole number from 50 to 60000/,
    );
    assert.match(
      problem({ WA_RETENTION_MESSAGES_DAYS: '0' }),
      /^WA_RETENTION_MESSAGES_DAYS: expected a whole number from 1 to 3650/,
    );
    assert.match(problem({ WA_RETENTION_WEBHOOKS_DAYS: 'week' }), /^WA_RETENTION_WEBHOOKS_DAYS: /);
    assert.match(problem({ WA_SANDBOX_REGISTERED: 'maybe' }), /^WA_SANDBOX_REGISTERED: expected true or false/);
    assert.equal(loadConfig({}).sandbox.registered, null, 'unset: a fresh database starts registered');
    assert.equal(loadConfig({ WA_SANDBOX_REGISTERED: 'false' }).sandbox.registered, false);
  });

  it('keeps media in a directory with SQLite and in the database with PostgreSQL, unless WA_MEDIA_STORE says', () => {
    const sqlite = loadConfig({}, '/srv/openprem').media;
    assert.equal(sqlite.store, 'directory');
    assert.equal(sqlite.directory, '/srv/openprem/data/media');
    assert.deepEqual(sqlite.linkAllow, []);
    assert.equal(sqlite.retentionMs, 30 * 86_400_000);
    assert.equal(loadConfig({ WA_DB_URL: 'postgres://u@db/wa' }).media.store, 'database');
    assert.equal(loadConfig({ WA_DB_URL: 'postgres://u@db/wa', WA_MEDIA_STORE: 'directory' }).media.store, 'directory');
    assert.equal(
      loadConfig({ WA_MEDIA_LINK_ALLOW: '127.0.0.1:8080,10.0.0.0/8,media.internal' }).media.linkAllow.length,
      3,
    );
    assert.match(problem({ WA_MEDIA_STORE: 's3' }), /^WA_MEDIA_STORE: expected one of directory, database/);
    assert.match(
      problem({ WA_MEDIA_LINK_ALLOW: '10.0.0.0/8:80' }),
      /^WA_MEDIA_LINK_ALLOW: "10\.0\.0\.0\/8:80": a port can follow a single address/,
    );
    assert.match(
      problem({ WA_MEDIA_RETENTION_DAYS: '0' }),
      /^WA_MEDIA_RETENTION_DAYS: expected a whole number from 1 to 3650/,
    );
  });

  it('takes a JSON file below the environment', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(`${tmpdir()}/openprem-config-`);
    await writeFile(`${dir}/openprem.json`, JSON.stringify({ WA_PORT: 9100, WA_HOST: '0.0.0.0' }));
    const config = loadConfig({ WA_CONFIG_FILE: 'openprem.json', WA_PORT: '9200' }, dir);
    assert.equal(config.port, 9200);
    assert.equal(config.host, '0.0.0.0');
    await writeFile(`${dir}/bad.json`, JSON.stringify({ PORT: 1 }));
    assert.throws(() => loadConfig({ WA_CONFIG_FILE: 'bad.json' }, dir), /unknown key "PORT"/);
  });

  describe('the cloud gateway', () => {
    const cloud = {
      WA_GATEWAY: 'cloud',
      WA_CLOUD_ACCESS_TOKEN: 'EAAGm0PX4ZCpsBAKZCZCtoken0123456789',
      WA_CLOUD_PHONE_NUMBER_ID: '106540352242922',
      WA_CLOUD_WABA_ID: '102290129340398',
      WA_CLOUD_BUSINESS_NUMBER: '+1 631 555 0253',
      WA_CLOUD_APP_SECRET: '0123456789abcdef0123456789abcdef',
      WA_CLOUD_VERIFY_TOKEN: 'verify-me-please',
    };

    it("reads Meta's ids and secrets, with a current Graph version and Graph's host by default", () => {
      const config = loadConfig(cloud);
      assert.equal(config.gateway, 'cloud');
      assert.equal(config.cloud?.phoneNumberId, '106540352242922');
      assert.equal(config.cloud?.businessNumber, '16315550253');
      assert.equal(config.cloud?.apiVersion, 'v23.0');
      assert.equal(config.cloud?.baseUrl, 'https://graph.facebook.com');
      assert.equal(config.cloud?.appId, null);
      assert.equal(
        loadConfig({ ...cloud, WA_CLOUD_BASE_URL: 'http://127.0.0.1:4000/' }).cloud?.baseUrl,
        'http://127.0.0.1:4000',
      );
      assert.equal(loadConfig({}).cloud, null);
    });

    it('names the missing or malformed variable and never repeats a secret', () => {
      const { WA_CLOUD_APP_SECRET: _secret, ...withoutSecret } = cloud;
      assert.match(problem(withoutSecret), /^WA_CLOUD_APP_SECRET: required when WA_GATEWAY=cloud$/);
      const badToken = problem({ ...cloud, WA_CLOUD_ACCESS_TOKEN: 'EAA token with spaces in it' });
      assert.match(badToken, /^WA_CLOUD_ACCESS_TOKEN: expected a Graph access token/);
      assert.doesNotMatch(badToken, /spaces in it/);
      assert.match(
        problem({ ...cloud, WA_CLOUD_PHONE_NUMBER_ID: 'abc' }),
        /^WA_CLOUD_PHONE_NUMBER_ID: expected the numeric id/,
      );
      assert.match(
        problem({ ...cloud, WA_CLOUD_API_VERSION: '23' }),
        /^WA_CLOUD_API_VERSION: expected a Graph version/,
      );
      assert.match(
        problem({ ...cloud, WA_CLOUD_BASE_URL: 'ftp://graph' }),
        /^WA_CLOUD_BASE_URL: expected an http\(s\) origin/,
      );
      assert.match(problem({ ...cloud, WA_CLOUD_BUSINESS_NUMBER: '12' }), /^WA_CLOUD_BUSINESS_NUMBER: /);
    });

    it('lists every missing or malformed variable at once, still without repeating a secret', () => {
      const { WA_CLOUD_ACCESS_TOKEN: _token, WA_CLOUD_WABA_ID: _waba, ...partial } = cloud;
      let error: ConfigError | undefined;
      try {
        loadConfig({
          ...partial,
          WA_CLOUD_APP_SECRET: 'short secret',
          WA_CLOUD_API_VERSION: '23',
          WA_CLOUD_TIMEOUT_MS: 'soon',
        });
      } catch (caught) {
        error = caught as ConfigError;
      }
      assert.ok(error instanceof ConfigError);
      assert.deepEqual(
        error.problems.map((p) => p.variable),
        [
          'WA_CLOUD_ACCESS_TOKEN',
          'WA_CLOUD_WABA_ID',
          'WA_CLOUD_APP_SECRET',
          'WA_CLOUD_API_VERSION',
          'WA_CLOUD_TIMEOUT_MS',
        ],
      );
      assert.equal(error.variable, 'WA_CLOUD_ACCESS_TOKEN');
      assert.match(error.message, /^WA_CLOUD_ACCESS_TOKEN: required when WA_GATEWAY=cloud; WA_CLOUD_WABA_ID: required/);
      assert.doesNotMatch(error.message, /short secret/);
    });
  });
});
