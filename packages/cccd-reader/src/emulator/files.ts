/**
 * @module
 * The file system of the software chip, built from a synthetic person the way a CCCD is
 * personalised (SPEC-NOTES §4): EF.CardAccess (PACE ECDH-GM AES-128 on parameter ID 13, CA,
 * TA), EF.COM, DG1 (Vietnamese TD1 MRZ), DG2 (ISO 19794-5 face), DG3 (placeholder behind EAC),
 * DG13, DG14 (Chip Authentication key on brainpoolP256r1 with explicit parameters), DG15
 * (RSA-2048 Active Authentication key) and EF.SOD signed by a generated test CSCA → DS chain.
 * Keys are cached per process (RSA-2048 generation is slow).
 */
import { formatVietnamTd1, type MrzKey, type MrzKeyForm, mrzKeyFromId } from '@vneid/core/mrz';
import { encodeTlv } from '@vneid/core/tlv';
import { buildCom } from '../lds/com.ts';
import { buildDg1 } from '../lds/dg1.ts';
import { buildDg2 } from '../lds/dg2.ts';
import { buildDg13, type Dg13FamilyLayout } from '../lds/dg13.ts';
import { CURVE_OIDS, ID_CA, type PaceMapping, paceProtocolOid } from '../lds/oids.ts';
import {
  createTestPki,
  encodeLdsSecurityObject,
  signSod,
  type TestPki,
  type TestPkiAlgorithm,
  toPem,
} from '../pki-test/index.ts';
import {
  activeAuthenticationInfoDer,
  chipAuthenticationInfoDer,
  chipAuthenticationPublicKeyInfoDer,
  ecSpkiExplicitDer,
  ecSpkiNamedDer,
  paceInfoDer,
  securityInfosDer,
  terminalAuthenticationInfoDer,
} from './infos.ts';
import {
  type AaEcPrivateKey,
  type AaRsaPrivateKey,
  cachedRsaKey,
  type EmulatorEcKey,
  generateEcKey,
  namedDomain,
} from './keys.ts';
import { dg13FieldsOf, type SyntheticPerson } from './person.ts';
import { platformRandom } from './random.ts';

/** Who signs EF.SOD: the Document Signer's algorithm (the CSCA matches it). */
export type CardSigner = 'rsa' | 'rsa-pss' | 'ecdsa-p256' | 'brainpool384' | 'brainpool-explicit';

/** Options of {@link createCardFiles}. */
export interface CardFilesOptions {
  /** Document Signer algorithm; default `'brainpool384'` (brainpoolP384r1 under a P-384 CSCA, as Viet Nam). */
  signer?: CardSigner;
  /** PACE standardized domain parameter ID (default 13 = brainpoolP256r1). */
  paceParameterId?: number;
  /** PACE mapping (default `'GM'`; `'CAM'` uses the Chip Authentication key). */
  paceMapping?: PaceMapping;
  /** The chip answers BAC (default true). */
  bac?: boolean;
  /** The chip offers PACE in EF.CardAccess (default true). */
  pace?: boolean;
  /** Active Authentication key in DG15 (default true). */
  aa?: boolean;
  /** Chip Authentication key in DG14 (default true). */
  ca?: boolean;
  /** Active Authentication key type: RSA-2048 (default, as the CCCD) or ECDSA brainpoolP256r1. */
  aaKey?: 'rsa' | 'ecdsa';
  /** Which document number the chip's BAC / PACE-MRZ key uses (default `'9-digit'`, the MRZ's). */
  mrzKeyForm?: MrzKeyForm;
  /** DG13 parents/spouse layout (default `'nested'`). */
  dg13Layout?: Dg13FamilyLayout;
  /** Include DG3 (fingerprints, readable only after EAC) in EF.COM and EF.SOD (default true). */
  dg3?: boolean;
  /** Dimensions to declare in the DG2 face header (default: the image's; real cards may disagree). */
  faceHeader?: { width: number; height: number };
  /** ISO/IEC 19794-5 version of the DG2 face record: `010` (2005, default) or `030` (2011). */
  faceRecordVersion?: '010' | '030';
  /**
   * Rewrites DG2 as another document's writer laid it out (e.g. long-form lengths, slack after
   * the biometric data block); EF.SOD hashes the result. Default: DG2 as built.
   */
  rewriteDg2?: (dg2: Uint8Array) => Uint8Array;
  /** Sign with this PKI instead of the cached one for `signer` (e.g. an expired or revoked DSC). */
  pki?: TestPki;
  /** The SOD's signingTime (default: the issue date, 09:00 UTC). */
  signingTime?: Date;
  /** Random bytes for EC keys; default the platform CSPRNG. */
  random?: (n: number) => Uint8Array;
}

/** PACE parameters of the chip (what EF.CardAccess advertises). */
export interface CardPaceInfo {
  oid: string;
  parameterId: number;
  mapping: PaceMapping;
}

/** Private keys inside the chip (test use only; never log them). */
export interface CardKeys {
  /** Active Authentication private key (absent without AA). */
  aa?: AaRsaPrivateKey | AaEcPrivateKey;
  /** A different key of the same kind, used when the `clonedChip` fault is on. */
  aaClone?: AaRsaPrivateKey | AaEcPrivateKey;
  /** Chip Authentication private key (brainpoolP256r1; absent without CA). */
  ca?: EmulatorEcKey;
  /** A different CA key, used when the `clonedChip` fault is on. */
  caClone?: EmulatorEcKey;
}

/** The chip's content, keys and trust material. */
export interface CardFiles {
  person: SyntheticPerson;
  /** EF.CardAccess (absent when the chip has no PACE). */
  cardAccess?: Uint8Array;
  com: Uint8Array;
  sod: Uint8Array;
  /** Data groups by number, exactly as the chip serves them (and as EF.SOD hashes them). */
  dataGroups: Map<number, Uint8Array>;
  /** The MRZ lines written into DG1. */
  mrz: string[];
  pace?: CardPaceInfo;
  /** Access: the chip's CAN and MRZ key (in the form `mrzKeyForm`), and which protocols it runs. */
  access: { can: string; mrzKey: MrzKey; mrzKeyForm: MrzKeyForm; bac: boolean; pace: boolean };
  /** Chip Authentication protocol OID (`id-CA-ECDH-AES-CBC-CMAC-128`) when CA is on. */
  caProtocol?: string;
  keys: CardKeys;
  /** Trust material: the CSCA (DER and PEM) and DSC certificates, and the PKI that made them. */
  trust: { csca: Uint8Array; cscaPem: string; dsc: Uint8Array; pki: TestPki };
}

const SIGNER_ALGORITHMS: Readonly<Record<CardSigner, { algorithm: TestPkiAlgorithm; explicit: boolean }>> = {
  rsa: { algorithm: 'rsa', explicit: false },
  'rsa-pss': { algorithm: 'rsa-pss', explicit: false },
  'ecdsa-p256': { algorithm: 'ecdsa-p256', explicit: false },
  brainpool384: { algorithm: 'ecdsa-brainpoolP384r1', explicit: false },
  'brainpool-explicit': { algorithm: 'ecdsa-brainpoolP384r1', explicit: true },
};

/** `id-CA-ECDH-AES-CBC-CMAC-128`. */
export const CA_ECDH_AES_128: string = `${ID_CA}.2.2`;
/** `ecdsa-plain-SHA256` (BSI TR-03111), the ActiveAuthenticationInfo algorithm of EC AA keys. */
export const ECDSA_PLAIN_SHA256: string = '0.4.0.127.0.7.1.1.4.1.3';

const pkiCache = new Map<CardSigner, Promise<TestPki>>();

/**
 * A new test PKI for `signer` with the validity of {@link cardPki} (CSCA 2019–2045, DSC
 * 2020–2035), its keys and serial numbers drawn from `random`. With a deterministic byte source
 * (e.g. one expanded from a stored seed) the EC signers (`ecdsa-p256`, `brainpool384`,
 * `brainpool-explicit`) give the same keys and the same certificates every time, so a server
 * that keeps only the seed rebuilds the same CSCA and DSC in every process. RSA signers take
 * their keys from WebCrypto and differ each time.
 * @throws {RangeError} for an unknown signer or a `random` that is not a function
 */
export function createCardPki(signer: CardSigner, random: (n: number) => Uint8Array): Promise<TestPki> {
  if (!Object.hasOwn(SIGNER_ALGORITHMS, signer)) return Promise.reject(new RangeError('unknown signer'));
  if (typeof random !== 'function') return Promise.reject(new RangeError('random must be a function'));
  const { algorithm, explicit } = SIGNER_ALGORITHMS[signer];
  return createTestPki({
    algorithm,
    explicitParameters: explicit,
    notBefore: new Date('2020-01-01T00:00:00Z'),
    notAfter: new Date('2035-01-01T00:00:00Z'),
    cscaNotBefore: new Date('2019-01-01T00:00:00Z'),
    cscaNotAfter: new Date('2045-01-01T00:00:00Z'),
    cscaCommonName: 'CSCA TEST VIET NAM (software chip)',
    random,
  });
}

/**
 * The test PKI of a signer, created once per process: CSCA valid 2019–2045, DSC 2020–2035 (so
 * cards issued 2021–2024 verify today and at their signing time).
 */
export function cardPki(signer: CardSigner): Promise<TestPki> {
  let pki = pkiCache.get(signer);
  if (pki === undefined) {
    pki = createCardPki(signer, platformRandom);
    pkiCache.set(signer, pki);
    pki.catch(() => pkiCache.delete(signer));
  }
  return pki;
}

/** A DG3 placeholder: a biometric information group template with no fingerprint. */
const DG3_PLACEHOLDER = Uint8Array.of(0x63, 0x06, 0x7f, 0x61, 0x03, 0x02, 0x01, 0x00);

async function aaKeys(
  kind: 'rsa' | 'ecdsa',
  random: (n: number) => Uint8Array,
): Promise<{
  key: AaRsaPrivateKey | AaEcPrivateKey;
  clone: AaRsaPrivateKey | AaEcPrivateKey;
  dg15: Uint8Array;
}> {
  if (kind === 'rsa') {
    const [chip, clone] = await Promise.all([cachedRsaKey('chip'), cachedRsaKey('clone')]);
    return {
      key: { kind: 'rsa', n: chip.n, d: chip.d },
      clone: { kind: 'rsa', n: clone.n, d: clone.d },
      dg15: encodeTlv(0x6f, chip.spki),
    };
  }
  const domain = namedDomain('brainpoolP256r1');
  const chip = generateEcKey(domain, random);
  const clone = generateEcKey(domain, random);
  return {
    key: { kind: 'ec', domain, d: chip.d },
    clone: { kind: 'ec', domain, d: clone.d },
    dg15: encodeTlv(0x6f, ecSpkiNamedDer(CURVE_OIDS.brainpoolP256r1 as string, chip.publicKey)),
  };
}

/**
 * Builds every file of a CCCD chip for `person` and signs EF.SOD.
 * @throws {RangeError} for an unknown signer, PACE parameter ID or mapping
 */
export async function createCardFiles(
  person: SyntheticPerson,
  options: CardFilesOptions = {},
): Promise<CardFiles> {
  const random = options.random ?? platformRandom;
  const signer = options.signer ?? 'brainpool384';
  const withPace = options.pace ?? true;
  const withBac = options.bac ?? true;
  const withAa = options.aa ?? true;
  const withCa = options.ca ?? true;
  const withDg3 = options.dg3 ?? true;
  const parameterId = options.paceParameterId ?? 13;
  const mapping = options.paceMapping ?? 'GM';
  const mrzKeyForm = options.mrzKeyForm ?? '9-digit';
  if (!(signer in SIGNER_ALGORITHMS)) throw new RangeError('unknown signer');

  const mrz = formatVietnamTd1({
    idNumber: person.idNumber,
    dateOfBirth: person.dateOfBirth,
    sex: person.sex,
    dateOfExpiry: person.dateOfExpiry,
    surname: person.mrzSurname,
    givenNames: person.mrzGivenNames,
  });
  const dataGroups = new Map<number, Uint8Array>();
  dataGroups.set(1, buildDg1(mrz));
  const dg2 = buildDg2({
    image: person.face.jpeg,
    width: options.faceHeader?.width ?? person.face.width,
    height: options.faceHeader?.height ?? person.face.height,
    imageType: 'jpeg',
    version: options.faceRecordVersion ?? '010',
  });
  dataGroups.set(2, options.rewriteDg2 === undefined ? dg2 : options.rewriteDg2(dg2));
  if (withDg3) dataGroups.set(3, DG3_PLACEHOLDER);
  dataGroups.set(13, buildDg13(dg13FieldsOf(person), { parentsLayout: options.dg13Layout ?? 'nested' }));

  let pace: CardPaceInfo | undefined;
  if (withPace) {
    const ec = parameterId >= 8;
    const oid = paceProtocolOid(ec ? 'ECDH' : 'DH', mapping, 'AES', 128);
    if (oid === undefined) throw new RangeError('unsupported PACE mapping for these parameters');
    pace = { oid, parameterId, mapping };
  }
  const keys: CardKeys = {};
  const caDomain = namedDomain('brainpoolP256r1');
  if (withCa || mapping === 'CAM') {
    keys.ca = generateEcKey(caDomain, random);
    keys.caClone = generateEcKey(caDomain, random);
  }
  let aaHasInfo = false;
  if (withAa) {
    const aa = await aaKeys(options.aaKey ?? 'rsa', random);
    keys.aa = aa.key;
    keys.aaClone = aa.clone;
    dataGroups.set(15, aa.dg15);
    aaHasInfo = aa.key.kind === 'ec';
  }
  if (keys.ca !== undefined && (withCa || aaHasInfo)) {
    const infos: Uint8Array[] = [];
    if (withCa) {
      infos.push(chipAuthenticationInfoDer(CA_ECDH_AES_128));
      infos.push(chipAuthenticationPublicKeyInfoDer(ecSpkiExplicitDer(caDomain.curve, keys.ca.publicKey)));
      infos.push(terminalAuthenticationInfoDer());
    }
    if (pace !== undefined) infos.push(paceInfoDer(pace.oid, pace.parameterId));
    if (aaHasInfo) infos.push(activeAuthenticationInfoDer(ECDSA_PLAIN_SHA256));
    dataGroups.set(14, encodeTlv(0x6e, securityInfosDer(infos)));
  } else if (aaHasInfo) {
    dataGroups.set(14, encodeTlv(0x6e, securityInfosDer([activeAuthenticationInfoDer(ECDSA_PLAIN_SHA256)])));
  }

  let cardAccess: Uint8Array | undefined;
  if (pace !== undefined) {
    const infos = [terminalAuthenticationInfoDer()];
    if (withCa) infos.push(chipAuthenticationInfoDer(CA_ECDH_AES_128));
    infos.push(paceInfoDer(pace.oid, pace.parameterId));
    cardAccess = securityInfosDer(infos);
  }

  const sorted = new Map([...dataGroups].sort((a, b) => a[0] - b[0]));
  const com = buildCom({ dataGroups: [...sorted.keys()] });
  const pki = options.pki ?? (await cardPki(signer));
  const sod = signSod({
    ldsSecurityObject: encodeLdsSecurityObject({ dataGroups: sorted, hashAlgorithm: 'SHA-256' }),
    pki,
    signingTime: options.signingTime ?? new Date(`${person.issueDate}T09:00:00Z`),
    hashAlgorithm: 'SHA-256',
  });
  const mrzKey = mrzKeyFromId(
    { idNumber: person.idNumber, dateOfBirth: person.dateOfBirth, dateOfExpiry: person.dateOfExpiry },
    mrzKeyForm,
  );
  return {
    person,
    ...(cardAccess === undefined ? {} : { cardAccess }),
    com,
    sod,
    dataGroups: sorted,
    mrz,
    ...(pace === undefined ? {} : { pace }),
    access: { can: person.can, mrzKey, mrzKeyForm, bac: withBac, pace: withPace },
    ...(withCa ? { caProtocol: CA_ECDH_AES_128 } : {}),
    keys,
    trust: {
      csca: pki.csca.certificate,
      cscaPem: toPem(pki.csca.certificate),
      dsc: pki.dsc.certificate,
      pki,
    },
  };
}
