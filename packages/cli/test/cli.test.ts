/**
 * The built `vneid` binary run as a process: exit codes (0 ok, 1 verification failed, 2 bad
 * input), one-line errors with their code and no stack trace, `--json`, masking of personal
 * data, RFC 6238 / RFC 4226 vectors, MRZ and a QR code decoded from generated PNG and JPEG photos.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatVietnamTd1 } from '@vneid/core/mrz';
import { formatCccdQr } from '@vneid/core/qr';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

function vneid(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { ...process.env, VNEID_OTP_SECRET: '' } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at /);
// RFC 6238 Appendix B / RFC 4226 Appendix D secret "12345678901234567890" in Base32.
const SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('vneid id', () => {
  it('masks the ID by default and shows details only when asked', async () => {
    const r = await vneid('id', '001099012345');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('001******345');
    expect(r.stdout).not.toContain('001099012345');
    const p = await vneid('--json', '--show-personal-data', 'id', '001099012345');
    expect(JSON.parse(p.stdout)).toMatchObject({
      ok: true,
      idNumber: '001099012345',
      birthYear: 1999,
      sex: 'male',
    });
  });
  it('bad input: exit 2, one line with the code', async () => {
    const r = await vneid('id', '0010');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^vneid: error INVALID_ID_NUMBER: /);
    noStack(r.stderr);
    const j = await vneid('id', 'x', '--json');
    expect(j.code).toBe(2);
    expect(JSON.parse(j.stdout)).toMatchObject({ ok: false, error: { code: 'INVALID_ID_NUMBER' } });
  });
  it('unknown options and commands are usage errors (exit 2)', async () => {
    for (const args of [['--bogus'], ['nope'], ['id']]) {
      const r = await vneid(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^vneid: error USAGE: /);
    }
    expect((await vneid('--help')).code).toBe(0);
  });
});

describe('vneid otp', () => {
  it('totp: RFC 6238 vectors (SHA1, 8 digits) and verification', async () => {
    const g = await vneid('otp', 'totp', '--secret', SECRET, '--time', '59', '--digits', '8', '--json');
    expect(JSON.parse(g.stdout)).toEqual({ code: '94287082', timeStep: 1 });
    const g2 = await vneid('otp', 'totp', '--secret', SECRET, '--time', '1111111109', '--digits', '8');
    expect(g2.stdout).toContain('code: 07081804');
    expect(
      (
        await vneid(
          'otp',
          'totp',
          '--secret',
          SECRET,
          '--time',
          '59',
          '--digits',
          '8',
          '--verify',
          '94287082',
        )
      ).code,
    ).toBe(0);
    const bad = await vneid(
      'otp',
      'totp',
      '--secret',
      SECRET,
      '--time',
      '59',
      '--digits',
      '8',
      '--verify',
      '94287083',
    );
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('mismatch');
  });
  it('hotp: RFC 4226 vectors', async () => {
    expect((await vneid('otp', 'hotp', '--secret', SECRET, '--counter', '0')).stdout).toContain(
      'code: 755224',
    );
    expect(
      (await vneid('otp', 'hotp', '--secret', SECRET, '--counter', '9', '--verify', '520489')).code,
    ).toBe(0);
    expect(
      (await vneid('otp', 'hotp', '--secret', SECRET, '--counter', '0', '--verify', '520489')).code,
    ).toBe(1);
  });
  it('bad secret or missing counter: exit 2 with the code', async () => {
    const r = await vneid('otp', 'totp', '--secret', '!!');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^vneid: error INVALID_BASE32: /);
    expect((await vneid('otp', 'hotp', '--secret', SECRET)).stderr).toMatch(
      /error USAGE: --counter is required/,
    );
    expect((await vneid('otp', 'totp')).code).toBe(2);
  });
});

describe('vneid mrz', () => {
  const lines = formatVietnamTd1({
    idNumber: '001099012345',
    dateOfBirth: '1999-01-01',
    sex: 'male',
    dateOfExpiry: '2039-01-01',
    surname: 'NGUYEN',
    givenNames: 'VAN AN',
  });
  it('valid MRZ: exit 0, names only with --show-personal-data', async () => {
    const r = await vneid('mrz', ...lines);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('format: TD1');
    expect(r.stdout).not.toContain('NGUYEN');
    expect(r.stdout).toContain('001******345');
    const p = await vneid('--show-personal-data', '--json', 'mrz', lines.join('\n'));
    expect(JSON.parse(p.stdout)).toMatchObject({ surname: 'NGUYEN', givenNames: 'VAN AN', consistent: true });
  });
  it('a wrong check digit: exit 2 with the MRZ error code', async () => {
    const broken = [...lines];
    broken[1] = `${broken[1]!.slice(0, 6)}${broken[1]![6] === '0' ? '1' : '0'}${broken[1]!.slice(7)}`;
    const r = await vneid('mrz', ...broken);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^vneid: error [A-Z_]+: /);
    expect(r.stderr).not.toContain('NGUYEN');
  });
});

describe('vneid qr', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vneid-cli-'));
  const payload = formatCccdQr({
    kind: 'cccd',
    idNumber: '001099012345',
    oldIdNumber: null,
    fullName: 'NGUYỄN VĂN AN',
    dateOfBirth: '1999-01-01',
    sex: 'male',
    address: 'Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội',
    issueDate: '2021-05-01',
    extra: [],
  });
  it('decodes PNG and JPEG photos; personal data only when asked', async () => {
    const png = await QRCode.toBuffer(payload, { errorCorrectionLevel: 'M', scale: 6, margin: 4 });
    writeFileSync(join(dir, 'card.png'), png);
    const decoded = PNG.sync.read(png);
    const jpg = jpeg.encode({ data: decoded.data, width: decoded.width, height: decoded.height }, 95);
    writeFileSync(join(dir, 'card.jpg'), jpg.data);
    for (const file of ['card.png', 'card.jpg']) {
      const r = await vneid('qr', join(dir, file), '--json');
      expect(r.code, `${file}: ${r.stderr}`).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out).toMatchObject({ ok: true, kind: 'cccd', idNumber: '001******345' });
      expect(r.stdout).not.toContain('NGUYỄN');
    }
    const p = await vneid('qr', join(dir, 'card.png'), '--show-personal-data', '--json');
    expect(JSON.parse(p.stdout)).toMatchObject({ fullName: 'NGUYỄN VĂN AN', idNumber: '001099012345' });
  });
  it('no QR, other formats, missing files: exit 2 with the code', async () => {
    const blank = new PNG({ width: 64, height: 64 });
    blank.data.fill(255);
    writeFileSync(join(dir, 'blank.png'), PNG.sync.write(blank));
    writeFileSync(join(dir, 'text.txt'), 'hello');
    const cases: Array<[string, string]> = [
      [join(dir, 'blank.png'), 'QR_NOT_FOUND'],
      [join(dir, 'text.txt'), 'IMAGE_FORMAT_UNSUPPORTED'],
      [join(dir, 'missing.png'), 'FILE_UNREADABLE'],
    ];
    for (const [file, code] of cases) {
      const r = await vneid('qr', file);
      expect(r.code, file).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^vneid: error ${code}: `));
      noStack(r.stderr);
    }
  });
});

describe('vneid sandbox', () => {
  it('starts the sandbox on a free port, answers HTTP, stops on SIGTERM with exit 0', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [bin, 'sandbox', '--port', '0', '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve((JSON.parse(line) as { url: string }).url);
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    const res = await fetch(`${url}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
  it('bad flags answer at once with exit 2', async () => {
    const r = await vneid('sandbox', '--port', '99999');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^vneid: error USAGE: --port/);
  });
});

describe('vneid read --reader emulator / vneid verify', () => {
  it('reads the software chip (PA/AA/CA ok, face written), then verifies the dump: 1 without the CSCA, 0 with it, 1 when tampered', async () => {
    const { readFileSync } = await import('node:fs');
    const out = mkdtempSync(join(tmpdir(), 'vneid-read-'));
    const r = await vneid('read', '--reader', 'emulator', '--out', out, '--json');
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res).toMatchObject({
      ok: true,
      accessMethod: 'PACE-CAN',
      passive: 'ok',
      active: 'ok',
      chip: 'ok',
    });
    expect(res.idNumber).toMatch(/^\d{3}\*{6}\d{3}$/);
    // --json keeps stderr quiet: the progress lines are for people (test/progress.test.ts).
    expect(r.stderr).toBe('');
    expect(readFileSync(join(out, 'face.jpg')).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    const noAnchor = await vneid('verify', out, '--json');
    expect(noAnchor.code).toBe(1);
    expect(JSON.parse(noAnchor.stdout).chain).toMatch(/no-issuer-in-trust-store/);
    const ok = await vneid('verify', out, '--csca', join(out, 'csca.pem'), '--json');
    expect(ok.code, ok.stdout).toBe(0);
    const dump = JSON.parse(readFileSync(join(out, 'dump.json'), 'utf8'));
    const dg1 = Buffer.from(dump.files.dg1, 'base64');
    dg1[dg1.length - 1]! ^= 1;
    dump.files.dg1 = dg1.toString('base64');
    writeFileSync(join(out, 'tampered.json'), JSON.stringify(dump));
    const bad = await vneid('verify', join(out, 'tampered.json'), '--csca', join(out, 'csca.pem'), '--json');
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).dataGroups.DG1).toBe('mismatch');
    const junk = await vneid('verify', join(out, 'csca.pem'));
    expect(junk.code).toBe(2);
    expect(junk.stderr).toMatch(/^vneid: error DUMP_INVALID: /);
  }, 60_000);
});

describe('vneid read on PC/SC', () => {
  it('no binding, no pcscd or no reader here: exit 3 with TRANSPORT_FAILED; a missing key is exit 2', async () => {
    const r = await vneid('read', '--reader', 'No Such Reader', '--can', '123456', '--wait', '500');
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/^vneid: error TRANSPORT_FAILED: /);
    noStack(r.stderr);
    expect((await vneid('read', '--reader', 'X')).code).toBe(2);
    expect((await vneid('read')).stderr).toMatch(/error USAGE: --reader is required/);
  }, 30_000);
});
