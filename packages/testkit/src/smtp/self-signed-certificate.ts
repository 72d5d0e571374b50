import { generateKeyPairSync, randomBytes } from 'node:crypto';

/**
 * A certificate for localhost/127.0.0.1/::1 that signs itself, so no CA vouches for it: what a
 * misconfigured server presents. For the "certificate not trusted" tests (a sink started with
 * `certificate: selfSignedCertificate()`).
 */
export interface PemCertificate {
  key: string;
  cert: string;
}

/** The few node-forge calls used here (the package ships no types). */
interface ForgeCertificate {
  publicKey: unknown;
  serialNumber: string;
  validity: { notBefore: Date; notAfter: Date };
  setSubject(attrs: { name: string; value: string }[]): void;
  setIssuer(attrs: { name: string; value: string }[]): void;
  setExtensions(exts: object[]): void;
  sign(key: unknown, md: unknown): void;
}
interface ForgeSubset {
  pki: {
    privateKeyFromPem(pem: string): unknown;
    publicKeyFromPem(pem: string): unknown;
    createCertificate(): ForgeCertificate;
    certificateToPem(cert: ForgeCertificate): string;
  };
  md: { sha256: { create(): unknown } };
}

const forge = require('node-forge') as ForgeSubset;

export function selfSignedCertificate(commonName = 'localhost'): PemCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  const subject = [{ name: 'commonName', value: commonName }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 2, value: 'localhost' },
        { type: 7, ip: '127.0.0.1' },
        { type: 7, ip: '::1' },
      ],
    },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
  return { key: privateKey, cert: forge.pki.certificateToPem(cert) };
}
