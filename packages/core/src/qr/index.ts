/**
 * @module
 * `@vneid/core/qr`: the text of the CCCD front QR and the 2024 Căn cước back QR
 * (SPEC-NOTES §1) — parse, format, cross-check against the ID number. Text only: the image
 * scanner lives behind `@vneid/core/scan`.
 */
export {
  type CccdQrData,
  type CccdQrFields,
  formatCccdQr,
  type ParseCccdQrOptions,
  parseCccdQr,
} from './cccd-qr.ts';
export {
  CccdQrError,
  type CccdQrErrorCode,
  type CccdQrErrorContext,
  type CccdQrField,
  type QrWarning,
  type QrWarningCode,
} from './cccd-qr-error.ts';
