import type { RequestOptions } from '../../../shared/api';
import type { Encoding } from '../../../shared/segments';
import type { HttpFailure } from './http-failure';

/** One personalized message, as both send APIs need it. */
export interface OutgoingMessage {
  /**
   * Our reference of the row (`<campaign>.<row>`, `<campaign>.t<test>` for a test): sent as the correlation id
   * and as callbackData, which every delivery report echoes even where it leaves the correlation id empty.
   */
  ref: string;
  /** E.164 with its plus sign; the service's setting decides whether the plus goes out. */
  msisdn: string;
  text: string;
  encoding: Encoding;
  senderid: string;
  /** Every smartlink the text uses, as `{{link_<id>}}`, with its validity in minutes. */
  smartlinks: readonly { linkid: string; validityMinutes: number }[];
  /** The campaign's request options, template parameters filled in for the row; each API maps those it takes. */
  options: RequestOptions;
  /**
   * Stable per row and attempt (`<campaign>.<row>.<attempt>`), reused on every retry of that attempt: an API that
   * takes one (the Send SMS API) sends a repeat of it no second time.
   */
  idempotencyKey: string;
}

export interface DestinationResult {
  /** The platform's code for this destination: 1001 queued, 7020 throttled, others refused; '' for no entry. */
  code: string;
  description: string;
  transid: string | null;
}

export type SendOutcome =
  /** The service read the request: one result per message, in the order sent. */
  | { kind: 'answered'; results: DestinationResult[] }
  /** The tenant's rate was exceeded (7020, or an HTTP 429 should one ever come): nothing was queued. */
  | { kind: 'throttled'; retryAfterMs: number | null }
  /**
   * Refused as a whole, nothing queued: `service` (the key, the service), `request` (our request is malformed)
   * or `other` (any other code, kept with its description).
   */
  | { kind: 'refused'; scope: 'service' | 'request' | 'other'; code: string | null; description: string }
  | HttpFailure;

/** An HTTP request to a send API, as it goes out. */
export interface PlatformRequest {
  method: 'POST';
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A send API as the engine uses it. */
export interface PlatformClient {
  /** How many messages one request may carry. */
  readonly perRequest: number;
  /** A request whose answer was lost may be sent again as it was: the service will not send it twice. */
  readonly idempotent: boolean;
  /** The request `send` makes for these messages. */
  request(messages: readonly OutgoingMessage[], notifyUrl: string): PlatformRequest;
  send(messages: readonly OutgoingMessage[], notifyUrl: string): Promise<SendOutcome>;
}
