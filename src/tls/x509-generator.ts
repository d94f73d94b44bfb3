// Makes X.509 certificates: the self-signed pair of WA_TLS=self-signed, and the test suites' CAs and chains.
// node:crypto parses and verifies certificates but cannot make one, so this is the one place that uses
// @peculiar/x509 (TypeScript, maintained, signs through WebCrypto, i.e. node:crypto's own OpenSSL). It is loaded
// on first use, so a node that never generates a certificate never loads it or its reflect-metadata polyfill.
import { randomBytes, webcrypto, X509Certificate, KeyObject } from 'node:crypto';

type X509Module = typeof import('@peculiar/x509');
// The library's names for WebCrypto types, which this project's lib (no DOM) does not declare globally.
type CreateWithKey = Extract<Parameters<X509Module['X509CertificateGenerator']['create']>[0], { signingKey: unknown }>;
type LibCryptoKey = CreateWithKey['signingKey'];
type LibCrypto = Parameters<X509Module['cryptoProvider']['set']>[0];
type LibExtension = InstanceType<X509Module['Extension']>;

// ECDSA P-256: a key in ~1 ms where RSA-2048 takes ~100 ms, and every TLS client of the last decade accepts it.
const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;

export interface CertificateSpec {
  commonName: string;
  notBefore: Date;
  notAfter: Date;
  /** A CA that may issue certificates (pathLength: how many CAs may sit below it). */
  ca?: { pathLength?: number };
  /** Subject alternative names, for a server certificate. */
  dnsNames?: readonly string[];
  ipAddresses?: readonly string[];
  /** Who signs it; absent, it is self-signed. */
  issuer?: GeneratedCertificate;
}

export interface GeneratedCertificate {
  readonly certificate: X509Certificate;
  /** The certificate, PEM. */
  readonly certPem: string;
  /** Its private key, PKCS#8 PEM. */
  readonly keyPem: string;
  readonly keys: webcrypto.CryptoKeyPair;
  readonly commonName: string;
}

let loading: Promise<X509Module> | null = null;

function loadX509(): Promise<X509Module> {
  loading ??= (async () => {
    // tsyringe, which @peculiar/x509 uses inside, needs the Reflect metadata API before it loads.
    await import('reflect-metadata');
    const x509 = await import('@peculiar/x509');
    x509.cryptoProvider.set(webcrypto as unknown as LibCrypto);
    return x509;
  })();
  return loading;
}

export async function generateCertificate(spec: CertificateSpec): Promise<GeneratedCertificate> {
  const x509 = await loadX509();
  const keys = await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
  const issuer = spec.issuer;
  const created = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: `CN=${spec.commonName}`,
    issuer: `CN=${issuer?.commonName ?? spec.commonName}`,
    notBefore: spec.notBefore,
    notAfter: spec.notAfter,
    signingAlgorithm: SIGNING_ALGORITHM,
    publicKey: keys.publicKey as unknown as LibCryptoKey,
    signingKey: (issuer?.keys ?? keys).privateKey as unknown as LibCryptoKey,
    extensions: await extensionsFor(x509, spec, keys),
  });
  const certPem = created.toString('pem');
  const keyPem = KeyObject.from(keys.privateKey).export({ type: 'pkcs8', format: 'pem' }) as string;
  return {
    certificate: new X509Certificate(certPem),
    certPem: `${certPem.trim()}\n`,
    keyPem,
    keys,
    commonName: spec.commonName,
  };
}

async function extensionsFor(x509: X509Module, spec: CertificateSpec, keys: webcrypto.CryptoKeyPair) {
  const publicKey = keys.publicKey as unknown as LibCryptoKey;
  const issuerKey = (spec.issuer?.keys ?? keys).publicKey as unknown as LibCryptoKey;
  const extensions: LibExtension[] = [
    new x509.BasicConstraintsExtension(spec.ca !== undefined, spec.ca?.pathLength, true),
    await x509.SubjectKeyIdentifierExtension.create(publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(issuerKey),
  ];
  if (spec.ca) {
    extensions.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true));
    return extensions;
  }
  extensions.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true));
  extensions.push(new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false));
  const names = [
    ...(spec.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(spec.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names, false));
  return extensions;
}

/** 16 random bytes, first bit clear so the DER INTEGER is positive (RFC 5280 section 4.1.2.2). */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0]! &= 0x7f;
  return bytes.toString('hex');
}
