/**
 * @module
 * A test eMRTD PKI (ICAO Doc 9303 Part 12 §7.1 certificate profiles): a self-signed CSCA and a
 * Document Signer certificate it issues, for the software chip and the passive-authentication
 * tests. Keys as real issuers use them (e.g. Viet Nam: CSCA P-384, DS brainpoolP384r1), with
 * named or explicit EC parameters. Not for production: test keys live in memory.
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { toBase64 } from '@vneid/core/bytes';
import * as asn1js from 'asn1js';
import type { HashName } from '../pa/algorithms.ts';
import { bytesToBigint, unsignedInteger } from '../pa/asn1.ts';
import { PaError } from '../pa/pa-error.ts';
import { bits, der, element, explicit, extension, name, octets, seq, time } from './der.ts';
import {
  defaultRandom,
  generateEcKey,
  generateRsaKey,
  type RandomSource,
  type TestSigningKey,
} from './keys.ts';

/** Algorithms the test PKI can issue. */
export type TestPkiAlgorithm =
  | 'rsa'
  | 'rsa-pss'
  | 'ecdsa-p256'
  | 'ecdsa-brainpoolP256r1'
  | 'ecdsa-brainpoolP384r1';

/** The algorithms, in a stable order (for loops in tests and benchmarks). */
export const TEST_PKI_ALGORITHMS: readonly TestPkiAlgorithm[] = [
  'rsa',
  'rsa-pss',
  'ecdsa-p256',
  'ecdsa-brainpoolP256r1',
  'ecdsa-brainpoolP384r1',
];

/** A certificate with its private key. */
export interface TestCertifiedKey {
  /** DER certificate. */
  certificate: Uint8Array;
  key: TestSigningKey;
  serialNumber: bigint;
  /** `[type OID, value]` pairs of the subject. */
  subject: ReadonlyArray<readonly [string, string]>;
  subjectKeyIdentifier: Uint8Array;
  /** Hash used for signatures this key makes on certificates and CRLs. */
  certificateHash: HashName;
}

/** A CSCA and a Document Signer. */
export interface TestPki {
  algorithm: TestPkiAlgorithm;
  csca: TestCertifiedKey;
  dsc: TestCertifiedKey;
  random: RandomSource;
}

/** Options of {@link createTestPki}. */
export interface TestPkiOptions {
  algorithm: TestPkiAlgorithm;
  /** DSC public key with explicit EC domain parameters (EC algorithms only). */
  explicitParameters?: boolean;
  /** DSC validity; default: from one day ago for ten years. */
  notBefore?: Date;
  notAfter?: Date;
  /** CSCA validity; default: a year before the DSC's notBefore to 20 years after it. */
  cscaNotBefore?: Date;
  cscaNotAfter?: Date;
  /** Adds a private key usage period ending here to the CSCA (e.g. the Vietnamese 2026-01-21). */
  cscaKeyUsageEnd?: Date;
  /** Issue the DSC under this existing CSCA instead of a new one. */
  csca?: TestCertifiedKey;
  /** Country code in the names; default `VN`. */
  country?: string;
  /** Common name of the CSCA; default `CSCA TEST`. */
  cscaCommonName?: string;
  /** Omit subject/authority key identifiers (some real certificates have none). */
  omitKeyIdentifiers?: boolean;
  /**
   * Write the DSC's issuer name differently from the CSCA's subject, as some real documents do:
   * `reversed` = RDNs in reverse order with the common name in lower case.
   */
  dscIssuerName?: 'same' | 'reversed';
  /** RSA modulus length; default 2048. */
  rsaBits?: number;
  /** Issue the CSCA without CA powers (no basicConstraints, keyUsage digitalSignature only), as a broken issuer would. */
  cscaNotCa?: boolean;
  /** The DSC's keyUsage; default `'digitalSignature'` (Doc 9303 Part 12 §7.1). */
  dscKeyUsage?: 'digitalSignature' | 'keyCertSign';
  /** Random bytes (EC keys, serials, PSS salts); default the platform CSPRNG. RSA keys come from WebCrypto. */
  random?: RandomSource;
}

const DAY = 86_400_000;
const YEAR = 365 * DAY;

interface IssueOptions {
  subject: ReadonlyArray<readonly [string, string]>;
  issuer: ReadonlyArray<readonly [string, string]>;
  subjectKey: TestSigningKey;
  issuerKey: TestSigningKey;
  issuerKeyId?: Uint8Array;
  hash: HashName;
  notBefore: Date;
  notAfter: Date;
  ca: boolean;
  serialNumber: bigint;
  keyIdentifiers: boolean;
  keyUsageEnd?: Date;
  /** keyUsage for a non-CA certificate (default digitalSignature). */
  endEntityKeyUsage?: 'digitalSignature' | 'keyCertSign';
}

/** Issues a certificate (RFC 5280 §4.1). */
function issue(o: IssueOptions): { der: Uint8Array; ski: Uint8Array } {
  const ski = sha1(o.subjectKey.publicKey);
  const extensions: asn1js.AsnType[] = [];
  if (o.ca) {
    extensions.push(
      extension(
        '2.5.29.19',
        true,
        seq(new asn1js.Boolean({ value: true }), new asn1js.Integer({ value: 0 })),
      ),
    );
    extensions.push(extension('2.5.29.15', true, bits(new Uint8Array([0x06]), 1)));
  } else {
    const keyCertSign = o.endEntityKeyUsage === 'keyCertSign';
    extensions.push(
      extension(
        '2.5.29.15',
        true,
        keyCertSign ? bits(new Uint8Array([0x04]), 2) : bits(new Uint8Array([0x80]), 7),
      ),
    );
  }
  if (o.keyIdentifiers) {
    extensions.push(extension('2.5.29.14', false, octets(ski)));
    const aki = o.issuerKeyId ?? ski;
    extensions.push(
      extension(
        '2.5.29.35',
        false,
        seq(new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 }, valueHex: aki })),
      ),
    );
  }
  if (o.keyUsageEnd) {
    const g = (d: Date): Uint8Array => {
      const t = der(
        new asn1js.GeneralizedTime({ valueDate: new Date(Math.floor(d.getTime() / 1000) * 1000) }),
      );
      return t.subarray(2);
    };
    extensions.push(
      extension(
        '2.5.29.16',
        false,
        seq(
          new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 }, valueHex: g(o.notBefore) }),
          new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 1 }, valueHex: g(o.keyUsageEnd) }),
        ),
      ),
    );
  }
  const sigAlg = element(o.issuerKey.signatureAlgorithm(o.hash));
  const tbs = seq(
    explicit(0, new asn1js.Integer({ value: 2 })),
    unsignedInteger(o.serialNumber),
    sigAlg,
    name(o.issuer),
    seq(time(o.notBefore), time(o.notAfter)),
    name(o.subject),
    element(o.subjectKey.publicKeyInfo),
    explicit(3, seq(...extensions)),
  );
  const tbsDer = der(tbs);
  const signature = o.issuerKey.sign(tbsDer, o.hash);
  return {
    der: der(seq(element(tbsDer), element(o.issuerKey.signatureAlgorithm(o.hash)), bits(signature))),
    ski,
  };
}

function certHash(key: TestSigningKey): HashName {
  if (key.type.kind === 'ec' && (key.type.curve.endsWith('384r1') || key.type.curve === 'P-384'))
    return 'SHA-384';
  if (key.type.kind === 'ec' && (key.type.curve.endsWith('512r1') || key.type.curve === 'P-521'))
    return 'SHA-512';
  return 'SHA-256';
}

function serial(random: RandomSource): bigint {
  const b = random(8);
  b[0] = ((b[0] as number) & 0x7f) | 0x01;
  return bytesToBigint(b);
}

async function keysFor(
  algorithm: TestPkiAlgorithm,
  explicitParams: boolean,
  rsaBits: number,
  random: RandomSource,
): Promise<{ csca: () => Promise<TestSigningKey>; dsc: () => Promise<TestSigningKey> }> {
  switch (algorithm) {
    case 'rsa':
    case 'rsa-pss': {
      if (explicitParams)
        throw new PaError('UNSUPPORTED_ALGORITHM', 'explicit parameters need an EC algorithm');
      const pss = algorithm === 'rsa-pss';
      return {
        csca: () => generateRsaKey(rsaBits, pss, random),
        dsc: () => generateRsaKey(rsaBits, pss, random),
      };
    }
    case 'ecdsa-p256':
      return {
        csca: async () => generateEcKey('P-256', false, random),
        dsc: async () => generateEcKey('P-256', explicitParams, random),
      };
    case 'ecdsa-brainpoolP256r1':
      return {
        csca: async () => generateEcKey('brainpoolP256r1', false, random),
        dsc: async () => generateEcKey('brainpoolP256r1', explicitParams, random),
      };
    case 'ecdsa-brainpoolP384r1':
      return {
        csca: async () => generateEcKey('P-384', false, random),
        dsc: async () => generateEcKey('brainpoolP384r1', explicitParams, random),
      };
    default:
      throw new PaError('UNSUPPORTED_ALGORITHM', 'unknown test PKI algorithm', {
        context: { input: String(algorithm) },
      });
  }
}

/** Creates a CSCA (or reuses `options.csca`) and a Document Signer certificate it issues. */
export async function createTestPki(options: TestPkiOptions): Promise<TestPki> {
  const random = options.random ?? defaultRandom;
  const keys = await keysFor(
    options.algorithm,
    options.explicitParameters === true,
    options.rsaBits ?? 2048,
    random,
  );
  const country = options.country ?? 'VN';
  const now = Date.now();
  const notBefore = options.notBefore ?? new Date(now - DAY);
  const notAfter = options.notAfter ?? new Date(notBefore.getTime() + 10 * YEAR);
  const keyIdentifiers = options.omitKeyIdentifiers !== true;
  let csca = options.csca;
  if (csca === undefined) {
    const key = await keys.csca();
    const subject = [
      ['2.5.4.6', country],
      ['2.5.4.10', 'VNeID SDK test PKI'],
      ['2.5.4.3', options.cscaCommonName ?? 'CSCA TEST'],
    ] as const;
    const hash = certHash(key);
    const serialNumber = serial(random);
    const cNotBefore = options.cscaNotBefore ?? new Date(notBefore.getTime() - YEAR);
    const issued = issue({
      subject,
      issuer: subject,
      subjectKey: key,
      issuerKey: key,
      hash,
      notBefore: cNotBefore,
      notAfter: options.cscaNotAfter ?? new Date(notBefore.getTime() + 20 * YEAR),
      ca: options.cscaNotCa !== true,
      serialNumber,
      keyIdentifiers,
      ...(options.cscaKeyUsageEnd ? { keyUsageEnd: options.cscaKeyUsageEnd } : {}),
    });
    csca = {
      certificate: issued.der,
      key,
      serialNumber,
      subject,
      subjectKeyIdentifier: issued.ski,
      certificateHash: hash,
    };
  }
  const dscKey = await keys.dsc();
  const dscSubject = [
    ['2.5.4.6', country],
    ['2.5.4.10', 'VNeID SDK test PKI'],
    ['2.5.4.3', 'DS TEST'],
  ] as const;
  const dscSerial = serial(random);
  const dsc = issue({
    subject: dscSubject,
    issuer:
      options.dscIssuerName === 'reversed'
        ? [...csca.subject].reverse().map(([t, v]) => [t, t === '2.5.4.3' ? v.toLowerCase() : v] as const)
        : csca.subject,
    subjectKey: dscKey,
    issuerKey: csca.key,
    issuerKeyId: csca.subjectKeyIdentifier,
    hash: csca.certificateHash,
    notBefore,
    notAfter,
    ca: false,
    serialNumber: dscSerial,
    keyIdentifiers,
    ...(options.dscKeyUsage === undefined ? {} : { endEntityKeyUsage: options.dscKeyUsage }),
  });
  return {
    algorithm: options.algorithm,
    csca,
    dsc: {
      certificate: dsc.der,
      key: dscKey,
      serialNumber: dscSerial,
      subject: dscSubject,
      subjectKeyIdentifier: dsc.ski,
      certificateHash: certHash(dscKey),
    },
    random,
  };
}

/**
 * A link certificate (ICAO Doc 9303 Part 12 §5.1.1): `newCsca`'s key and name certified by
 * `oldCsca`, valid from `notBefore` (default now) for ten years.
 */
export function createLinkCertificate(
  oldCsca: TestCertifiedKey,
  newCsca: TestCertifiedKey,
  options: { notBefore?: Date; notAfter?: Date; random?: RandomSource } = {},
): Uint8Array {
  const notBefore = options.notBefore ?? new Date(Date.now() - DAY);
  return issue({
    subject: newCsca.subject,
    issuer: oldCsca.subject,
    subjectKey: newCsca.key,
    issuerKey: oldCsca.key,
    issuerKeyId: oldCsca.subjectKeyIdentifier,
    hash: oldCsca.certificateHash,
    notBefore,
    notAfter: options.notAfter ?? new Date(notBefore.getTime() + 10 * YEAR),
    ca: true,
    serialNumber: serial(options.random ?? defaultRandom),
    keyIdentifiers: true,
  }).der;
}

/** PEM text of DER bytes. */
export function toPem(bytes: Uint8Array, label = 'CERTIFICATE'): string {
  const body = toBase64(bytes).replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}
