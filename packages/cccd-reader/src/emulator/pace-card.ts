/**
 * @module
 * The chip's side of PACE v2 (ICAO Doc 9303 Part 11 §4.4): MSE:Set AT (`00 22 C1 A4`), then the
 * four GENERAL AUTHENTICATE steps (encrypted nonce, map nonce, key agreement, mutual
 * authentication) with generic mapping, integrated mapping or chip authentication mapping, from
 * the PACE building blocks. Answers the status words a chip answers: 6A80 for parameters it
 * does not support, 6985 for a step out of order, 6300 for a wrong token (wrong password).
 */
import { decodeOid, decodeTlv, decodeTlvSequence, encodeTlv, findTlv, type Tlv } from '@vneid/core/tlv';
import { describeProtocolOid } from '../lds/oids.ts';
import { encryptChipAuthenticationData, encryptNonce } from '../protocols/card/pace-card.ts';
import {
  computeAuthenticationToken,
  verifyAuthenticationToken,
} from '../protocols/pace/authentication-token.ts';
import { type CipherSuite, cipherSuite, encryptBlocks, kdf } from '../protocols/pace/cipher-suite.ts';
import {
  baseGenerator,
  domainForParameterId,
  drawPrivateKey,
  type PaceDomain,
  type PaceGenerator,
  publicKeyFor,
  sharedSecret,
} from '../protocols/pace/domain-parameters.ts';
import { genericMapping } from '../protocols/pace/generic-mapping.ts';
import { integratedMapping } from '../protocols/pace/integrated-mapping.ts';
import { type PacePassword, passwordKey } from '../protocols/pace/password.ts';
import type { SecureMessagingKeys } from '../sm/index.ts';

/** What the chip knows to run PACE. */
export interface PaceCardConfig {
  oid: string;
  parameterId: number;
  /** The CAN (password reference 02). */
  can: string;
  /** The MRZ key (password reference 01). */
  mrzKey: PacePassword;
  /** Chip Authentication private key for CAM. */
  chipAuthenticationKey?: () => bigint | undefined;
  /** Whether MSE:Set AT must carry (`required`), may carry (`optional`) or must not carry (`rejected`) `84`. */
  parameterIdReference: 'optional' | 'required' | 'rejected';
  random: (n: number) => Uint8Array;
}

/** A chip answer: response data, status word, and the session keys once PACE succeeded. */
export interface PaceCardAnswer {
  data: Uint8Array;
  sw: number;
  keys?: SecureMessagingKeys;
}

/** The chip's PACE state machine. */
export interface PaceCard {
  /** MSE:Set AT command data → status word. */
  setAuthenticationTemplate(data: Uint8Array): number;
  /** GENERAL AUTHENTICATE command data → answer. */
  generalAuthenticate(data: Uint8Array): PaceCardAnswer;
  /** True between a successful MSE:Set AT and the end of the run. */
  readonly active: boolean;
  /** Forgets any run in progress. */
  reset(): void;
}

type Step = 'idle' | 'nonce' | 'map' | 'agree' | 'auth';

interface Run {
  step: Step;
  suite: CipherSuite;
  domain: PaceDomain;
  mapping: 'GM' | 'IM' | 'CAM';
  password: PacePassword;
  nonce?: Uint8Array;
  mapKey?: bigint;
  generator?: PaceGenerator;
  chipEphemeral?: Uint8Array;
  terminalEphemeral?: Uint8Array;
  kEnc?: Uint8Array;
  kMac?: Uint8Array;
}

const SW_OK = 0x9000;
const EMPTY = new Uint8Array(0);
const answer = (objects: Uint8Array[]): PaceCardAnswer => ({ data: encodeTlv(0x7c, objects), sw: SW_OK });

/** Creates the chip's PACE state machine. */
export function createPaceCard(config: PaceCardConfig): PaceCard {
  let run: Run | undefined;
  const desc = describeProtocolOid(config.oid);
  const fail = (sw: number): PaceCardAnswer => {
    run = undefined;
    return { data: EMPTY, sw };
  };

  const setAuthenticationTemplate = (data: Uint8Array): number => {
    run = undefined;
    let dos: Tlv[];
    try {
      dos = decodeTlvSequence(data);
    } catch {
      return 0x6a80;
    }
    const oidDo = findTlv(dos, 0x80);
    const ref = findTlv(dos, 0x83);
    const id = findTlv(dos, 0x84);
    let oid: string;
    try {
      oid = oidDo === undefined ? '' : decodeOid(oidDo.value);
    } catch {
      return 0x6a80;
    }
    if (oid !== config.oid || desc?.mapping === undefined || desc.cipher === undefined) return 0x6a80;
    if (id !== undefined && config.parameterIdReference === 'rejected') return 0x6a87;
    if (id === undefined && config.parameterIdReference === 'required') return 0x6a80;
    if (id !== undefined && (id.value.length !== 1 || id.value[0] !== config.parameterId)) return 0x6a80;
    const reference = ref?.value.length === 1 ? ref.value[0] : undefined;
    if (reference !== 1 && reference !== 2) return 0x6a80;
    run = {
      step: 'nonce',
      suite: cipherSuite(desc.cipher, desc.keyLength ?? 128),
      domain: domainForParameterId(config.parameterId),
      mapping: desc.mapping,
      password: reference === 2 ? { can: config.can } : config.mrzKey,
    };
    return SW_OK;
  };

  const generalAuthenticate = (data: Uint8Array): PaceCardAnswer => {
    const r = run;
    if (r === undefined) return fail(0x6985);
    let objects: Tlv[];
    try {
      const outer = decodeTlv(data);
      if (outer.tag !== 0x7c) return fail(0x6a80);
      objects = outer.children ?? [];
    } catch {
      return fail(0x6a80);
    }
    const ka = r.domain.kind === 'ec' ? 'ECDH' : 'DH';
    try {
      switch (r.step) {
        case 'nonce': {
          if (objects.length !== 0) return fail(0x6a80);
          r.nonce = config.random(r.suite.blockLength === 16 ? 16 : 8);
          const z = encryptNonce(r.suite, passwordKey(r.suite, r.password), r.nonce);
          r.step = 'map';
          return answer([encodeTlv(0x80, z)]);
        }
        case 'map': {
          const m = findTlv(objects, 0x81);
          if (m === undefined) return fail(0x6a80);
          r.step = 'agree';
          if (r.mapping === 'IM') {
            r.generator = integratedMapping(
              r.domain,
              r.nonce as Uint8Array,
              m.value,
              r.suite.keyLength,
              (k, d) => encryptBlocks(r.suite, k, d),
            );
            return answer([]);
          }
          r.mapKey = drawPrivateKey(r.domain, config.random);
          r.generator = genericMapping(r.domain, r.nonce as Uint8Array, r.mapKey, m.value);
          return answer([encodeTlv(0x82, publicKeyFor(r.domain, baseGenerator(r.domain), r.mapKey))]);
        }
        case 'agree': {
          const e = findTlv(objects, 0x83);
          if (e === undefined) return fail(0x6a80);
          const key = drawPrivateKey(r.domain, config.random);
          r.chipEphemeral = publicKeyFor(r.domain, r.generator as PaceGenerator, key);
          r.terminalEphemeral = e.value;
          const k = sharedSecret(r.domain, key, e.value);
          r.kEnc = kdf(r.suite, k, 1);
          r.kMac = kdf(r.suite, k, 2);
          r.step = 'auth';
          return answer([encodeTlv(0x84, r.chipEphemeral)]);
        }
        case 'auth': {
          const t = findTlv(objects, 0x85);
          if (t === undefined) return fail(0x6a80);
          const kMac = r.kMac as Uint8Array;
          const expected = computeAuthenticationToken(
            r.suite,
            kMac,
            config.oid,
            ka,
            r.chipEphemeral as Uint8Array,
          );
          if (!verifyAuthenticationToken(expected, t.value)) return fail(0x6300);
          const out = [
            encodeTlv(
              0x86,
              computeAuthenticationToken(r.suite, kMac, config.oid, ka, r.terminalEphemeral as Uint8Array),
            ),
          ];
          if (r.mapping === 'CAM' && r.domain.kind === 'ec') {
            const staticKey = config.chipAuthenticationKey?.();
            if (staticKey === undefined) return fail(0x6985);
            out.push(
              encodeTlv(
                0x8a,
                encryptChipAuthenticationData(
                  r.domain,
                  r.suite,
                  r.kEnc as Uint8Array,
                  staticKey,
                  r.mapKey as bigint,
                ),
              ),
            );
          }
          run = undefined;
          return {
            ...answer(out),
            keys: {
              cipher: r.suite.cipher,
              keyBits: r.suite.keyBits,
              kEnc: r.kEnc as Uint8Array,
              kMac,
              ssc: new Uint8Array(r.suite.blockLength),
            },
          };
        }
        default:
          return fail(0x6985);
      }
    } catch {
      // An invalid public key, a point at infinity or a zero nonce: the chip refuses the step.
      return fail(0x6a80);
    }
  };

  return {
    setAuthenticationTemplate,
    generalAuthenticate,
    get active() {
      return run !== undefined;
    },
    reset() {
      run = undefined;
    },
  };
}
