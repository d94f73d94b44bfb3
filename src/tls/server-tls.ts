// Which certificate this node presents, decided once at start-up
// (docs/api/certificates.md#which-certificate-a-node-serves):
// - WA_TLS_CERT/WA_TLS_KEY: those files, always. The operator named them for this node, and whatever renews them
//   (certbot, cert-manager) must not be overridden by an upload; an uploaded certificate is then only logged.
// - WA_TLS=self-signed: the uploaded external certificate if there is one (in the database, so every node
//   sharing it serves the same), else the generated self-signed one, as On-Prem's Webapp did.
// - neither: plain HTTP; an uploaded certificate is kept for when HTTPS is turned on.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { ConfigError, type Config } from '../config.js';
import type { CertificatesRepository } from '../db/repositories/certificates.js';
import { readStoredExternal } from './certificate-uploads.js';
import { readPemBlocks } from './pem.js';
import { ensureSelfSigned } from './self-signed.js';

export interface ServerTls {
  /** What the HTTPS server presents (key, and the chain leaf first); null for plain HTTP. */
  material: { key: string; cert: string } | null;
  source: 'files' | 'uploaded' | 'self-signed' | null;
  /** The self-signed certificate's CA (WA_TLS=self-signed), for GET /v1/certificates/external/ca. */
  selfSignedCa: string | null;
}

export interface ServerTlsDeps {
  config: Pick<Config, 'tls' | 'dataDir' | 'host'>;
  certificates: Pick<CertificatesRepository, 'read'>;
  now: number;
  serverNames: readonly string[];
  /** WA_TLS_CERT/WA_TLS_KEY already read and checked (readTlsFiles), so that bad files stop the start early. */
  files?: { key: string; cert: string };
  log: {
    info(obj: object, message: string): void;
    warn(obj: object, message: string): void;
    error(obj: object, message: string): void;
  };
}

export async function resolveServerTls(deps: ServerTlsDeps): Promise<ServerTls> {
  const { config, log } = deps;
  const uploaded = await deps.certificates.read('external');
  if (config.tls === null) {
    if (uploaded)
      log.info(
        {},
        'an uploaded certificate is stored, but this node serves plain HTTP: set WA_TLS=self-signed to serve it',
      );
    return { material: null, source: null, selfSignedCa: null };
  }
  if (config.tls.mode === 'files') {
    if (uploaded)
      log.warn({}, 'WA_TLS_CERT and WA_TLS_KEY take precedence over the uploaded certificate, which is not served');
    return {
      material: deps.files ?? (await readTlsFiles(config.tls.certFile, config.tls.keyFile)),
      source: 'files',
      selfSignedCa: null,
    };
  }
  const selfSigned = await ensureSelfSignedOrExplain(deps);
  const fallback: ServerTls = {
    material: { key: selfSigned.keyPem, cert: selfSigned.chainPem },
    source: 'self-signed',
    selfSignedCa: selfSigned.caPem,
  };
  if (!uploaded) return fallback;
  try {
    const external = readStoredExternal(uploaded.pem);
    const leaf = external.chain[0]!;
    if (Date.parse(leaf.validTo) < deps.now)
      log.warn({ validTo: leaf.validTo }, 'the uploaded certificate has expired; upload a new one');
    return {
      material: { key: external.keyPem, cert: external.chain.map((c) => c.toString()).join('') },
      source: 'uploaded',
      selfSignedCa: selfSigned.caPem,
    };
  } catch (error) {
    // Unlike On-Prem, whose Webapp then failed to start, the node comes up on its own certificate so that a
    // good one can be uploaded through the API.
    log.error({ err: error }, 'the uploaded certificate cannot be used; serving the self-signed one');
    return fallback;
  }
}

/** What the self-signed certificate is valid for: loopback, this host's name, and WA_HOST unless it is a wildcard. */
export function serverNamesFor(host: string): string[] {
  const names = ['localhost', os.hostname(), '127.0.0.1', '::1'];
  if (!['0.0.0.0', '::', ''].includes(host)) names.unshift(host);
  return [...new Set(names)];
}

async function ensureSelfSignedOrExplain({ config, now, serverNames, log }: ServerTlsDeps) {
  try {
    return await ensureSelfSigned({ dataDir: config.dataDir, now, serverNames, log });
  } catch (error) {
    throw new ConfigError(
      'WA_DATA_DIR',
      `cannot keep the self-signed certificate in ${config.dataDir} (${(error as Error).message})`,
    );
  }
}

/** The operator's files, checked now so that a mistake stops the start with one line naming the variable. */
export async function readTlsFiles(certFile: string, keyFile: string): Promise<{ key: string; cert: string }> {
  const cert = await readOrExplain('WA_TLS_CERT', certFile);
  const key = await readOrExplain('WA_TLS_KEY', keyFile);
  const first = (readPemBlocks(cert) ?? []).find((block) => block.label === 'CERTIFICATE');
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(first?.text ?? '');
  } catch {
    throw new ConfigError('WA_TLS_CERT', `${certFile} holds no readable PEM certificate`);
  }
  let matches: boolean;
  try {
    matches = leaf.checkPrivateKey(createPrivateKey(key));
  } catch {
    throw new ConfigError('WA_TLS_KEY', `${keyFile} holds no readable, unencrypted PEM private key`);
  }
  if (!matches)
    throw new ConfigError('WA_TLS_KEY', `the key in ${keyFile} does not belong to the certificate in ${certFile}`);
  return { key, cert };
}

async function readOrExplain(variable: string, file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      variable,
      `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
}
