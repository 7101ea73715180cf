/**
 * Chip Authentication driven by real DG14 files from the interoperability samples
 * (../shared/data/interop-samples, see its SOURCES.md; never copied into the repo). Skipped
 * with a visible message when the folder is absent.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toHex } from '@vneid/core/bytes';
import { describe, expect, it } from 'vitest';
import { interopSamplesDir } from '../../../../test/support/vectors.ts';
import { performChipAuthentication, selectChipAuthentication } from '../../src/protocols/ca.ts';
import type { SecureMessagingKeys } from '../../src/sm/keys.ts';
import { buildResponseApdu, parseCommandApdu } from '../../src/transport/index.ts';

const dir = interopSamplesDir();

describe.skipIf(dir === null)(
  'BSI 2008 test passport DG14 (explicit brainpoolP224r1, id-CA-ECDH-3DES-CBC-CBC)',
  () => {
    const dg14 = (): Uint8Array => new Uint8Array(readFileSync(join(dir as string, 'bsi2008/EF_DG14.bin')));

    it('selection: protocol, curve recognised from explicit parameters, 3DES', () => {
      const s = selectChipAuthentication(dg14());
      expect(s).toMatchObject({
        oid: '0.4.0.127.0.7.2.2.3.2.1',
        keyId: undefined,
        keyAgreement: 'ECDH',
        hasInfo: true,
      });
      expect(s.domain.name).toBe('brainpoolP224r1');
      expect(s.suite.cipher).toBe('3des');
    });

    it('the terminal side runs: MSE:Set AT with the OID, GA with a 57-byte point, 3DES keys with SSC 0', async () => {
      const sent: Uint8Array[] = [];
      let keys: SecureMessagingKeys | undefined;
      const channel = {
        async transceive(c: Uint8Array) {
          sent.push(c);
          return buildResponseApdu(sent.length === 2 ? Uint8Array.of(0x7c, 0) : new Uint8Array(0), 0x9000);
        },
        rekey(k: SecureMessagingKeys) {
          keys = k;
        },
      };
      const r = await performChipAuthentication(channel, { dg14: dg14() });
      expect(r).toMatchObject({
        ok: true,
        proven: false,
        commands: 'AT',
        cipher: '3des',
        domainName: 'brainpoolP224r1',
      });
      expect(toHex(sent[0] as Uint8Array)).toBe('002241a40c800a04007f00070202030201');
      const ga = parseCommandApdu(sent[1] as Uint8Array);
      expect(toHex(ga.data?.subarray(0, 5) as Uint8Array)).toBe('7c3b803904');
      expect(keys?.ssc).toEqual(new Uint8Array(8));
      expect(keys?.kEnc.length).toBe(16);
    });
  },
);

describe.skipIf(dir !== null)('interop samples', () => {
  it.skip('../shared/data/interop-samples is absent: CA interop tests skipped', () => {});
});
