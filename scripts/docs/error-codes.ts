/**
 * @module
 * Generates the troubleshooting pages of the docs site from the sources: `docs/troubleshooting.md`
 * (every `code` of the SDK's error classes, the failure reasons of the passive- and
 * active-authentication reports, the CLI's codes and exit codes) and `docs/problems.md` (the
 * server's RFC 9457 problem codes, whose `type` URIs point at its anchors, and the client's own
 * codes). Each code's meaning is its TSDoc comment in the union type that declares it (read with
 * the TypeScript compiler API), the server's titles and statuses come from `PROBLEMS`, and the
 * remedy from `scripts/docs/error-advice.ts`. Run by `pnpm docs:build`; `--check` only reports
 * whether the committed pages are current. A code without recorded advice still gets a row (and
 * a `note:` line on the console), so a code added elsewhere never breaks the build.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { PROBLEMS } from '../../packages/sandbox/src/http/problem.ts';
import { ADVICE, PROBLEM_ADVICE } from './error-advice.ts';

const root = new URL('../..', import.meta.url).pathname;

/** One union type of codes. */
interface Union {
  /** Heading: the class (or report field) the codes belong to. */
  title: string;
  /** The union type's name in `file`. */
  type: string;
  file: string;
  /** How to catch or find it. */
  intro: string;
}

interface Group {
  heading: string;
  text: string;
  unions: Union[];
}

const GROUPS: Group[] = [
  {
    heading: '@vneid/core',
    text: 'Every error extends `CoreError` (and `VneidError`): test `error.code`, never the message; `context` has offsets and lengths, never personal data.',
    unions: [
      {
        title: 'BytesError',
        type: 'BytesErrorCode',
        file: 'packages/core/src/errors/index.ts',
        intro: '`@vneid/core/bytes`: hex, Base64, UTF-8.',
      },
      {
        title: 'TlvError',
        type: 'TlvErrorCode',
        file: 'packages/core/src/tlv/tlv-error.ts',
        intro: '`@vneid/core/tlv`: BER-TLV decoding; `context` has the offset.',
      },
      {
        title: 'CccdQrError',
        type: 'CccdQrErrorCode',
        file: 'packages/core/src/qr/cccd-qr-error.ts',
        intro: '`parseCccdQr` / `formatCccdQr`; `context.field` names the field.',
      },
      {
        title: 'IdNumberError',
        type: 'IdNumberErrorCode',
        file: 'packages/core/src/id-number/index.ts',
        intro: '`parseIdNumber`.',
      },
      {
        title: 'MrzError',
        type: 'MrzErrorCode',
        file: 'packages/core/src/mrz/mrz-error.ts',
        intro: '`parseMrz` and the MRZ key helpers.',
      },
      {
        title: 'ScanError',
        type: 'ScanErrorCode',
        file: 'packages/core/src/scan/scan-error.ts',
        intro: '`scanCccdQr` (`@vneid/core/scan`). Finding no QR code is not an error: it returns `null`.',
      },
      {
        title: 'CredentialsError',
        type: 'CredentialsErrorCode',
        file: 'packages/core/src/credentials/credential-check.ts',
        intro: 'The password and passcode rules of `@vneid/core/credentials`.',
      },
      {
        title: 'EkycError',
        type: 'EkycErrorCode',
        file: 'packages/core/src/ekyc/cross-check.ts',
        intro:
          '`crossCheck` (`@vneid/core/ekyc`). A disagreement between sources is a report, never an error.',
      },
    ],
  },
  {
    heading: '@vneid/cccd-reader',
    text: 'Talking to the chip throws `ReaderError` (`AccessDeniedError` is a `ReaderError` with code `ACCESS_DENIED` and the list of `attempts`); `context` has the step, the status word `sw`, the file and offset. Parsing throws `LdsError`, `SecurityInfosError`, `PaError`. A failed verification is not thrown: it is a report (see the last sections).',
    unions: [
      {
        title: 'ReaderError',
        type: 'ReaderErrorCode',
        file: 'packages/cccd-reader/src/errors.ts',
        intro: '`readCard`, `openCardSession`, transports, secure messaging, BAC/PACE/CA/AA.',
      },
      {
        title: 'PaceError',
        type: 'PaceErrorCode',
        file: 'packages/cccd-reader/src/protocols/pace/pace-error.ts',
        intro: 'PACE computations (usually the `cause` of a `ReaderError` `PACE_FAILED`).',
      },
      {
        title: 'LdsError',
        type: 'LdsErrorCode',
        file: 'packages/cccd-reader/src/lds/lds-error.ts',
        intro:
          'The data-group parsers (`parseDg1`, `parseDg2`, `parseDg13`, …). In `readCard` these land in `parseErrors` instead of being thrown.',
      },
      {
        title: 'SecurityInfosError',
        type: 'SecurityInfosErrorCode',
        file: 'packages/cccd-reader/src/lds/security-infos.ts',
        intro: 'EF.CardAccess, EF.CardSecurity and DG14.',
      },
      {
        title: 'PaError',
        type: 'PaErrorCode',
        file: 'packages/cccd-reader/src/pa/pa-error.ts',
        intro: '`@vneid/cccd-reader/pa`: only for inputs that do not parse at all.',
      },
    ],
  },
  {
    heading: '@vneid/otp',
    text: 'One class, `OtpError`. A wrong or expired code is not an error: `verify` returns a result with a reason.',
    unions: [
      {
        title: 'OtpError',
        type: 'OtpErrorCode',
        file: 'packages/otp/src/errors.ts',
        intro: 'TOTP/HOTP, `otpauth://` URIs, challenges and stores.',
      },
    ],
  },
  {
    heading: 'Verification reports',
    text: '`verifyPassive` and `readCard({ authenticate })` report failures instead of throwing: `report.ok` is true only when every part passed. These are the reasons in the parts.',
    unions: [
      {
        title: 'report.chain.reason',
        type: 'ChainFailure',
        file: 'packages/cccd-reader/src/pa/verify-passive.ts',
        intro: 'The document signer does not chain to a trusted CSCA.',
      },
      {
        title: 'report.validity.reason',
        type: 'ValidityFailure',
        file: 'packages/cccd-reader/src/pa/verify-passive.ts',
        intro: 'A certificate of the chain is outside its validity.',
      },
      {
        title: 'report.dataGroups[].status',
        type: 'DataGroupStatus',
        file: 'packages/cccd-reader/src/pa/verify-passive.ts',
        intro: 'Each data group against its hash in EF.SOD.',
      },
      {
        title: 'active.reason',
        type: 'AaFailureReason',
        file: 'packages/cccd-reader/src/protocols/aa.ts',
        intro: 'Active authentication: the chip’s signature of our challenge with its DG15 key.',
      },
    ],
  },
];

const CLIENT: Union = {
  title: '@vneid/client’s own codes',
  type: 'ClientErrorCode',
  file: 'packages/client/src/errors.ts',
  intro: '',
};

interface Member {
  code: string;
  comment: string;
}

/** The string-literal members of `type` in `file`, each with its TSDoc comment. */
function unionMembers(file: string, type: string): Member[] {
  const text = readFileSync(join(root, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const alias = source.statements.find(
    (s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === type,
  );
  if (!alias) throw new Error(`${file}: no type ${type}`);
  const nodes = ts.isUnionTypeNode(alias.type) ? [...alias.type.types] : [alias.type];
  let from = alias.name.end;
  return nodes.map((node) => {
    if (!ts.isLiteralTypeNode(node) || !ts.isStringLiteral(node.literal))
      throw new Error(`${file}: ${type} has a member that is not a string literal`);
    const between = text.slice(from, node.getStart(source));
    from = node.end;
    const docs = [...between.matchAll(/\/\*\*([\s\S]*?)\*\//g)];
    const last = docs.at(-1)?.[1] ?? '';
    const comment = last
      .split('\n')
      .map((l) => l.replace(/^\s*\*?\s?/, ''))
      .join(' ')
      .replace(
        /\{@link\s+([^}\s|]+)(?:\s*\|\s*([^}]+))?\}/g,
        (_, t: string, label?: string) => `\`${label ?? t}\``,
      )
      .replace(/\s+/g, ' ')
      .trim();
    return { code: node.literal.text, comment };
  });
}

/** Escapes a table cell (pipes) and Vue's mustaches outside code spans. */
const cell = (s: string): string => s.replaceAll('|', '\\|').replaceAll('{{', '{ {');

let notes = 0;
function row(type: string, m: Member): string {
  const advice = ADVICE[type]?.[m.code];
  const meaning = m.comment || advice?.meaning;
  if (!advice || !meaning) {
    notes++;
    console.log(
      `note: ${type} '${m.code}' has no ${advice ? 'meaning' : 'advice'} in scripts/docs/error-advice.ts`,
    );
  }
  return `| \`${m.code}\` | ${cell(meaning ?? '—')} | ${cell(advice?.fix ?? 'See the message and the API reference.')} |`;
}

function table(union: Union): string[] {
  return [
    '| Code | Meaning | What to do |',
    '| --- | --- | --- |',
    ...unionMembers(union.file, union.type).map((m) => row(union.type, m)),
  ];
}

/** The CLI's codes: the first argument of every `new CliError('…'` in packages/cli/src. */
function cliCodes(): Map<string, string> {
  const out = new Map<string, string>();
  const dir = join(root, 'packages/cli/src');
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) {
        const text = readFileSync(p, 'utf8');
        for (const m of text.matchAll(/new CliError\(\s*'([A-Z_]+)',\s*'([^']*)'/g))
          if (!out.has(m[1] as string)) out.set(m[1] as string, m[2] as string);
        for (const m of text.matchAll(/new CliError\(\s*'([A-Z_]+)'/g))
          if (!out.has(m[1] as string)) out.set(m[1] as string, '');
      }
    }
  };
  try {
    walk(dir);
  } catch {
    // No CLI in this checkout.
  }
  return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
}

const CLI_ADVICE: Record<string, string> = {
  USAGE: 'Run the command with `--help`: an option or argument is missing or malformed.',
  FILE_UNREADABLE: 'Check the path and its permissions.',
  DUMP_INVALID: 'Pass the folder `vneid read --out` wrote, or its `dump.json`.',
  IMAGE_FORMAT_UNSUPPORTED: 'Pass a PNG or JPEG photo.',
  IMAGE_UNDECODABLE: 'The file is damaged: take the photo again.',
  QR_NOT_FOUND: 'Photograph the QR code of the card flat, sharp and filling a good part of the picture.',
  SANDBOX_UNAVAILABLE: 'Install `@vneid/sandbox` beside `@vneid/cli`.',
};

function troubleshooting(): string {
  const lines: string[] = [
    '<!-- Generated by scripts/docs/error-codes.ts from the sources (pnpm docs:build); edit scripts/docs/error-advice.ts, not this file. -->',
    '',
    '# Troubleshooting by error code',
    '',
    'Every error the SDK throws has a stable `code` (a TypeScript union: `switch (error.code)` is',
    'checked by the compiler) and a `context` without personal data; messages say what was expected',
    'and what came. This page lists every code with its meaning (from the TSDoc of the sources) and',
    'what to do. The identity API’s problem codes (sandbox and `@vneid/client`) are on',
    '[Problem codes](./problems.md).',
    '',
    '```ts',
    "import { isVneidError } from '@vneid/core/errors';",
    "import { ReaderError } from '@vneid/cccd-reader';",
    '',
    'export function explain(error: unknown): string {',
    "  if (error instanceof ReaderError && error.code === 'ACCESS_DENIED') return 'Check the CAN or the MRZ data.';",
    "  if (isVneidError(error)) return error.name + ' ' + error.code;",
    "  return 'unexpected error';",
    '}',
    '```',
    '',
  ];
  for (const group of GROUPS) {
    lines.push(`## ${group.heading}`, '', group.text, '');
    for (const union of group.unions) {
      lines.push(`### ${union.title}`, '', union.intro, '', ...table(union), '');
    }
  }
  const cli = cliCodes();
  lines.push(
    '## The `vneid` command line',
    '',
    'Exit codes: `0` ok, `1` verification failed, `2` bad input, `3` reader or transport. A failure',
    'prints one line `vneid: error <CODE>: <message>` on stderr (with `--json`,',
    '`{ "ok": false, "error": { "code", "message" } }` on stdout); errors of the libraries keep',
    'their own codes above (reader errors exit with 3, other SDK errors with 2).',
    '',
  );
  if (cli.size > 0) {
    lines.push('| Code | Meaning | What to do |', '| --- | --- | --- |');
    for (const [code, message] of cli) {
      const fix = CLI_ADVICE[code];
      if (!fix) {
        notes++;
        console.log(`note: CLI code '${code}' has no advice in scripts/docs/error-codes.ts`);
      }
      lines.push(`| \`${code}\` | ${cell(message || '—')} | ${cell(fix ?? 'See the message.')} |`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

function problems(): string {
  const lines: string[] = [
    '<!-- Generated by scripts/docs/error-codes.ts from the sources (pnpm docs:build); edit scripts/docs/error-advice.ts, not this file. -->',
    '',
    '# Problem codes',
    '',
    'Every error of the identity API (the sandbox, and the service it stands for) is an RFC 9457',
    '`application/problem+json` answer with a stable `code`; its `type` is this page with the code as',
    'anchor. `@vneid/client` throws them as `IdentityError` with the same `code`, the HTTP `status`,',
    '`requestId`, and `attemptsRemaining` / `retryAfter` where the server sent them. The list is',
    '`PROBLEMS` of the sandbox (and `ProblemCode` in its openapi.yaml).',
    '',
    '```ts',
    "import { isIdentityError } from '@vneid/client';",
    '',
    'export function retryIn(error: unknown): number | undefined {',
    "  if (isIdentityError(error) && error.code === 'otp_resend_too_soon') return error.retryAfter;",
    '  return undefined;',
    '}',
    '```',
    '',
    '## Server problems',
    '',
  ];
  for (const [code, [status, title]] of Object.entries(PROBLEMS)) {
    const fix = PROBLEM_ADVICE[code];
    if (!fix) {
      notes++;
      console.log(`note: problem '${code}' has no advice in scripts/docs/error-advice.ts`);
    }
    lines.push(`### ${code} {#${code}}`, '', `HTTP ${status}: ${cell(title)}. ${cell(fix ?? '')}`.trim(), '');
  }
  lines.push(
    '## Client codes',
    '',
    'Raised by `@vneid/client` itself (transport, SSO, evidence), never by the server.',
    '',
    ...table(CLIENT),
    '',
  );
  return `${lines.join('\n')}\n`;
}

/** The text as `biome format` lays it out (the repository's formatter also formats Markdown). */
function formatted(path: string, text: string): string {
  const r = spawnSync(join(root, 'node_modules/.bin/biome'), ['format', `--stdin-file-path=${path}`], {
    cwd: root,
    input: text,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`biome format ${path}: ${r.stderr}`);
  return r.stdout;
}

const outputs: Record<string, string> = {
  'docs/troubleshooting.md': formatted('docs/troubleshooting.md', troubleshooting()),
  'docs/problems.md': formatted('docs/problems.md', problems()),
};
const check = process.argv.includes('--check');
let stale = 0;
for (const [path, text] of Object.entries(outputs)) {
  const full = join(root, path);
  let old = '';
  try {
    old = readFileSync(full, 'utf8');
  } catch {}
  if (old === text) continue;
  if (check) {
    stale++;
    console.log(`${path} is not current: run pnpm docs:build (or tsx scripts/docs/error-codes.ts)`);
  } else writeFileSync(full, text);
}
console.log(
  `error-codes: ${Object.keys(outputs).length} pages${notes ? `, ${notes} codes without advice` : ''}`,
);
if (stale) process.exit(1);
