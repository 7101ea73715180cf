/**
 * @module
 * `@vneid/cli`: the `vneid` command line (commander). {@link run} parses the arguments, runs
 * one command and resolves with the exit code (0 ok, 1 verification failed, 2 bad input,
 * 3 reader or transport); it never prints a stack trace. Commands: `id`, `mrz`, `otp totp`,
 * `otp hotp`, `qr`, `sandbox`. Personal data is printed only with `--show-personal-data`.
 */
import { readFile } from 'node:fs/promises';
import { Command, CommanderError } from 'commander';
import { CliError, EXIT, type GlobalFlags, maskId, printResult, reportError } from './output.ts';

export { EXIT } from './output.ts';

function flagsOf(cmd: Command): GlobalFlags {
  return cmd.optsWithGlobals() as GlobalFlags;
}

async function idCommand(number: string, flags: GlobalFlags): Promise<number> {
  const { decodeIdNumber } = await import('@vneid/core/id-number');
  const info = decodeIdNumber(number);
  printResult(flags, {
    ok: true,
    idNumber: flags.showPersonalData ? info.idNumber : maskId(info.idNumber),
    ...(flags.showPersonalData
      ? { region: info.region, sex: info.sex, birthYear: info.birthYear }
      : { note: 'region, sex and birth year shown with --show-personal-data' }),
  });
  return EXIT.ok;
}

async function mrzCommand(lines: string[], flags: GlobalFlags): Promise<number> {
  const { parseMrz } = await import('@vneid/core/mrz');
  const text = lines.flatMap((l) => l.split(/\\n|\r?\n/)).filter((l) => l.trim() !== '');
  const mrz = parseMrz(text.length === 1 ? (text[0] as string) : text);
  const personal = flags.showPersonalData
    ? {
        documentNumber: mrz.documentNumber,
        surname: mrz.surname,
        givenNames: mrz.givenNames,
        dateOfBirth: mrz.dateOfBirthIso ?? mrz.dateOfBirth,
        dateOfExpiry: mrz.noExpiry ? 'none' : (mrz.dateOfExpiryIso ?? mrz.dateOfExpiry),
        sex: mrz.sex,
        idNumber: mrz.vietnam?.idNumber,
      }
    : { idNumber: mrz.vietnam ? maskId(mrz.vietnam.idNumber) : undefined };
  printResult(flags, {
    ok: true,
    format: mrz.format,
    documentCode: mrz.documentCode,
    issuingState: mrz.issuingState,
    nationality: mrz.nationality,
    checkDigits: 'valid',
    ...personal,
    ...(mrz.vietnam
      ? {
          consistent: mrz.vietnam.consistent,
          birthYearMatches: mrz.vietnam.birthYearMatches,
          sexMatches: mrz.vietnam.sexMatches,
        }
      : {}),
  });
  return EXIT.ok;
}

interface OtpFlags extends GlobalFlags {
  secret?: string;
  algorithm?: string;
  digits?: string;
  verify?: string;
  period?: string;
  time?: string;
  window?: string;
  counter?: string;
  lookAhead?: string;
}

function integer(name: string, text: string | undefined, fallback?: number): number {
  if (text === undefined) {
    if (fallback === undefined) throw new CliError('USAGE', `--${name} is required`);
    return fallback;
  }
  if (!/^\d{1,15}$/.test(text)) throw new CliError('USAGE', `--${name} must be a non-negative integer`);
  return Number(text);
}

async function otpCommand(type: 'totp' | 'hotp', flags: OtpFlags): Promise<number> {
  const otp = await import('@vneid/otp');
  const secretText = flags.secret ?? process.env['VNEID_OTP_SECRET'];
  if (secretText === undefined)
    throw new CliError('USAGE', 'give the Base32 secret with --secret or VNEID_OTP_SECRET');
  const secret = otp.decodeBase32(secretText);
  const algorithm = (flags.algorithm ?? 'SHA1').toUpperCase();
  if (algorithm !== 'SHA1' && algorithm !== 'SHA256' && algorithm !== 'SHA512')
    throw new CliError('USAGE', '--algorithm must be SHA1, SHA256 or SHA512');
  const params = { secret, algorithm, digits: integer('digits', flags.digits, 6) } as const;
  if (type === 'totp') {
    const nowMs =
      flags.time === undefined
        ? Date.now()
        : /^\d+$/.test(flags.time)
          ? Number(flags.time) * 1000
          : Date.parse(flags.time);
    if (!Number.isFinite(nowMs)) throw new CliError('USAGE', '--time must be Unix seconds or an ISO date');
    const clock = { period: integer('period', flags.period, 30), now: () => nowMs };
    if (flags.verify !== undefined) {
      const r = otp.verifyTotp({
        ...params,
        ...clock,
        token: flags.verify,
        window: integer('window', flags.window, 1),
      });
      printResult(
        flags,
        r.ok ? { ok: true, delta: r.delta, timeStep: r.timeStep } : { ok: false, reason: r.reason },
      );
      return r.ok ? EXIT.ok : EXIT.verificationFailed;
    }
    printResult(flags, {
      code: otp.generateTotp({ ...params, ...clock }),
      timeStep: otp.totpTimeStep(clock),
    });
    return EXIT.ok;
  }
  const counter = integer('counter', flags.counter);
  if (flags.verify !== undefined) {
    const r = otp.verifyHotp({
      ...params,
      counter,
      token: flags.verify,
      lookAhead: integer('look-ahead', flags.lookAhead, 0),
    });
    printResult(
      flags,
      r.ok ? { ok: true, delta: r.delta, nextCounter: r.nextCounter } : { ok: false, reason: r.reason },
    );
    return r.ok ? EXIT.ok : EXIT.verificationFailed;
  }
  printResult(flags, { code: otp.generateHotp({ ...params, counter }), counter });
  return EXIT.ok;
}

/** Decodes a PNG or JPEG file to RGBA pixels. */
async function decodeImage(path: string): Promise<{ data: Uint8Array; width: number; height: number }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    throw new CliError('FILE_UNREADABLE', `cannot read the file ${path}`);
  }
  try {
    if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
      const { PNG } = await import('pngjs');
      const png = PNG.sync.read(bytes);
      return {
        data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length),
        width: png.width,
        height: png.height,
      };
    }
    if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
      const jpeg = (await import('jpeg-js')).default;
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 512 });
      return { data: img.data, width: img.width, height: img.height };
    }
  } catch {
    throw new CliError('IMAGE_UNDECODABLE', 'the image could not be decoded');
  }
  throw new CliError('IMAGE_FORMAT_UNSUPPORTED', 'expected a PNG or JPEG image');
}

async function qrCommand(
  path: string,
  flags: GlobalFlags & { decoder?: string; lenient?: boolean },
): Promise<number> {
  const image = await decodeImage(path);
  const decoder = flags.decoder ?? 'auto';
  if (decoder !== 'auto' && decoder !== 'zxing' && decoder !== 'jsqr')
    throw new CliError('USAGE', '--decoder must be auto, zxing or jsqr');
  const { scanCccdQr } = await import('@vneid/core/scan/node');
  const found = await scanCccdQr(image, { decoder, parse: { mode: flags.lenient ? 'lenient' : 'strict' } });
  if (found === null) throw new CliError('QR_NOT_FOUND', 'no QR code was found in the image');
  if (found.card instanceof Error) throw found.card;
  const card = found.card;
  printResult(flags, {
    ok: true,
    kind: card.kind,
    decoder: found.decoder,
    idNumber: flags.showPersonalData ? card.idNumber : maskId(card.idNumber),
    ...(flags.showPersonalData
      ? {
          oldIdNumber: card.oldIdNumber,
          fullName: card.fullName,
          dateOfBirth: card.dateOfBirth,
          sex: card.sex,
          address: card.address,
          issueDate: card.issueDate,
        }
      : {}),
    warnings: card.warnings.map((w) => w.code),
  });
  return EXIT.ok;
}

async function sandboxCommand(
  flags: GlobalFlags & Record<string, string | boolean | undefined>,
): Promise<number> {
  const portText = (flags['port'] as string | undefined) ?? '4010';
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535)
    throw new CliError('USAGE', '--port must be 0..65535');
  const profile = (flags['profile'] as string | undefined) ?? 'fapi2';
  if (profile !== 'fapi2' && profile !== 'vneid-legacy')
    throw new CliError('USAGE', '--profile must be fapi2 or vneid-legacy');
  let mod: { startSandbox: (o: Record<string, unknown>) => Promise<{ url: string; stop(): Promise<void> }> };
  try {
    // Lazily: the sandbox (PGlite, oidc-provider) is an optional peer dependency.
    const name = '@vneid/sandbox';
    mod = await import(/* @vite-ignore */ name);
  } catch {
    throw new CliError(
      'SANDBOX_UNAVAILABLE',
      'install @vneid/sandbox next to @vneid/cli to run the sandbox',
      EXIT.reader,
    );
  }
  const sandbox = await mod.startSandbox({
    port: Number(portText),
    host: (flags['host'] as string | undefined) ?? '127.0.0.1',
    database: (flags['database'] as string | undefined) ?? 'memory',
    profile,
    autoApprove: flags['autoApprove'] === true,
    log: 'silent',
  });
  if (flags.json) process.stdout.write(`${JSON.stringify({ ok: true, url: sandbox.url })}\n`);
  else process.stdout.write(`listening on ${sandbox.url}\n`);
  return new Promise<number>((resolve) => {
    const stop = (): void => {
      sandbox.stop().then(
        () => resolve(EXIT.ok),
        () => resolve(EXIT.reader),
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** Builds the commander program; `done(code)` receives each command's exit code. */
function program(done: (code: number) => void): Command {
  const root = new Command('vneid')
    .description('Vietnamese CCCD / VNeID tools: QR, chip, MRZ, ID numbers, OTP')
    .option('--json', 'print results as JSON on stdout')
    .option('--show-personal-data', 'print names, numbers and dates (masked or omitted by default)')
    .exitOverride()
    .configureOutput({ writeErr: () => {}, outputError: () => {} });
  const wrap =
    <A extends unknown[]>(fn: (...args: A) => Promise<number>) =>
    async (...args: A): Promise<void> => {
      done(await fn(...args));
    };
  root
    .command('id <number>')
    .description('check a 12-digit personal ID number')
    .action(wrap((n: string, _o: unknown, cmd: Command) => idCommand(n, flagsOf(cmd))));
  root
    .command('mrz <lines...>')
    .description('parse and check an MRZ (lines as arguments, or one argument with \\n)')
    .action(wrap((l: string[], _o: unknown, cmd: Command) => mrzCommand(l, flagsOf(cmd))));
  root
    .command('qr <image>')
    .description('decode the CCCD / Căn cước QR code from a PNG or JPEG photo')
    .option('--decoder <name>', 'auto, zxing or jsqr')
    .option('--lenient', 'accept common deviations of the payload (reported as warnings)')
    .action(wrap((p: string, _o: unknown, cmd: Command) => qrCommand(p, flagsOf(cmd))));
  const otp = root.command('otp').description('TOTP (RFC 6238) and HOTP (RFC 4226) helpers');
  const common = (c: Command): Command =>
    c
      .option('--secret <base32>', 'shared secret (or VNEID_OTP_SECRET)')
      .option('--algorithm <name>', 'SHA1, SHA256 or SHA512')
      .option('--digits <n>', '6 to 8')
      .option('--verify <code>', 'verify this code instead of generating one (exit 1 on mismatch)');
  common(otp.command('totp'))
    .description('generate or verify a time-based code')
    .option('--time <t>', 'Unix seconds or ISO date (default now)')
    .option('--period <s>', 'time step in seconds')
    .option('--window <n>', 'steps accepted either side when verifying')
    .action(wrap((_o: unknown, cmd: Command) => otpCommand('totp', flagsOf(cmd) as OtpFlags)));
  common(otp.command('hotp'))
    .description('generate or verify a counter-based code')
    .option('--counter <n>', 'moving factor')
    .option('--look-ahead <n>', 'counters after --counter also tried when verifying')
    .action(wrap((_o: unknown, cmd: Command) => otpCommand('hotp', flagsOf(cmd) as OtpFlags)));
  root
    .command('read')
    .description(
      'read the chip on a PC/SC reader (name substring) or the software chip (emulator) and verify it',
    )
    .option('--reader <name>', 'a PC/SC reader name (substring) or emulator')
    .option('--can <digits>', 'card access number')
    .option('--id <number>', 'the 12-digit ID number')
    .option('--dob <date>', 'date of birth (with --expiry: MRZ key)')
    .option('--expiry <date>', 'date of expiry')
    .option('--out <dir>', 'write dump.json, csca.pem (emulator) and the face image here')
    .option('--seed <n>', 'emulator: which synthetic citizen')
    .option('--wait <ms>', 'PC/SC: how long to wait for a card (default 10000)')
    .option('--progress <mode>', 'auto (a bar per file on a terminal, lines otherwise), bar, plain or none')
    .action(
      wrap(async (_o: unknown, cmd: Command) =>
        (await import('./card.ts')).readCommand(flagsOf(cmd) as never),
      ),
    );
  const collect = (v: string, prev: string[] = []): string[] => [...prev, v];
  root
    .command('verify <dump>')
    .description('passive authentication of a dump saved by read --out (a directory or its dump.json)')
    .option(
      '--csca <pem>',
      'trusted CSCA certificate (repeatable; default the bundled CSCA Vietnam)',
      collect,
    )
    .option('--masterlist <file>', 'ICAO CSCA master list (repeatable)', collect)
    .action(
      wrap(async (p: string, _o: unknown, cmd: Command) =>
        (await import('./card.ts')).verifyCommand(p, flagsOf(cmd) as never),
      ),
    );
  root
    .command('sandbox')
    .description('start the local VNeID-style sandbox (@vneid/sandbox) until interrupted')
    .option('--port <n>', 'port (0 picks a free one; default 4010)')
    .option('--host <host>', 'default 127.0.0.1')
    .option('--database <db>', 'memory, a directory (PGlite) or a postgres:// URL')
    .option('--profile <p>', 'fapi2 or vneid-legacy')
    .option('--auto-approve', 'complete authorization requests with a seeded login_hint without a page')
    .action(wrap((_o: unknown, cmd: Command) => sandboxCommand(flagsOf(cmd) as never)));
  return root;
}

/** Runs `vneid` with `argv` (without node and script); resolves with the exit code. */
export async function run(argv: readonly string[]): Promise<number> {
  const json = argv.includes('--json');
  let code: number = EXIT.ok;
  try {
    await program((c) => {
      code = c;
    }).parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
      if (error.code === 'commander.help') return EXIT.ok;
      return reportError(
        { json },
        new CliError('USAGE', `${error.message.replace(/^error: /, '')} (see vneid --help)`),
      );
    }
    return reportError({ json }, error);
  }
}
