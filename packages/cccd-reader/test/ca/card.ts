/**
 * A tiny in-test chip for Chip Authentication: secure messaging through the sm layer's card
 * side, the CA commands read and answered with the card-side functions of ca-card.ts, and a
 * file system of one file for the reads that follow. Test keys only.
 */
import { concatBytes } from '@vneid/core/bytes';
import { encodeInteger, encodeOid, encodeTlv } from '@vneid/core/tlv';
import {
  chipAuthenticationInfoDer,
  chipAuthenticationPublicKeyInfoDer,
  ecSpkiExplicitDer,
  ecSpkiNamedDer,
  securityInfosDer,
  unsignedIntegerDer,
} from '../../src/emulator/infos.ts';
import { ReaderError } from '../../src/errors.ts';
import { ID_CA, ID_DH_PUBLIC_NUMBER, ID_PK, ID_STANDARDIZED_DOMAIN_PARAMETERS } from '../../src/lds/oids.ts';
import {
  chipAuthenticationCardStep,
  chipAuthenticationSuite,
  readChipAuthenticationCommand,
} from '../../src/protocols/card/ca-card.ts';
import {
  baseGenerator,
  bigIntToBytes,
  drawPrivateKey,
  type PaceDomain,
  publicKeyFor,
} from '../../src/protocols/pace/domain-parameters.ts';
import { createCardSecureMessaging } from '../../src/sm/card.ts';
import { createSecureChannel, type SecureChannel } from '../../src/sm/index.ts';
import type { SecureMessagingKeys } from '../../src/sm/keys.ts';
import { type ApduTransport, buildResponseApdu, parseCommandApdu } from '../../src/transport/index.ts';

export const rnd = (n: number): Uint8Array => globalThis.crypto.getRandomValues(new Uint8Array(n));

export interface ChipKey {
  domain: PaceDomain;
  d: bigint;
  publicKey: Uint8Array;
}

export function chipKey(domain: PaceDomain): ChipKey {
  const d = drawPrivateKey(domain, rnd);
  return { domain, d, publicKey: publicKeyFor(domain, baseGenerator(domain), d) };
}

/** SubjectPublicKeyInfo of a chip key: EC explicit / named / standardized ID, or DH (dhpublicnumber). */
export function chipSpki(
  key: ChipKey,
  form: 'explicit' | 'named' | { standardized: number } = 'explicit',
): Uint8Array {
  const seq = (...parts: Uint8Array[]) => encodeTlv(0x30, parts);
  const oid = (o: string) => encodeTlv(0x06, encodeOid(o));
  if (key.domain.kind === 'dh') {
    const { p, g, q } = key.domain.group;
    const y = unsignedIntegerDer(BigInt(`0x${Buffer.from(key.publicKey).toString('hex')}`));
    return seq(
      seq(oid(ID_DH_PUBLIC_NUMBER), seq(unsignedIntegerDer(p), unsignedIntegerDer(g), unsignedIntegerDer(q))),
      encodeTlv(0x03, concatBytes(Uint8Array.of(0), y)),
    );
  }
  if (typeof form === 'object') {
    return seq(
      seq(oid(ID_STANDARDIZED_DOMAIN_PARAMETERS), encodeTlv(0x02, encodeInteger(form.standardized))),
      encodeTlv(0x03, concatBytes(Uint8Array.of(0), key.publicKey)),
    );
  }
  if (form === 'named') return ecSpkiNamedDer('1.3.36.3.3.2.8.1.1.7', key.publicKey);
  return ecSpkiExplicitDer(key.domain.curve, key.publicKey);
}

/** DG14 with the given ChipAuthenticationInfos and public key infos. */
export function dg14(
  infos: Array<{ oid: string; keyId?: number }>,
  keys: Array<{ spki: Uint8Array; keyId?: number; dh?: boolean }>,
): Uint8Array {
  const pk = keys.map((k) =>
    k.dh
      ? encodeTlv(0x30, [
          encodeTlv(0x06, encodeOid(`${ID_PK}.1`)),
          k.spki,
          ...(k.keyId === undefined ? [] : [encodeTlv(0x02, encodeInteger(k.keyId))]),
        ])
      : chipAuthenticationPublicKeyInfoDer(k.spki, k.keyId),
  );
  return encodeTlv(0x6e, [
    securityInfosDer([...infos.map((i) => chipAuthenticationInfoDer(i.oid, i.keyId)), ...pk]),
  ]);
}

export const CA_OID = {
  ecdh3des: `${ID_CA}.2.1`,
  ecdhAes128: `${ID_CA}.2.2`,
  ecdhAes192: `${ID_CA}.2.3`,
  ecdhAes256: `${ID_CA}.2.4`,
  dh3des: `${ID_CA}.1.1`,
  dhAes128: `${ID_CA}.1.2`,
} as const;

export interface CardOptions {
  /** Static CA keys by key ID (`-1` for the key without ID). */
  keys: Map<number, ChipKey>;
  /** Status word answered to MSE:Set AT (default 9000). */
  mseSetAtSw?: number;
  /** Status word answered to GENERAL AUTHENTICATE (default 9000). */
  gaSw?: number;
  /** A clone that ignores the MAC of commands after CA and answers under its own keys. */
  reckless?: boolean;
}

export interface TestCard {
  /** The card's transport (protected APDUs in, protected responses out). */
  transport: ApduTransport;
  /** The terminal's secure channel to this card (as after PACE). */
  channel: SecureChannel;
  /** Plain commands the card received. */
  received: Uint8Array[];
  /** The keys the card switched to (after CA), if any. */
  readonly cardKeys: SecureMessagingKeys | undefined;
}

export const FILE_DATA: Uint8Array = Uint8Array.from({ length: 40 }, (_, i) => i);

/** A card with an established secure-messaging session (random AES-128 or 3DES keys). */
export function testCard(options: CardOptions, smCipher: 'aes' | '3des' = 'aes'): TestCard {
  const initial: SecureMessagingKeys = {
    cipher: smCipher,
    keyBits: 128,
    kEnc: rnd(16),
    kMac: rnd(16),
    ssc: new Uint8Array(smCipher === 'aes' ? 16 : 8),
  };
  const sm = createCardSecureMessaging(initial);
  const received: Uint8Array[] = [];
  let cardKeys: SecureMessagingKeys | undefined;
  let selected: { oid: string; keyId: number | undefined } | undefined;
  const keyFor = (keyId: number | undefined): ChipKey | undefined =>
    options.keys.get(keyId ?? -1) ??
    (keyId === undefined && options.keys.size === 1 ? [...options.keys.values()][0] : undefined);

  const respond = (command: Uint8Array): { data: Uint8Array; sw: number; after?: SecureMessagingKeys } => {
    const ca = readChipAuthenticationCommand(command);
    if (ca?.kind === 'MSE_SET_AT') {
      if (options.mseSetAtSw !== undefined && options.mseSetAtSw !== 0x9000)
        return { data: new Uint8Array(0), sw: options.mseSetAtSw };
      if (keyFor(ca.keyId) === undefined) return { data: new Uint8Array(0), sw: 0x6a88 };
      selected = { oid: ca.oid, keyId: ca.keyId };
      return { data: new Uint8Array(0), sw: 0x9000 };
    }
    if (ca?.kind === 'GENERAL_AUTHENTICATE' || ca?.kind === 'MSE_SET_KAT') {
      const oid = ca.kind === 'MSE_SET_KAT' ? undefined : selected?.oid;
      if (ca.kind === 'GENERAL_AUTHENTICATE' && oid === undefined)
        return { data: new Uint8Array(0), sw: 0x6985 };
      if (ca.kind === 'GENERAL_AUTHENTICATE' && options.gaSw !== undefined)
        return { data: new Uint8Array(0), sw: options.gaSw };
      const key = keyFor(ca.kind === 'MSE_SET_KAT' ? ca.keyId : selected?.keyId);
      if (key === undefined) return { data: new Uint8Array(0), sw: 0x6a88 };
      const suite =
        oid === undefined ? { cipher: '3des' as const, keyBits: 128 as const } : chipAuthenticationSuite(oid);
      if (suite === undefined) return { data: new Uint8Array(0), sw: 0x6a80 };
      try {
        const after = chipAuthenticationCardStep(
          key.d,
          key.domain,
          ca.ephemeralPublicKey,
          suite.cipher,
          suite.keyBits,
        );
        return {
          data: ca.kind === 'MSE_SET_KAT' ? new Uint8Array(0) : Uint8Array.of(0x7c, 0x00),
          sw: 0x9000,
          after,
        };
      } catch (e) {
        if (e instanceof ReaderError && e.context?.sw !== undefined)
          return { data: new Uint8Array(0), sw: e.context.sw };
        throw e;
      }
    }
    const c = parseCommandApdu(command);
    if (c.ins === 0xa4) return { data: new Uint8Array(0), sw: 0x9000 };
    if (c.ins === 0xb0)
      return {
        data: FILE_DATA.subarray(0, c.le === 256 || c.le === undefined ? FILE_DATA.length : c.le),
        sw: 0x9000,
      };
    return { data: new Uint8Array(0), sw: 0x6d00 };
  };

  const transport: ApduTransport = {
    async transceive(apdu) {
      let command: Uint8Array;
      try {
        command = sm.unwrapCommand(apdu).command;
      } catch (e) {
        if (options.reckless && cardKeys !== undefined) return sm.wrapResponse(new Uint8Array(0), 0x9000);
        const sw = e instanceof ReaderError ? (e.context?.sw ?? 0x6988) : 0x6f00;
        return buildResponseApdu(new Uint8Array(0), sw);
      }
      received.push(command);
      const r = respond(command);
      const out = sm.wrapResponse(r.data, r.sw);
      if (r.after !== undefined) {
        sm.rekey(r.after);
        cardKeys = r.after;
      }
      return out;
    },
  };
  return {
    transport,
    channel: createSecureChannel(transport, initial),
    received,
    get cardKeys() {
      return cardKeys;
    },
  };
}

export { bigIntToBytes };
