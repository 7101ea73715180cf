/**
 * @module
 * What to do about each error code, for the generated troubleshooting pages
 * (`scripts/docs/error-codes.ts` → `docs/troubleshooting.md`, `docs/problems.md`). The meaning
 * of a code comes from its TSDoc comment in the sources; this file adds the remedy, keyed by
 * the code's union type and the code. `meaning` is used only where the source has no comment.
 * The generator fails for a code that has no entry here, so a new code cannot go undocumented.
 */

export interface Advice {
  /** What to do. */
  fix: string;
  /** The meaning, only where the source comment is missing. */
  meaning?: string;
}

type Table = Record<string, Record<string, Advice>>;

const argument: Advice = {
  fix: 'A programming error in the call: check the argument types against the API reference (TypeScript catches most of these).',
};

export const ADVICE: Table = {
  BytesErrorCode: {
    INVALID_HEX: {
      meaning: 'The text is not an even number of hexadecimal digits.',
      fix: 'Strip spaces and `0x` prefixes before `fromHex`; check where the text comes from.',
    },
    INVALID_BASE64: {
      meaning: 'The text is not valid Base64 (alphabet, padding).',
      fix: '`fromBase64` is strict (canonical, no white space; Base64URL accepted): remove line breaks and check the transfer (a dump file, a JSON field).',
    },
    INVALID_UTF8: {
      meaning: 'The bytes are not valid UTF-8.',
      fix: 'The bytes are not text; if they come from the chip or a QR code, the source is damaged or not what you expect.',
    },
    INVALID_ARGUMENT: argument,
  },
  TlvErrorCode: {
    TLV_INVALID_INPUT: argument,
    TLV_TRUNCATED: {
      fix: 'The file was cut short: read it again (a tag lost mid-read truncates); a stored dump may be incomplete.',
    },
    TLV_INVALID_TAG: { fix: 'The bytes are not BER-TLV; check that the right file or buffer was passed.' },
    TLV_NON_MINIMAL_TAG: {
      fix: 'Strict DER rejects it; decode with the lenient options if the source is known to do this.',
    },
    TLV_INDEFINITE_LENGTH: {
      fix: 'Pass `{ ber: true }` if the source legitimately uses BER indefinite lengths.',
    },
    TLV_NON_MINIMAL_LENGTH: { fix: 'Strict DER rejects it; decode without strict mode for lenient sources.' },
    TLV_LENGTH_TOO_LARGE: { fix: 'The data is corrupt or hostile; do not raise limits for untrusted input.' },
    TLV_LENGTH_OVERRUN: { fix: 'The file was truncated or corrupted: read it again.' },
    TLV_TRAILING_BYTES: {
      fix: 'Pass exactly one TLV to `decodeTlv`, or decode a concatenation with `decodeTlvSequence`.',
    },
    TLV_TOO_DEEP: { fix: 'Hostile or corrupt input; raise `maxDepth` only for trusted data that needs it.' },
    TLV_TOO_MANY_NODES: {
      fix: 'Hostile or corrupt input; raise `maxNodes` only for trusted data that needs it.',
    },
    TLV_NOT_FOUND: {
      fix: 'The structure lacks a mandatory element: the file is not the one expected or is damaged.',
    },
    TLV_INVALID_VALUE: { fix: 'The file is corrupt or not the structure expected.' },
  },
  CccdQrErrorCode: {
    EMPTY_INPUT: { fix: 'Nothing was scanned: pass the decoded QR text, not the image.' },
    WRONG_FIELD_COUNT: {
      fix: 'Not a CCCD / Căn cước QR code (another QR was scanned), or the text was cut.',
    },
    MISSING_OLD_ID_FIELD: {
      fix: 'The text follows a wrong published example; real cards keep an empty old-CMND slot (`||`). Fix the generator of the test data.',
    },
    INVALID_ID_NUMBER: {
      fix: 'Scan again; a damaged code can misread a digit. Otherwise the QR is not a CCCD.',
    },
    INVALID_OLD_ID_NUMBER: { fix: 'Scan again, or use the lenient mode for cards seen with other contents.' },
    EMPTY_NAME: { fix: 'The code is not a CCCD QR, or was generated wrongly.' },
    INVALID_NAME: { fix: 'The code is not a CCCD QR, or was generated wrongly.' },
    EMPTY_ADDRESS: { fix: 'The code is not a CCCD QR, or was generated wrongly.' },
    INVALID_DATE_FORMAT: {
      fix: 'Use `{ lenient: true }` for `dd/mm/yyyy` dates; when formatting, pass ISO `YYYY-MM-DD` dates.',
    },
    IMPOSSIBLE_DATE: { fix: 'A misread or forged code: scan again and compare with the printed card.' },
    DATE_IN_FUTURE: { fix: 'Check the device clock (or the `now` option); otherwise the code is forged.' },
    ISSUE_BEFORE_BIRTH: { fix: 'A misread or forged code: compare with the printed card.' },
    INVALID_SEX: {
      fix: 'Use `{ lenient: true }` for `Nu` or other case; otherwise the code is not a CCCD QR.',
    },
    UNTRIMMED_FIELD: {
      fix: 'Use `{ lenient: true }` to trim white space from hand-typed or re-encoded text.',
    },
    INVALID_CHARACTER: {
      fix: 'A forged or re-encoded code (invisible, bidi or HTML-special characters never appear on a card); when formatting, remove control characters and `|`. `context.characterClass` says which kind.',
    },
    INPUT_TOO_LONG: { fix: 'Not a CCCD QR code: no card QR holds that much text.' },
    FIELD_TOO_LONG: { fix: 'A forged or damaged code: compare with the printed card.' },
    IMPLAUSIBLE_DATE: { fix: 'A misread or forged code: no card of that layout was issued on that date.' },
    INVALID_KIND: { fix: "Pass `kind: 'cccd'` or `kind: 'can-cuoc'`." },
    KIND_MISMATCH: {
      fix: 'Set `kind` to match the data: `cccd` has no extra fields, `can-cuoc` has at least 3.',
    },
    INVALID_ARGUMENT: argument,
  },
  IdNumberErrorCode: {
    INVALID_ID_NUMBER: {
      meaning: 'Not a 12-digit personal ID number with a valid province, century/sex and birth-year code.',
      fix: 'Ask the user to re-enter the number from the card; the message says which part is wrong.',
    },
  },
  MrzErrorCode: {
    UNKNOWN_FORMAT: {
      fix: 'Pass the three 30-character lines of the card back (or two 44-character lines of a passport), with line breaks.',
    },
    INVALID_CHARACTER: { fix: 'OCR confusion (O/0, I/1): correct the text or rescan.' },
    BAD_CHECK_DIGIT: { fix: 'A misread character in the named field: rescan or correct it by hand.' },
    INVALID_DATE: { fix: 'A misread date: rescan.' },
    INVALID_SEX: { fix: 'A misread sex field: rescan.' },
    INVALID_DOCUMENT_CODE: { fix: 'Not an identity card or passport MRZ.' },
    INVALID_VIETNAM_LAYOUT: {
      fix: 'Not the Vietnamese CCCD layout; parse with the generic TD1 options if it is another country’s card.',
    },
    FIELD_TOO_LONG: {
      fix: 'Shorten the value (names are truncated by the MRZ rules, not by the formatter).',
    },
    INVALID_FIELD: { fix: 'Check the argument against the API reference.' },
    INVALID_ARGUMENT: argument,
  },
  ScanErrorCode: {
    DECODER_UNAVAILABLE: {
      fix: 'Serve `zxing_reader.wasm` beside the bundle with `application/wasm` and allow it in your CSP (`wasm-unsafe-eval`), or scan with the jsQR decoder.',
    },
    DECODER_FAILED: { fix: 'Retry with the next frame; report the case if it repeats on one image.' },
    INVALID_IMAGE: {
      fix: 'Pass `ImageData` from a canvas, or `{ data, width, height }` with `width × height × 4` (RGBA) or `× 1` (grey) bytes.',
    },
    INVALID_OPTIONS: { fix: 'Check the options against the API reference.' },
    NOT_UTF8: { fix: 'Another QR code was scanned (a CCCD QR is UTF-8 text).' },
  },
  CredentialsErrorCode: {
    INVALID_SPECIALS: {
      meaning: 'The `specials` option (the allowed special characters) is empty or not a string.',
      fix: 'Pass a non-empty string of special characters, or leave the option out for the VNeID default.',
    },
    INVALID_ARGUMENT: argument,
  },
  EkycErrorCode: {
    INVALID_ARGUMENT: {
      fix: 'Pass at least two sources: `{ qr, mrz }`, `{ qr, chip: { dg13 } }`, … as returned by `parseCccdQr`, `parseMrz` and `readCard`.',
    },
  },
  ReaderErrorCode: {
    INVALID_ARGUMENT: argument,
    INVALID_RESPONSE: {
      fix: 'The transport returned a broken answer: check that it returns the full response APDU including SW1SW2.',
    },
    TRANSPORT_FAILED: {
      fix: 'The card moved or the reader dropped it: hold the card still (phone: on the NFC spot, case off) and read again; `resume` continues from the files already read.',
    },
    ABORTED: { fix: 'Your `AbortSignal` fired (user cancelled or a timeout you set).' },
    SM_INVALID_RESPONSE: { fix: 'Usually a connection loss mid-command: read again.' },
    SM_MAC_MISMATCH: {
      fix: 'The answer was corrupted or not from the chip that opened the session: read again; if it repeats, distrust the reader.',
    },
    SM_REJECTED: {
      fix: 'The card rejected our secure messaging (the session keys are out of step): read again from the start.',
    },
    BAC_FAILED: {
      fix: 'Wrong MRZ key: check the ID number, date of birth and expiry date (the context has the step and status word).',
    },
    PACE_FAILED: {
      fix: 'Wrong CAN (the 6 digits on the front) or MRZ data; the context has the step and status word. Retry with the right key.',
    },
    CA_FAILED: {
      fix: 'Chip authentication did not complete: the chip may be cloned, or the link broke; read again before concluding.',
    },
    AA_FAILED: {
      fix: 'Active authentication could not run (a wrong signature is reported in the verification, not thrown): read again.',
    },
    ACCESS_DENIED: {
      fix: 'No key opened the chip: `AccessDeniedError.attempts` lists each method and why. Check the CAN / ID number, date of birth and expiry date.',
    },
    FILE_NOT_FOUND: {
      fix: 'The card has no such file (older cards lack some data groups): treat it as absent.',
    },
    SECURITY_STATUS_NOT_SATISFIED: {
      fix: 'The file needs terminal authentication (DG3 fingerprints, EAC): it cannot be read with CAN/MRZ access.',
    },
    READ_FAILED: { fix: 'Read again (with `reconnect`, `readCard` continues at the offset in the context).' },
    UNEXPECTED_STATUS: {
      fix: 'The card answered something the step cannot handle: note the status word in the context and report it with the card generation.',
    },
  },
  PaceErrorCode: {
    UNSUPPORTED_PROTOCOL: {
      meaning: 'The chip offers a PACE protocol OID (mapping or cipher) this SDK does not implement.',
      fix: 'Report the OID from EF.CardAccess; BAC may still open the card.',
    },
    UNSUPPORTED_DOMAIN_PARAMETERS: {
      meaning: 'The PACE domain parameters (standardized ID or explicit group) are unknown or out of range.',
      fix: 'Report the parameter ID from EF.CardAccess; BAC may still open the card.',
    },
    INVALID_PUBLIC_KEY: {
      meaning: 'A public key from the chip is not a valid point or group element (or equals ours).',
      fix: 'A faulty or hostile chip, or a corrupted answer: read again; do not trust the card if it repeats.',
    },
    INVALID_NONCE: {
      meaning: 'The decrypted PACE nonce has the wrong length or value.',
      fix: 'Usually the wrong CAN/MRZ key (the nonce decrypts to garbage): check the key and retry.',
    },
    INVALID_MAPPING: {
      meaning: 'The mapping step produced an unusable generator or a malformed answer.',
      fix: 'A faulty chip or a corrupted answer: read again.',
    },
    INVALID_PASSWORD: {
      meaning: 'The PACE password is not a 6-digit CAN or a valid MRZ key.',
      fix: 'Check the CAN (6 digits printed on the front of the card) or the MRZ fields.',
    },
    INVALID_ARGUMENT: argument,
  },
  LdsErrorCode: {
    LDS_INVALID_INPUT: argument,
    LDS_INVALID_TLV: { fix: 'The file is truncated or corrupt: read it again.' },
    LDS_UNEXPECTED_TAG: { fix: 'The bytes belong to another file: check which data group you passed.' },
    LDS_TRAILING_BYTES: { fix: 'The file is corrupt or padded with garbage: read it again.' },
    LDS_INVALID_STRUCTURE: {
      fix: 'The card deviates from Doc 9303: keep the raw bytes and report the card generation (see Field evidence).',
    },
    LDS_INVALID_TEXT: { fix: 'The card encodes text unexpectedly: keep the raw bytes and report it.' },
    LDS_INVALID_MRZ: {
      fix: 'DG1 is damaged: read it again; passive authentication tells whether it was altered.',
    },
    LDS_INVALID_FIELD: {
      fix: 'A DG13 field deviates from the known layout: keep the raw bytes and report the card generation.',
    },
    LDS_DUPLICATE_FIELD: {
      fix: 'A DG13 field deviates from the known layout: keep the raw bytes and report it.',
    },
    LDS_TRUNCATED_RECORD: { fix: 'DG2 was cut short: read it again.' },
    LDS_RECORD_LENGTH_MISMATCH: { fix: 'The biometric record is corrupt: read it again.' },
    LDS_UNSUPPORTED_FORMAT: { fix: 'Report the record format; the raw file is still in `raw`.' },
    LDS_UNSUPPORTED_ALGORITHM: { fix: 'Report the algorithm OID; the raw file is still in `raw`.' },
    LDS_UNKNOWN_FILE: { fix: 'Pass a known file ID or data-group number (1–16, COM, SOD).' },
  },
  SecurityInfosErrorCode: {
    INVALID_TLV: {
      meaning: 'EF.CardAccess, EF.CardSecurity or DG14 is not valid DER.',
      fix: 'Read the file again; if it repeats, report the card generation.',
    },
    INVALID_STRUCTURE: {
      meaning: 'A SecurityInfo is well-formed DER but not the structure Doc 9303 defines.',
      fix: 'Report the card generation with the raw file.',
    },
  },
  PaErrorCode: {
    SOD_MALFORMED: { fix: 'EF.SOD is truncated or not from a chip: read it again; a dump may be damaged.' },
    LDS_SECURITY_OBJECT_MALFORMED: { fix: 'EF.SOD is damaged or not an ICAO security object.' },
    CERTIFICATE_MALFORMED: {
      fix: 'Pass the CSCA as DER bytes or PEM text (a `.cer`/`.pem` file), not Base64 without PEM armour.',
    },
    CRL_MALFORMED: { fix: 'Pass the CRL as DER bytes or PEM text.' },
    MASTER_LIST_MALFORMED: {
      fix: 'Pass an ICAO master list file (`.ml`, CMS SignedData), not an LDIF or a ZIP.',
    },
    SIGNED_DATA_MALFORMED: { fix: 'The file is damaged: read or download it again.' },
    PEM_MALFORMED: { fix: 'Check the `-----BEGIN …-----` armour and that the Base64 inside is intact.' },
    INVALID_ARGUMENT: argument,
    UNSUPPORTED_ALGORITHM: {
      fix: 'Tests only: the test PKI cannot build that key or signature type; pick another signer.',
    },
  },
  OtpErrorCode: {
    INVALID_ARGUMENT: {
      fix: 'Check the argument against the API reference (digits 6–8, period 1–3600 s, …).',
    },
    INVALID_SECRET: {
      fix: 'Use `generateOtpSecret()` (20 bytes); imported secrets must be 16–64 bytes, or 10–64 with `allowShortSecret: true`.',
    },
    INVALID_BASE32: { fix: 'Upper-case the text and remove spaces; only RFC 4648 Base32 is accepted.' },
    INVALID_RECIPIENT: { fix: 'Pass a Vietnamese phone number (`09…`, `+849…`) or a valid e-mail address.' },
    RANDOM_FAILED: { fix: 'Your injected `random` is broken; leave it out to use WebCrypto.' },
    STORE_CORRUPT: {
      fix: 'Another program wrote the store key, or its data was damaged: give the OTP store its own namespace.',
    },
    STORE_CONTENTION: {
      fix: 'Too many concurrent writers on one challenge: retry the request; check the store’s compare-and-set.',
    },
    STORE_CONTRACT: {
      fix: 'Your store breaks the rule the test names (atomic compare-and-set, versions never reused, expiry at exactly `expiresAt`, copies): fix the store, not the test.',
    },
    STORE_FAILED: {
      fix: 'Check the database or Redis connection, and that `migratePgOtpStore` (or `pgOtpStoreSchema()`) ran for the table; the cause holds the driver error.',
    },
    URI_SCHEME: { fix: 'Scan the authenticator QR again: the text must start with `otpauth://`.' },
    URI_TYPE: { fix: 'Only `totp` and `hotp` URIs exist.' },
    URI_LABEL: { fix: 'The label must be `Issuer:account`, percent-encoded once.' },
    URI_PARAMETER: { fix: 'Remove unknown or repeated parameters; percent-encode values.' },
    URI_SECRET: {
      fix: 'The `secret` must be Base32 (either case) of 10–64 bytes; new secrets should have 20 (`generateOtpSecret`).',
    },
    URI_ALGORITHM: { fix: 'Use SHA1, SHA256 or SHA512.' },
    URI_DIGITS: { fix: 'Use 6, 7 or 8 digits.' },
    URI_PERIOD: { fix: 'Use a period of 1–3600 seconds, and none in an HOTP URI.' },
    URI_COUNTER: { fix: 'HOTP URIs need `counter`; TOTP URIs must not have one.' },
    URI_ISSUER: { fix: 'Make the label prefix and the `issuer` parameter the same.' },
  },
  ChainFailure: {
    'signer-certificate-not-found': {
      meaning: 'EF.SOD holds no document signer certificate matching its signer.',
      fix: 'The SOD is damaged or not from a genuine chip.',
    },
    'no-issuer-in-trust-store': {
      meaning: 'No CSCA in the trust store issued the document signer.',
      fix: 'Load the CSCA Vietnam certificate (`vietnamCsca()`) or a current ICAO master list; a test card needs its test CSCA.',
    },
    'issuer-signature-invalid': {
      meaning: "The document signer's certificate signature does not verify with the CSCA's key.",
      fix: 'A forged or re-signed document signer: reject the card.',
    },
    'unsupported-issuer-key': {
      meaning: "The CSCA's key type or curve is not supported.",
      fix: 'Report the CSCA; the verdict stays failed.',
    },
    'unsupported-algorithm': {
      meaning: 'A signature or digest algorithm in the chain is not supported.',
      fix: 'Report the algorithm OID; the verdict stays failed.',
    },
  },
  ValidityFailure: {
    'dsc-expired': {
      meaning: 'The document signer certificate has expired at the checked time.',
      fix: 'With the `now` policy an old card fails; `validityPolicy: "signing-time"` checks at the SOD’s signing time instead, for cards signed while it was valid.',
    },
    'dsc-not-yet-valid': {
      meaning: 'The document signer certificate is not valid yet at the checked time.',
      fix: 'Check the clock of the verifying machine.',
    },
    'csca-expired': {
      meaning: 'The CSCA has expired at the checked time.',
      fix: 'Load the current CSCA or master list.',
    },
    'csca-not-yet-valid': {
      meaning: 'The CSCA is not valid yet at the checked time.',
      fix: 'Check the clock of the verifying machine.',
    },
    'signing-time-outside-dsc-validity': {
      meaning: "The SOD's signing time lies outside the document signer's validity.",
      fix: 'A badly issued or forged SOD: reject the card.',
    },
    'dsc-issued-outside-csca-key-usage': {
      meaning: "The document signer was issued outside the CSCA's private key usage period.",
      fix: 'A badly issued or forged document signer: reject the card.',
    },
    'no-certificate': {
      meaning: 'There is no certificate to check the validity of (the chain failed before).',
      fix: 'Fix the chain failure first.',
    },
  },
  DataGroupStatus: {
    match: { fix: 'Nothing: the data group is as signed.' },
    mismatch: {
      fix: 'The data group was altered after issuance (or misread): read again; if it repeats, reject the card.',
    },
    unread: { fix: 'Nothing, if you did not need that data group; read it to have it verified.' },
    'not-in-sod': { fix: 'The file is not covered by the signature: do not rely on its content.' },
  },
  AaFailureReason: {
    SIGNATURE_LENGTH: {
      fix: 'The chip’s answer does not match its DG15 key: a cloned chip or a broken read; read again.',
    },
    SIGNATURE_OUT_OF_RANGE: { fix: 'A cloned chip or a broken read; read again.' },
    HEADER: { fix: 'A cloned chip or a broken read; read again.' },
    TRAILER: { fix: 'A cloned chip or a broken read; read again.' },
    UNSUPPORTED_HASH: { fix: 'Report the hash the chip uses; the verdict stays failed.' },
    MESSAGE_LENGTH: { fix: 'A cloned chip or a broken read; read again.' },
    DIGEST_MISMATCH: {
      fix: 'The chip did not sign our challenge with the DG15 key: a cloned chip. Reject it if it repeats.',
    },
    SIGNATURE_FORMAT: { fix: 'A cloned chip or a broken read; read again.' },
    SIGNATURE_INVALID: {
      fix: 'The chip did not sign our challenge with the DG15 key: a cloned chip. Reject it if it repeats.',
    },
  },
  ClientErrorCode: {
    network_error: {
      fix: 'No answer from the server after the retries: check connectivity, the issuer URL and CORS; retry later.',
    },
    unexpected_response: {
      fix: 'The server or a proxy answered outside the contract: check the issuer URL; report it with the `requestId`.',
    },
    unknown: {
      fix: 'The server is newer than this client: look `serverCode` up in its documentation and update `@vneid/client`.',
    },
    aborted: { fix: 'Your `AbortSignal` fired.' },
    invalid_argument: argument,
    state_mismatch: {
      fix: 'The callback is not the answer to the request you stored (a second tab, a replayed link): start the login again.',
    },
    issuer_mismatch: {
      fix: 'A mix-up attack or a misconfigured issuer: check the `issuer` option; start the login again.',
    },
    authorization_denied: {
      fix: 'The user refused or the provider failed (`serverCode` has the OAuth error): offer to log in again.',
    },
    invalid_grant: {
      fix: 'The code was used already or expired (60 s): start the login again; do not retry the token request.',
    },
    authorization_request_expired: { fix: 'The user took too long: start the login again.' },
    oauth_error: {
      fix: 'Check the client registration (keys, redirect URI, DPoP) against the provider; the message names the check that failed.',
    },
    decryption_failed: {
      fix: 'Legacy profile: check `encrypt_key` and your RSA private key; the envelope may have been tampered with.',
    },
    account_level_too_low: {
      fix: 'Ask the user to raise the account to level 2 (chip-verified) in the VNeID app.',
    },
    evidence_signature_invalid: {
      fix: 'Do not trust the answer: check the issuer’s JWKS URL; a proxy may have altered the evidence.',
    },
  },
};

/** What to do about each server problem code (sandbox and `@vneid/client` alike). */
export const PROBLEM_ADVICE: Record<string, string> = {
  invalid_request:
    'The body, query or path does not match openapi.yaml; `pointer` names the field. Fix the request.',
  unsupported_media_type: 'Send `Content-Type: application/json`.',
  payload_too_large: 'The body is over the operation’s limit (64 KiB unless documented): send less.',
  not_found: 'Check the ID in the path; it may have expired or been cancelled.',
  method_not_allowed: 'Use the method openapi.yaml lists for the path.',
  unauthorized: 'Send a valid session token (`Authorization: Bearer …`); log in again.',
  forbidden: 'The session or partner may not do this.',
  conflict: 'The resource is in another state (already done, cancelled): re-read it and continue from there.',
  invalid_personal_id: 'Ask for the 12-digit number on the card again.',
  registry_mismatch:
    'The data differs from the population registry ("Không đạt"); `fields` names which. Ask the user to check them.',
  already_registered: 'Offer login or password reset instead of registration.',
  terms_not_accepted: 'Send `acceptTerms: true` after the user agreed.',
  password_policy_violation:
    'Show the password policy (in the default profile 8–20 characters with upper and lower case, a digit and one of `!@#$%^*()`); `violations` lists the rules broken.',
  otp_invalid: 'Let the user retype the code; `attemptsRemaining` tells how many tries are left.',
  otp_expired: 'Ask for a new code (resend).',
  otp_attempts_exceeded: 'The challenge is burnt: start the step again for a new code.',
  otp_already_used: 'The challenge was completed already: continue with the next step.',
  otp_resend_too_soon: 'Wait `retryAfter` seconds before resending.',
  otp_send_limit:
    'Too many SMS for this account or number (5 an hour by default): wait `retryAfter` seconds.',
  invalid_credentials:
    'Wrong ID or password; 5 failures in a row lock the account for 15 minutes (default policy).',
  account_locked: 'Wait `retryAfter` seconds, or reset the password.',
  account_not_activated: 'The account must be activated first (see the eID activation flow).',
  card_expired: 'The card expired: the citizen renews it and the account.',
  account_not_identified:
    'The account has no electronic identification yet (level 1): complete eID activation.',
  already_activated: 'Nothing to do: the account is active.',
  device_bound_elsewhere: 'The device is bound to another account: that account must unbind it first.',
  new_device_challenge_required:
    'Log in on a new device: answer the challenge (OTP on the bound device or chip proof).',
  session_superseded: 'Another device was bound: log in again on this one (which unbinds the other).',
  session_expired: 'Log in again.',
  passcode_invalid: 'Let the user retype the passcode; `attemptsRemaining` tells how many tries are left.',
  passcode_locked:
    'Too many wrong passcodes: the passcode stays locked until it is reset (`POST /v1/passcode/reset`, OTP to the registered phone).',
  passcode_policy_violation:
    'Choose 6 digits that are not trivial (one digit repeated, a run like 123456, a short repeated pattern); `rule` says which rule failed.',
  security_answer_invalid: 'Let the user answer again.',
  level_insufficient: 'The operation needs a level-2 (chip-verified) account.',
  chip_verification_failed:
    'Passive authentication of the submitted chip data failed (`reason`): read the card again.',
  evidence_mismatch: 'The chip data belongs to another person than the applicant: check the card.',
  share_request_expired: 'Create a new share request.',
  partner_auth_failed: 'Check the partner request signature (key, covered fields, clock skew).',
  nonce_replayed: 'Use a fresh nonce for every signed request.',
  rate_limited: 'Wait `retryAfter` seconds.',
  idempotency_key_reused:
    'An `Idempotency-Key` names one request: use a fresh key for a request with another body (the client makes one per POST by default).',
  fault_injected: 'A fault set through `POST /__sandbox/faults` (tests only): clear it.',
  internal_error: 'A bug in the server: report it with the `requestId`.',
};
