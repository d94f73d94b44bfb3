// WA_TLS=self-signed: a CA and a server certificate it signs, made on the first start and kept in the data
// directory, so that clients which trust the CA (GET /v1/certificates/external/ca) keep trusting the server
// across restarts. The CA's private key is not kept: nothing else is ever signed with it.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import path from 'node:path';
import { readPemBlocks } from './pem.js';
import { generateCertificate } from './x509-generator.js';

const DAY_MS = 86_400_000;
// 825 days: the longest validity Apple's TLS clients accept for a server certificate, whoever issued it.
const VALIDITY_MS = 825 * DAY_MS;
// Renewed at start-up when this close to the end, so a node restarted now and then never serves an expired one.
const RENEW_BEFORE_MS = 30 * DAY_MS;

export interface SelfSignedCertificate {
  keyPem: string;
  /** The server certificate, then the CA: what the HTTPS server presents. */
  chainPem: string;
  /** The CA alone: what a client adds to its trust store. */
  caPem: string;
  /** False when made by this call. */
  reused: boolean;
}

export interface SelfSignedOptions {
  dataDir: string;
  /** Names and addresses the certificate is valid for. */
  serverNames: readonly string[];
  now: number;
  log: { info(obj: object, message: string): void; warn(obj: object, message: string): void };
}

export function selfSignedPaths(dataDir: string) {
  const dir = path.join(dataDir, 'tls');
  return { dir, key: path.join(dir, 'self-signed.key'), chain: path.join(dir, 'self-signed.crt') };
}

/** The kept certificate when it is still usable, else a new one written in its place. */
export async function ensureSelfSigned(options: SelfSignedOptions): Promise<SelfSignedCertificate> {
  const paths = selfSignedPaths(options.dataDir);
  const kept = await readKept(paths, options);
  if (kept) return kept;
  const made = await makeSelfSigned(options);
  await mkdir(paths.dir, { recursive: true, mode: 0o700 });
  // The key first: a crash between the two writes leaves a key that matches no certificate, which the next
  // start notices and replaces, rather than a certificate whose key is gone.
  await writeAtomically(paths.key, made.keyPem, 0o600);
  await writeAtomically(paths.chain, made.chainPem, 0o644);
  options.log.info(
    { file: paths.chain },
    'generated a self-signed certificate; clients trust it through GET /v1/certificates/external/ca',
  );
  return made;
}

async function readKept(
  paths: ReturnType<typeof selfSignedPaths>,
  { now, log }: SelfSignedOptions,
): Promise<SelfSignedCertificate | null> {
  let keyPem: string;
  let chainPem: string;
  try {
    [keyPem, chainPem] = await Promise.all([readFile(paths.key, 'utf8'), readFile(paths.chain, 'utf8')]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      log.warn({ err: error }, 'the self-signed certificate cannot be read; making a new one');
    return null;
  }
  const problem = keptProblem(keyPem, chainPem, now);
  if (problem) {
    log.warn({ file: paths.chain, problem }, 'replacing the self-signed certificate; clients must fetch the new CA');
    return null;
  }
  // A key left readable by others (copied by hand, restored from a backup) is closed again.
  if (((await stat(paths.key)).mode & 0o077) !== 0) {
    await chmod(paths.key, 0o600);
    log.warn({ file: paths.key }, 'the self-signed private key was readable by others; its mode is now 0600');
  }
  const caPem = readPemBlocks(chainPem)![1]!.text;
  return { keyPem, chainPem, caPem: `${caPem}\n`, reused: true };
}

function keptProblem(keyPem: string, chainPem: string, now: number): string | null {
  try {
    const blocks = readPemBlocks(chainPem) ?? [];
    if (blocks.length < 2) return 'the certificate file does not hold the certificate and its CA';
    const [leaf, ca] = blocks.map((block) => new X509Certificate(block.text)) as [X509Certificate, X509Certificate];
    if (!leaf.checkPrivateKey(createPrivateKey(keyPem))) return 'the key does not belong to the certificate';
    if (!leaf.verify(ca.publicKey)) return 'the CA did not sign the certificate';
    if (Date.parse(leaf.validTo) - now < RENEW_BEFORE_MS) return `the certificate expires on ${leaf.validTo}`;
    return null;
  } catch (error) {
    return `unreadable (${(error as Error).message})`;
  }
}

async function makeSelfSigned({ serverNames, now }: SelfSignedOptions): Promise<SelfSignedCertificate> {
  // An hour back: a client whose clock runs a little behind still accepts the certificate at once.
  const notBefore = new Date(now - 3_600_000);
  const notAfter = new Date(now + VALIDITY_MS);
  const ca = await generateCertificate({
    commonName: 'OpenPrem self-signed CA',
    notBefore,
    notAfter,
    ca: { pathLength: 0 },
  });
  const server = await generateCertificate({
    commonName: serverNames.find((name) => isIP(name) === 0) ?? 'localhost',
    notBefore,
    notAfter,
    issuer: ca,
    dnsNames: serverNames.filter((name) => isIP(name) === 0),
    ipAddresses: serverNames.filter((name) => isIP(name) !== 0),
  });
  return { keyPem: server.keyPem, chainPem: server.certPem + ca.certPem, caPem: ca.certPem, reused: false };
}

/** Written beside, flushed, then renamed over: a crash leaves the old file or the new one, never half of one. */
async function writeAtomically(file: string, text: string, mode: number): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  // A leftover of a crashed start would keep its old mode: the mode below applies only to a file it creates.
  await rm(temporary, { force: true });
  await writeFile(temporary, text, { mode, flush: true });
  await rename(temporary, file);
}
