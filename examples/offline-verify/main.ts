/**
 * @module
 * The offline verify page: takes a saved chip read (the `dump.json` of `vneid read --out`:
 * `{ format: 'vneid-card-dump', version: 1, files: { com, sod, dg1, dg2, …, cardAccess } }`,
 * each file Base64) by drag and drop or the file input, optionally with CSCA certificates
 * (PEM or DER; CSCA Vietnam is built in), and shows the passive-authentication report of
 * `verifyPassive` (signature, chain, validity, each data group's hash), what a dump can and
 * cannot say about active and chip authentication (both need the chip itself: a dump has the
 * keys of DG15 / DG14, not a fresh signature), and the holder: the face of DG2 as an image, DG1's
 * MRZ and DG13's fields. Everything runs in the page; the Content-Security-Policy forbids
 * network requests (`connect-src 'none'`). `#status[data-state]` is `idle`, `working`, `done`
 * or `error`.
 */

import { type Dg2, parseDg1, parseDg2, parseDg13, parseDg15 } from '@vneid/cccd-reader/lds';
import { createTrustStore, type PassiveReport, verifyPassive, vietnamCsca } from '@vneid/cccd-reader/pa';
import { fromBase64 } from '@vneid/core/bytes';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const status = $<HTMLParagraphElement>('status');
const drop = $<HTMLDivElement>('drop');
const input = $<HTMLInputElement>('files');

/** The dump format of `vneid read --out`. */
interface CardDump {
  format: 'vneid-card-dump';
  version: number;
  files: Record<string, string>;
}

function setStatus(state: 'idle' | 'working' | 'done' | 'error', text: string): void {
  status.dataset['state'] = state;
  status.textContent = text;
  status.classList.toggle('error', state === 'error');
}

function list(id: string, rows: Array<[string, string, string?]>): void {
  $<HTMLDListElement>(id).replaceChildren(
    ...rows.flatMap(([label, value, key]) => {
      const dt = document.createElement('dt');
      dt.textContent = label;
      const dd = document.createElement('dd');
      if (key) dd.dataset['field'] = key;
      dd.textContent = value;
      return [dt, dd];
    }),
  );
}

const verdict = (part: { ok: boolean; reason?: string }): string =>
  part.ok ? 'ok' : `failed${part.reason ? ` (${part.reason})` : ''}`;

function parseDump(text: string): CardDump {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('dump.json is not JSON');
  }
  const dump = value as Partial<CardDump>;
  if (dump.format !== 'vneid-card-dump' || typeof dump.files !== 'object' || dump.files === null)
    throw new Error('not a vneid-card-dump (the dump.json of vneid read --out)');
  if (typeof dump.files['sod'] !== 'string') throw new Error('the dump has no EF.SOD');
  return dump as CardDump;
}

/** The files of the dump, decoded: `sod`, `com`, `cardAccess` and data groups by number. */
function decodeFiles(dump: CardDump): { sod: Uint8Array; dataGroups: Map<number, Uint8Array> } {
  const dataGroups = new Map<number, Uint8Array>();
  for (const [name, b64] of Object.entries(dump.files)) {
    const dg = /^dg(\d{1,2})$/.exec(name);
    if (dg) dataGroups.set(Number(dg[1]), fromBase64(b64));
  }
  return { sod: fromBase64(dump.files['sod'] as string), dataGroups };
}

function showPassive(report: PassiveReport): void {
  const el = $<HTMLParagraphElement>('verdict');
  el.dataset['ok'] = String(report.ok);
  el.textContent = report.ok
    ? 'Genuine: the data is as the issuer signed it.'
    : 'NOT verified: do not rely on this data.';
  list('parts', [
    ['Signature of EF.SOD', verdict(report.signature), 'signature'],
    ['Chain to a trusted CSCA', verdict(report.chain), 'chain'],
    ['Certificate validity', verdict(report.validity), 'validity'],
    ['Document signer', report.signer?.subject ?? '—'],
    ['Trust anchor', report.chain.anchor ?? '—'],
    ['Hash algorithm', report.lds.hashAlgorithm.name ?? report.lds.hashAlgorithm.oid],
  ]);
  $<HTMLTableSectionElement>('groups').replaceChildren(
    ...report.dataGroups.map((d) => {
      const tr = document.createElement('tr');
      tr.dataset['dg'] = String(d.dataGroup);
      const name = document.createElement('td');
      name.textContent = `DG${d.dataGroup}`;
      const state = document.createElement('td');
      state.textContent = d.status;
      tr.append(name, state);
      return tr;
    }),
  );
}

function showChip(dataGroups: Map<number, Uint8Array>, report: PassiveReport): void {
  const signed = (n: number): string => report.dataGroups.find((d) => d.dataGroup === n)?.status ?? 'absent';
  const rows: Array<[string, string, string?]> = [];
  const dg15 = dataGroups.get(15);
  if (dg15) {
    const key = parseDg15(dg15).publicKey;
    const described = key.algorithm === 'rsa' ? `RSA-${key.modulusBits}` : `EC ${key.curveName ?? ''}`.trim();
    rows.push([
      'Active authentication',
      `not checkable from a dump: it needs the chip to sign a fresh challenge. DG15 holds a ${described} key (hash ${signed(15)}).`,
      'active',
    ]);
  } else rows.push(['Active authentication', 'the card has no DG15 key', 'active']);
  rows.push([
    'Chip authentication',
    dataGroups.has(14)
      ? `not checkable from a dump: it needs a session with the chip. DG14 is present (hash ${signed(14)}).`
      : 'the dump has no DG14',
    'chip',
  ]);
  list('chip', rows);
}

function showHolder(dataGroups: Map<number, Uint8Array>): void {
  const rows: Array<[string, string, string?]> = [];
  const dg1 = dataGroups.get(1);
  if (dg1) {
    const { mrz } = parseDg1(dg1);
    rows.push(['MRZ document number', mrz.documentNumber, 'documentNumber']);
  }
  const dg13 = dataGroups.get(13);
  if (dg13) {
    const d = parseDg13(dg13);
    rows.push(
      ['Số định danh (ID number)', d.idNumber ?? '—', 'idNumber'],
      ['Họ và tên (full name)', d.fullName ?? '—', 'fullName'],
      ['Ngày sinh (date of birth)', d.dateOfBirth ?? '—', 'dateOfBirth'],
      ['Giới tính (sex)', d.sex ?? '—', 'sex'],
      ['Nơi thường trú (residence)', d.placeOfResidence ?? '—', 'placeOfResidence'],
      ['Có giá trị đến (expiry)', d.expiryDate ?? '—', 'expiryDate'],
    );
  }
  list('holder', rows);
  const img = $<HTMLImageElement>('face');
  const note = $<HTMLParagraphElement>('face-note');
  const raw = dataGroups.get(2);
  const face: Dg2['faces'][number] | undefined = raw ? parseDg2(raw).faces[0] : undefined;
  if (face && face.imageType === 'jpeg') {
    img.src = URL.createObjectURL(new Blob([face.image.slice()], { type: 'image/jpeg' }));
    img.hidden = false;
    note.textContent = `DG2: JPEG ${face.width ?? '?'}×${face.height ?? '?'}.`;
  } else {
    img.hidden = true;
    note.textContent = face
      ? `DG2 holds a ${face.imageType} image, which browsers cannot show; save it with vneid read --out.`
      : 'The dump has no face image (DG2).';
  }
}

async function handle(files: readonly File[]): Promise<void> {
  setStatus('working', 'Verifying…');
  $<HTMLElement>('report').hidden = true;
  try {
    const json = files.find((f) => f.name.endsWith('.json'));
    if (!json) throw new Error('drop the dump.json written by vneid read --out');
    const dump = parseDump(await json.text());
    const certificates: Array<string | Uint8Array> = [vietnamCsca()];
    for (const f of files) {
      if (f === json) continue;
      const bytes = new Uint8Array(await f.arrayBuffer());
      const text = new TextDecoder('latin1').decode(bytes);
      certificates.push(text.includes('-----BEGIN') ? text : bytes);
    }
    const { sod, dataGroups } = decodeFiles(dump);
    const report = await verifyPassive(
      { sod, files: dataGroups },
      { trustStore: createTrustStore({ certificates }) },
    );
    showPassive(report);
    showChip(dataGroups, report);
    showHolder(dataGroups);
    $<HTMLElement>('report').hidden = false;
    setStatus('done', `Verified ${json.name} against ${certificates.length} CSCA certificate(s).`);
  } catch (error) {
    const e = error as { code?: string; message?: string };
    setStatus('error', `Cannot verify: ${e.code ? `${e.code}: ` : ''}${e.message ?? String(error)}`);
  }
}

input.addEventListener('change', () => void handle(Array.from(input.files ?? [])));
drop.addEventListener('dragover', (event) => {
  event.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (event) => {
  event.preventDefault();
  drop.classList.remove('over');
  void handle(Array.from(event.dataTransfer?.files ?? []));
});
