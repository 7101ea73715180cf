/**
 * @module
 * A bank's eKYC back end on chip verification (C06 style, IDENTITY-NOTES §5): the bank's phone
 * app reads the customer's CCCD chip over NFC with `@vneid/cccd-reader` (`readCard`, PACE with
 * the CAN) and posts the raw chip files to the bank's back end; the back end sends them, signed
 * with its partner credentials, to `client.verify.chip(...)`, which checks the evidence JWS
 * against the issuer's JWKS before it answers; the back end stores the evidence and answers the
 * app with a decision that holds no full personal ID.
 *
 * Against the local sandbox the "card" is the software chip loaded with the files the sandbox
 * issued for a seeded citizen (`GET /__sandbox/chips/{personalId}`, signed by the sandbox's
 * Document Signer under its CSCA).
 *
 * Run: `pnpm --dir examples bank-ekyc` (starts a sandbox in memory, or uses `VNEID_ISSUER`).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readCard } from '@vneid/cccd-reader';
import { createCardFiles, createEmulatedCard, createSyntheticPerson } from '@vneid/cccd-reader/emulator';
import type { ApduTransport } from '@vneid/cccd-reader/transport';
import {
  type ChipChecks,
  type ChipFilesInput,
  createIdentityClient,
  type IdentityClient,
  isIdentityError,
  maskPersonalId,
  type PartnerCredentials,
} from '@vneid/client';

/** The sandbox's documented demo partner (test material; a real bank gets its own). */
export const DEMO_BANK: PartnerCredentials = { code: 'demo-bank', secret: 'demo-bank-sandbox-secret' };

/** The chip files as the app sends them: base64 by name (`com`, `sod`, `dg1`, …). */
export type ChipFilesJson = Partial<Record<'com' | 'sod' | 'dg1' | 'dg2' | 'dg13' | 'dg14' | 'dg15', string>>;

/** The back end's answer to the app (and what it keeps as the eKYC record). */
export interface EkycDecision {
  /** True only when the identity service verified the chip and its holder is the customer. */
  verified: boolean;
  /** The customer's personal ID, masked (`012******548`). */
  customer: string;
  /** The identity service's request id, to quote in a dispute. */
  requestId: string;
  checks: ChipChecks;
  failure?: string;
  /** The verified evidence (compact JWS) the bank stores as proof, and the key that signed it. */
  evidence: string;
  evidenceKeyId: string | undefined;
}

const FILE_NAMES = ['com', 'sod', 'dg1', 'dg2', 'dg13', 'dg14', 'dg15'] as const;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The bank app's side: reads the chip (PACE-CAN from the personal ID) and encodes the raw files. */
export async function readChipForUpload(
  transport: ApduTransport,
  personalId: string,
): Promise<ChipFilesJson> {
  const read = await readCard(transport, { idNumber: personalId });
  const out: ChipFilesJson = {};
  const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
  if (read.raw.com) out.com = b64(read.raw.com);
  if (read.raw.sod) out.sod = b64(read.raw.sod);
  for (const n of [1, 2, 13, 14, 15] as const) {
    const bytes = read.raw[n];
    if (bytes) out[`dg${n}`] = b64(bytes);
  }
  return out;
}

/** The back end's one step: verify the uploaded chip files for the customer's personal ID. */
export async function verifyCustomerChip(
  client: IdentityClient,
  personalId: string,
  files: ChipFilesJson,
): Promise<EkycDecision> {
  const chipFiles: Record<string, Uint8Array> = {};
  for (const name of FILE_NAMES) {
    const b64 = files[name];
    if (b64 !== undefined) chipFiles[name] = new Uint8Array(Buffer.from(b64, 'base64'));
  }
  const result = await client.verify.chip({ personalId, chipFiles: chipFiles as ChipFilesInput });
  return {
    verified: result.verified,
    customer: maskPersonalId(personalId),
    requestId: result.requestId,
    checks: result.checks,
    ...(result.failure !== undefined ? { failure: result.failure } : {}),
    evidence: result.evidence,
    evidenceKeyId: result.keyId,
  };
}

export interface BankBackend {
  url: string;
  /** Every decision made, newest last (a real bank writes them to its database). */
  decisions: EkycDecision[];
  stop(): Promise<void>;
}

async function readJson(req: IncomingMessage, limit = 256 * 1024): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new RangeError('body too large');
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** The input the app posts to `POST /ekyc/chip`, checked before anything is sent on. */
function parseUpload(body: unknown): { personalId: string; files: ChipFilesJson } | null {
  if (typeof body !== 'object' || body === null) return null;
  const { personalId, files } = body as { personalId?: unknown; files?: unknown };
  if (typeof personalId !== 'string' || !/^[0-9]{12}$/.test(personalId)) return null;
  if (typeof files !== 'object' || files === null) return null;
  const out: ChipFilesJson = {};
  for (const [name, value] of Object.entries(files)) {
    if (!(FILE_NAMES as readonly string[]).includes(name) || typeof value !== 'string' || !BASE64.test(value))
      return null;
    out[name as (typeof FILE_NAMES)[number]] = value;
  }
  if (out.sod === undefined || out.dg1 === undefined) return null;
  return { personalId, files: out };
}

/**
 * Starts the back end: `POST /ekyc/chip {personalId, files}` → 200 {@link EkycDecision}
 * (`verified: false` is an answer, not an error), 400 for a malformed upload, 502 when the
 * identity service refuses or its evidence does not verify.
 */
export async function startBankBackend(options: {
  issuer: string;
  partner?: PartnerCredentials;
  port?: number;
  fetch?: typeof fetch;
}): Promise<BankBackend> {
  const client = createIdentityClient({
    issuer: options.issuer,
    partner: options.partner ?? DEMO_BANK,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const decisions: EkycDecision[] = [];
  const server = createServer(async (req, res) => {
    try {
      if (req.method !== 'POST' || req.url !== '/ekyc/chip') return send(res, 404, { error: 'not_found' });
      let upload: ReturnType<typeof parseUpload>;
      try {
        upload = parseUpload(await readJson(req));
      } catch {
        upload = null;
      }
      if (upload === null) return send(res, 400, { error: 'invalid_upload' });
      try {
        const decision = await verifyCustomerChip(client, upload.personalId, upload.files);
        decisions.push(decision);
        return send(res, 200, decision);
      } catch (error) {
        // IdentityError messages and codes carry no personal data; pass the code on.
        if (isIdentityError(error))
          return send(res, 502, { error: error.code, requestId: error.requestId ?? null });
        throw error;
      }
    } catch {
      if (!res.headersSent) send(res, 500, { error: 'internal' });
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    decisions,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The card on the NFC reader, for the sandbox: the software chip of `createSyntheticPerson(seed)`
 * serving the EF.COM, EF.SOD and data groups the sandbox issued for that citizen. (Chip and
 * Active Authentication cannot run on it: the sandbox publishes the chip's files, not its private
 * keys; passive authentication — what the identity service checks — is unaffected.)
 */
export async function sandboxCard(issuer: string, personalId: string, seed: number): Promise<ApduTransport> {
  const res = await fetch(`${issuer}/__sandbox/chips/${personalId}`);
  if (!res.ok)
    throw new Error(`the sandbox has no chip for ${maskPersonalId(personalId)} (HTTP ${res.status})`);
  const { files } = (await res.json()) as { files: Record<string, string> };
  const base = await createCardFiles(createSyntheticPerson(seed), { aa: false, ca: false, dg3: false });
  const bytes = (name: string) => new Uint8Array(Buffer.from(files[name] ?? '', 'base64'));
  const dataGroups = new Map<number, Uint8Array>();
  for (const n of [1, 2, 13, 14, 15]) if (files[`dg${n}`]) dataGroups.set(n, bytes(`dg${n}`));
  return createEmulatedCard({ ...base, com: bytes('com'), sod: bytes('sod'), dataGroups });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { startSandbox } = await import('@vneid/sandbox');
  const sandbox = process.env['VNEID_ISSUER'] ? undefined : await startSandbox({ port: 0 });
  const issuer = process.env['VNEID_ISSUER'] ?? sandbox!.url;
  const bank = await startBankBackend({ issuer });
  try {
    const { identities } = (await (await fetch(`${issuer}/__sandbox/identities`)).json()) as {
      identities: { personalId: string; chipSeed: number; chipFault: string | null }[];
    };
    const holder = identities.find((i) => i.chipSeed === 7)!;
    const files = await readChipForUpload(await sandboxCard(issuer, holder.personalId, 7), holder.personalId);
    const res = await fetch(`${bank.url}/ekyc/chip`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ personalId: holder.personalId, files }),
    });
    const decision = (await res.json()) as EkycDecision;
    console.log(
      `eKYC of ${decision.customer}: ${decision.verified ? 'verified' : 'NOT verified'}`,
      `(checks: ${Object.entries(decision.checks)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}; evidence signed by ${decision.evidenceKeyId})`,
    );
  } finally {
    await bank.stop();
    await sandbox?.stop();
  }
}
