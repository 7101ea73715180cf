/**
 * @module
 * The `share` namespace: data-sharing requests of a partner (signed requests), their universal
 * link and QR payload, the callback parser for both observed forms, and polling the status.
 */
import type { ClientContext } from '../options.ts';
import { parseShareCallback, type ShareCallback } from './callback.ts';

export type { ShareCallback, ShareResult } from './callback.ts';

export interface ShareNamespace {
  /** Parses the callback URL (`…/<code>|<result>` or `?transactionCode=&result=`). */
  parseCallback(url: string | URL): ShareCallback;
}

export function createShareNamespace(_ctx: ClientContext): ShareNamespace {
  return { parseCallback: parseShareCallback };
}
