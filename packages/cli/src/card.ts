/**
 * @module
 * `vneid read --reader emulator` and `vneid verify`: reads the software chip with `readCard`
 * (progress per file on stderr, face image to a file, PA/AA/CA summary) and saves a dump
 * (`dump.json`: the files as read, Base64) that `verify` checks by passive authentication.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReadCardResult } from '@vneid/cccd-reader';
import { CliError, EXIT, type GlobalFlags, maskId, printResult } from './output.ts';
import { createProgress, type ProgressReporter, progressMode } from './progress.ts';

export interface ReadFlags extends GlobalFlags {
  reader?: string;
  can?: string;
  id?: string;
  dob?: string;
  expiry?: string;
  out?: string;
  seed?: string;
  progress?: string;
}

/** The progress reporter of a read: a bar on a terminal, lines otherwise, none with --json. */
function readProgress(flags: ReadFlags): ProgressReporter {
  return createProgress(progressMode(flags, process.stderr, process.env), process.stderr);
}

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');

export async function readCommand(flags: ReadFlags): Promise<number> {
  if (flags.reader === undefined) throw new CliError('USAGE', '--reader is required');
  if (flags.reader !== 'emulator') return readPcsc(flags);
  const { readCard } = await import('@vneid/cccd-reader');
  const emu = await import('@vneid/cccd-reader/emulator');
  const { createTrustStore } = await import('@vneid/cccd-reader/pa');
  const seed = flags.seed === undefined ? 1 : Number(flags.seed);
  if (!Number.isSafeInteger(seed)) throw new CliError('USAGE', '--seed must be an integer');
  const person = emu.createSyntheticPerson(seed);
  const files = await emu.createCardFiles(person);
  const card = emu.createEmulatedCard(files);
  const idNumber = flags.id ?? (flags.can === undefined ? person.idNumber : `000000${flags.can}`);
  const progress = readProgress(flags);
  const result = await readCard(card, {
    idNumber,
    ...(flags.dob === undefined ? {} : { dateOfBirth: flags.dob }),
    ...(flags.expiry === undefined ? {} : { dateOfExpiry: flags.expiry }),
    reconnect: async () => undefined,
    onProgress: (event) => progress.update(event),
    authenticate: {
      passive: createTrustStore({ certificates: [files.trust.csca] }),
      active: true,
      chip: true,
    },
  }).finally(() => progress.finish());
  const facePath =
    flags.out === undefined ? undefined : await writeRead(flags.out, result, files.trust.cscaPem);
  return reportRead(flags, result, 'emulator (test chip, test CSCA)', {
    skipped: result.skipped.map((s) => s.file),
    face: facePath,
  });
}

/** Writes `dump.json` (and `csca.pem` when given) and the face image to `out`; answers the image's path. */
async function writeRead(out: string, result: ReadCardResult, cscaPem?: string): Promise<string | undefined> {
  await mkdir(out, { recursive: true });
  const dump: Record<string, string> = {};
  for (const [k, bytes] of Object.entries(result.raw))
    if (bytes) dump[/^\d+$/.test(k) ? `dg${k}` : k] = b64(bytes);
  await writeFile(
    join(out, 'dump.json'),
    `${JSON.stringify({ format: 'vneid-card-dump', version: 1, files: dump }, null, 2)}\n`,
  );
  if (cscaPem !== undefined) await writeFile(join(out, 'csca.pem'), cscaPem);
  const face = result.files.dg2?.faces[0];
  if (face === undefined) return undefined;
  const facePath = join(out, face.imageType === 'jpeg2000' ? 'face.jp2' : 'face.jpg');
  await writeFile(facePath, face.image);
  return facePath;
}

/** Prints a read's outcome (the personal ID masked unless asked otherwise); answers the exit code. */
function reportRead(
  flags: ReadFlags,
  result: ReadCardResult,
  reader: string,
  extra: Record<string, unknown> = {},
): number {
  const v = result.verification;
  const verdict = (x: { ok: boolean } | undefined): string =>
    x === undefined ? 'not run' : x.ok ? 'ok' : 'FAILED';
  const dg13 = result.files.dg13;
  const { face, ...before } = extra;
  printResult(flags, {
    ok: v?.ok === true,
    reader,
    accessMethod: result.accessMethod,
    idNumber: flags.showPersonalData ? dg13?.idNumber : dg13?.idNumber && maskId(dg13.idNumber),
    ...(flags.showPersonalData ? { fullName: dg13?.fullName, dateOfBirth: dg13?.dateOfBirthIso } : {}),
    files: Object.keys(result.raw),
    ...before,
    passive: verdict(v?.passive),
    active: verdict(v?.active),
    chip: verdict(v?.chip),
    ...('face' in extra ? { face } : {}),
  });
  return v?.ok === true ? EXIT.ok : EXIT.verificationFailed;
}

/** Reads a card on a PC/SC reader whose name contains `flags.reader`; PA against CSCA Vietnam. */
async function readPcsc(flags: ReadFlags & { wait?: string }): Promise<number> {
  if (flags.id === undefined && flags.can === undefined) throw new CliError('USAGE', 'give --can or --id');
  const wait = flags.wait === undefined ? 10_000 : Number(flags.wait);
  if (!Number.isSafeInteger(wait) || wait < 0) throw new CliError('USAGE', '--wait must be milliseconds');
  const { readCard } = await import('@vneid/cccd-reader');
  const { createPcscTransport } = await import('@vneid/cccd-reader/pcsc');
  const { createTrustStore, vietnamCsca } = await import('@vneid/cccd-reader/pa');
  const progress = readProgress(flags);
  const transport = await createPcscTransport({ reader: flags.reader as string, timeoutMs: wait });
  try {
    const result = await readCard(transport, {
      idNumber: flags.id ?? `000000${flags.can}`,
      ...(flags.dob === undefined ? {} : { dateOfBirth: flags.dob }),
      ...(flags.expiry === undefined ? {} : { dateOfExpiry: flags.expiry }),
      reconnect: async () => undefined,
      onProgress: (event) => progress.update(event),
      authenticate: {
        passive: createTrustStore({ certificates: [vietnamCsca()] }),
        active: true,
        chip: true,
      },
    }).finally(() => progress.finish());
    if (flags.out !== undefined) await writeRead(flags.out, result);
    return reportRead(flags, result, transport.readerName);
  } finally {
    await transport.close();
  }
}

export interface VerifyFlags extends GlobalFlags {
  csca?: string[];
  masterlist?: string[];
}

export async function verifyCommand(path: string, flags: VerifyFlags): Promise<number> {
  let file = path;
  try {
    if ((await stat(path)).isDirectory()) file = join(path, 'dump.json');
  } catch {
    throw new CliError('FILE_UNREADABLE', `cannot read ${path}`);
  }
  let dump: { format?: unknown; files?: Record<string, string> };
  try {
    dump = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    throw new CliError('DUMP_INVALID', 'expected a dump.json written by vneid read --out');
  }
  if (dump.format !== 'vneid-card-dump' || typeof dump.files?.['sod'] !== 'string')
    throw new CliError('DUMP_INVALID', 'expected a vneid-card-dump with EF.SOD');
  const { createTrustStore, verifyPassive, vietnamCsca } = await import('@vneid/cccd-reader/pa');
  const read = async (p: string): Promise<Uint8Array> => {
    try {
      return new Uint8Array(await readFile(p));
    } catch {
      throw new CliError('FILE_UNREADABLE', `cannot read ${p}`);
    }
  };
  const certificates: Array<string | Uint8Array> = flags.csca?.length
    ? (await Promise.all(flags.csca.map(read))).map((b) => {
        const text = Buffer.from(b).toString('latin1');
        return text.includes('-----BEGIN') ? text : b;
      })
    : [vietnamCsca()];
  const masterLists = await Promise.all((flags.masterlist ?? []).map(read));
  const dataGroups: Record<number, Uint8Array> = {};
  for (const [k, v] of Object.entries(dump.files ?? {}))
    if (/^dg\d+$/.test(k)) dataGroups[Number(k.slice(2))] = Buffer.from(v, 'base64');
  const report = await verifyPassive(
    { sod: Buffer.from(dump.files['sod'] as string, 'base64'), files: dataGroups },
    { trustStore: createTrustStore({ certificates, masterLists }) },
  );
  printResult(flags, {
    ok: report.ok,
    signature: report.signature.ok ? 'ok' : `FAILED (${report.signature.reason ?? 'invalid'})`,
    chain: report.chain.ok ? 'ok' : `FAILED (${report.chain.reason})`,
    validity: report.validity.ok ? 'ok' : `FAILED (${report.validity.reason})`,
    dataGroups: Object.fromEntries(report.dataGroups.map((d) => [`DG${d.dataGroup}`, d.status])),
  });
  return report.ok ? EXIT.ok : EXIT.verificationFailed;
}
