// Certificates made by the tests: a root CA, an intermediate it signs, and server certificates for loopback,
// valid across both the injected clock's dates and the real ones (TLS handshakes check the real clock).
import { generateCertificate, type GeneratedCertificate } from '../../src/tls/x509-generator.js';

const DAY_MS = 86_400_000;
export const VALID_FROM = new Date(Date.UTC(2025, 0, 1));
export const VALID_TO = new Date(Math.max(Date.now(), Date.UTC(2026, 0, 5)) + 730 * DAY_MS);

export interface TestChain {
  root: GeneratedCertificate;
  intermediate: GeneratedCertificate;
  leaf: GeneratedCertificate;
}

export interface ChainOptions {
  /** The server certificate's validity (default VALID_FROM to VALID_TO). */
  leaf?: { notBefore?: Date; notAfter?: Date };
  intermediate?: { notBefore?: Date; notAfter?: Date };
  name?: string;
}

export function makeRoot(name = 'Test Root CA'): Promise<GeneratedCertificate> {
  return generateCertificate({ commonName: name, notBefore: VALID_FROM, notAfter: VALID_TO, ca: {} });
}

/** A server certificate for localhost and 127.0.0.1 signed by `issuer`. */
export function makeServerCertificate(
  issuer: GeneratedCertificate,
  validity: ChainOptions['leaf'] = {},
  name = 'localhost',
) {
  return generateCertificate({
    commonName: name,
    notBefore: validity.notBefore ?? VALID_FROM,
    notAfter: validity.notAfter ?? VALID_TO,
    issuer,
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
  });
}

/** root → intermediate → leaf. */
export async function makeChain(options: ChainOptions = {}): Promise<TestChain> {
  const name = options.name ?? 'Test';
  const root = await makeRoot(`${name} Root CA`);
  const intermediate = await generateCertificate({
    commonName: `${name} Intermediate CA`,
    notBefore: options.intermediate?.notBefore ?? VALID_FROM,
    notAfter: options.intermediate?.notAfter ?? VALID_TO,
    issuer: root,
    ca: { pathLength: 0 },
  });
  const leaf = await makeServerCertificate(intermediate, options.leaf, `${name.toLowerCase()}.localhost`);
  return { root, intermediate, leaf };
}

/** The file POST /v1/certificates/external takes: key, certificate, intermediate. */
export function externalUpload(chain: TestChain): string {
  return chain.leaf.keyPem + chain.leaf.certPem + chain.intermediate.certPem;
}
