// HTTPS from the real `openprem start` process (docs/api/certificates.md#which-certificate-a-node-serves): the
// operator's WA_TLS_CERT/WA_TLS_KEY, WA_TLS=self-signed made once and kept in the data directory, an uploaded
// certificate served from the next start, and the one-line start-up errors for bad TLS configuration.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { Agent, request } from 'undici';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { externalUpload, makeChain, type TestChain } from '../support/pki.js';
import { runCli, startServer } from '../support/process.js';

const ADMIN_PASSWORD = 'Tls-Admin-Pass1!';
const BASIC = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;

/** One request over HTTPS trusting `ca` only (or nothing at all, as `curl -k`). */
async function call(
  url: string,
  trust: { ca: string } | 'insecure',
  options: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string } = {},
) {
  const agent = new Agent({ connect: trust === 'insecure' ? { rejectUnauthorized: false } : { ca: trust.ca } });
  try {
    const response = await request(url, {
      method: options.method ?? 'GET',
      headers: options.headers,
      body: options.body,
      dispatcher: agent,
    });
    return { status: response.statusCode, text: await response.body.text() };
  } finally {
    await agent.close();
  }
}

async function token(base: string, trust: { ca: string } | 'insecure'): Promise<string> {
  const login = await call(`${base}/v1/users/login`, trust, { method: 'POST', headers: { authorization: BASIC } });
  assert.equal(login.status, 200, login.text);
  return JSON.parse(login.text).users[0].token;
}

/** The certificate the server presents, read without trusting it. */
function presented(base: string): Promise<tls.PeerCertificate> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = tls.connect(
      { host: hostname, port: Number(port), rejectUnauthorized: false, servername: 'localhost' },
      () => {
        resolve(socket.getPeerCertificate());
        socket.end();
      },
    );
    socket.on('error', reject);
  });
}

async function stop(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
}

describe('HTTPS from the openprem process', () => {
  let dataDir: string;
  let database: TestDatabase;
  let env: Record<string, string>;
  let chain: TestChain;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'openprem-tls-'));
    database = await createTestDatabase(dataDir);
    env = {
      ...database.env,
      WA_ADMIN_PASSWORD: ADMIN_PASSWORD,
      WA_RATE_LIMIT_DEFAULT: 'off',
      WA_MAX_EVENT_LOOP_DELAY_MS: 'off',
    };
    chain = await makeChain({ name: 'Operator' });
    await writeFile(path.join(dataDir, 'server.crt'), chain.leaf.certPem + chain.intermediate.certPem);
    await writeFile(path.join(dataDir, 'server.key'), chain.leaf.keyPem, { mode: 0o600 });
  });
  after(async () => {
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves the WA_TLS_CERT/WA_TLS_KEY files, which stay in force over an uploaded certificate', async () => {
    // A database of its own: the certificate uploaded here must not reach the self-signed tests below.
    const ownDir = await mkdtemp(path.join(os.tmpdir(), 'openprem-tls-files-'));
    const own = await createTestDatabase(ownDir);
    const files = {
      ...env,
      ...own.env,
      WA_TLS_CERT: path.join(dataDir, 'server.crt'),
      WA_TLS_KEY: path.join(dataDir, 'server.key'),
    };
    let server = await startServer(files);
    try {
      assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      assert.equal((await call(`${server.url}/`, { ca: chain.root.certPem })).status, 200);
      await assert.rejects(
        call(`${server.url}/`, { ca: (await makeChain({ name: 'Stranger' })).root.certPem }),
        (error: any) =>
          /UNABLE_TO_GET_ISSUER_CERT_LOCALLY|unable to get local issuer/.test(`${error.code} ${error.message}`),
      );
      assert.equal((await presented(server.url)).fingerprint256, chain.leaf.certificate.fingerprint256);
      const uploaded = await makeChain({ name: 'Uploaded' });
      const upload = await call(
        `${server.url}/v1/certificates/external`,
        { ca: chain.root.certPem },
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${await token(server.url, { ca: chain.root.certPem })}`,
            'content-type': 'text/plain',
          },
          body: externalUpload(uploaded),
        },
      );
      assert.equal(upload.status, 200, upload.text);
    } finally {
      await stop(server.child, server.exited);
    }
    server = await startServer(files);
    try {
      assert.equal(
        (await presented(server.url)).fingerprint256,
        chain.leaf.certificate.fingerprint256,
        'the files win over the upload',
      );
    } finally {
      await stop(server.child, server.exited);
      await own.drop();
      await rm(ownDir, { recursive: true, force: true });
    }
  });

  // The variables' own syntax is checked in src/config.test.ts; these are the checks of the files at start-up.
  it('stops on TLS files that cannot serve, with one line naming the variable', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ WA_TLS: 'yes' }, /^openprem: configuration error: WA_TLS: expected self-signed/],
      [
        { WA_TLS_CERT: path.join(dataDir, 'missing.crt'), WA_TLS_KEY: path.join(dataDir, 'server.key') },
        /^openprem: configuration error: WA_TLS_CERT: cannot read .*missing\.crt \(ENOENT\)/,
      ],
      [
        { WA_TLS_CERT: path.join(dataDir, 'server.key'), WA_TLS_KEY: path.join(dataDir, 'server.key') },
        /^openprem: configuration error: WA_TLS_CERT: .* holds no readable PEM certificate/,
      ],
      [
        { WA_TLS_CERT: path.join(dataDir, 'server.crt'), WA_TLS_KEY: path.join(dataDir, 'server.crt') },
        /^openprem: configuration error: WA_TLS_KEY: .* holds no readable, unencrypted PEM private key/,
      ],
      [
        { WA_TLS_CERT: path.join(dataDir, 'server.crt'), WA_TLS_KEY: path.join(dataDir, 'other.key') },
        /^openprem: configuration error: WA_TLS_KEY: the key in .*other\.key does not belong to the certificate/,
      ],
    ];
    await writeFile(path.join(dataDir, 'other.key'), (await makeChain({ name: 'Other' })).leaf.keyPem);
    // In parallel: each is a whole process start (~3 s under tsx), and none of them gets as far as listening.
    const results = await Promise.all(cases.map(([extra]) => runCli(['start'], { ...env, ...extra })));
    for (const [index, [extra, expected]] of cases.entries()) {
      const result = results[index]!;
      assert.equal(result.code, 2, `${JSON.stringify(extra)}: ${result.stderr}`);
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
      assert.match(result.stderr, expected);
    }
  });

  it('WA_TLS=self-signed makes a certificate once, keeps it (key 0600) and presents the same one on the next start', async () => {
    const selfSigned = { ...env, WA_TLS: 'self-signed' };
    let server = await startServer(selfSigned);
    let ca: string;
    let first: tls.PeerCertificate;
    const keyFile = path.join(dataDir, 'tls', 'self-signed.key');
    const chainFile = path.join(dataDir, 'tls', 'self-signed.crt');
    try {
      assert.match(server.url, /^https:\/\//);
      // As On-Prem's documentation does it: fetch the CA once without verifying, then trust it.
      const insecure = await call(`${server.url}/v1/certificates/external/ca`, 'insecure', {
        headers: { authorization: `Bearer ${await token(server.url, 'insecure')}` },
      });
      assert.equal(insecure.status, 200, insecure.text);
      ca = insecure.text;
      assert.ok(new X509Certificate(ca).ca, 'the answer is a CA certificate');
      assert.equal((await call(`${server.url}/`, { ca })).status, 200, 'trusting that CA is enough, for 127.0.0.1');
      first = await presented(server.url);
      assert.equal((await stat(keyFile)).mode & 0o777, 0o600);
      assert.equal((await stat(path.dirname(keyFile))).mode & 0o777, 0o700);
    } finally {
      await stop(server.child, server.exited);
    }
    const [keyBefore, chainBefore] = await Promise.all([readFile(keyFile, 'utf8'), readFile(chainFile, 'utf8')]);
    server = await startServer(selfSigned);
    try {
      assert.equal(
        (await presented(server.url)).fingerprint256,
        first.fingerprint256,
        'the same certificate on the second start',
      );
      assert.equal((await call(`${server.url}/`, { ca })).status, 200);
      assert.equal(await readFile(keyFile, 'utf8'), keyBefore);
      assert.equal(await readFile(chainFile, 'utf8'), chainBefore);
    } finally {
      await stop(server.child, server.exited);
    }
  });

  it('an uploaded certificate replaces the self-signed one from the next start', async () => {
    const selfSigned = { ...env, WA_TLS: 'self-signed' };
    const uploaded = await makeChain({ name: 'External' });
    let server = await startServer(selfSigned);
    try {
      const bearer = `Bearer ${await token(server.url, 'insecure')}`;
      const upload = await call(`${server.url}/v1/certificates/external`, 'insecure', {
        method: 'POST',
        headers: { authorization: bearer, 'content-type': 'text/plain' },
        body: externalUpload(uploaded),
      });
      assert.equal(upload.status, 200, upload.text);
      assert.notEqual(
        (await presented(server.url)).fingerprint256,
        uploaded.leaf.certificate.fingerprint256,
        'served after a restart, as the reference says',
      );
    } finally {
      await stop(server.child, server.exited);
    }
    server = await startServer(selfSigned);
    try {
      assert.equal((await presented(server.url)).fingerprint256, uploaded.leaf.certificate.fingerprint256);
      const trust = { ca: uploaded.root.certPem };
      const ca = await call(`${server.url}/v1/certificates/external/ca`, trust, {
        headers: { authorization: `Bearer ${await token(server.url, trust)}` },
      });
      assert.equal(ca.status, 200);
      assert.equal(new X509Certificate(ca.text).fingerprint256, uploaded.intermediate.certificate.fingerprint256);
    } finally {
      await stop(server.child, server.exited);
    }
  });
});
