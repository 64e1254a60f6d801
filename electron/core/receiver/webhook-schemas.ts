import { z } from 'zod';
import { statusFromDeliveryReport, type DeliveryOutcome } from '../../../shared/status';

export interface DeliveryReport {
  status: DeliveryOutcome | null;
  deliveryStatus: string;
  code: string;
  description: string;
  transid: string | null;
  correlationid: string | null;
  /** Echoed from the send: our row reference, where the platform leaves the correlation id empty. */
  callbackData: string | null;
  carrier: string | null;
  destination: string | null;
  timestamp: string | null;
  raw: unknown;
}

/**
 * A reply as posted. Which of `oa` and `da` is the customer is decided with the service's numbers in hand
 * (`customerSide`): the 6.20 field table calls `oa` the service's number, its own sample and the older pages the
 * customer's (page "sms-outbound-webhooks").
 */
export interface IncomingMessage {
  oa: string | null;
  da: string | null;
  text: string;
  receivedAt: string | null;
  /** The platform's id of the message: a post it retries carries the same. */
  tid: string | null;
  raw: unknown;
}

const MAX_TEXT = 4096;
const text = z.coerce.string().max(MAX_TEXT);
const optionalText = text.optional();

const MoBody = z.object({
  oa: optionalText,
  da: optionalText,
  message: text,
  datetime: optionalText,
  tid: optionalText,
});

function blankToNull(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value;
}

const DeliveryInfo = z.object({
  deliverystatus: text,
  code: text,
  description: optionalText,
  timestamp: optionalText,
  destination: optionalText,
});
const Notification = z.object({
  transid: optionalText,
  correlationid: optionalText,
  callbackdata: optionalText,
  carrier: optionalText,
});

/** Validated with zod, one level at a time, on keys compared in lower case. */
export function parseDeliveryReports(body: unknown): DeliveryReport[] | string {
  const items = Array.isArray(body) ? body : [body];
  if (items.length === 0) return 'not a delivery report: an empty list';
  const reports: DeliveryReport[] = [];
  for (const raw of items) {
    const n = withLowerKeys(withLowerKeys(raw)?.deliveryinfonotification);
    const info = DeliveryInfo.safeParse(withLowerKeys(n?.deliveryinfo));
    const outer = Notification.safeParse(n);
    if (!n || !info.success || !outer.success) {
      const issue = (!info.success ? info.error : !outer.success ? outer.error : null)?.issues[0];
      return issue
        ? `not a delivery report: ${issue.path.join('.') || 'deliveryInfo'}: ${issue.message}`
        : 'not a delivery report: no deliveryInfoNotification object';
    }
    const d = info.data;
    reports.push({
      status: statusFromDeliveryReport(d.deliverystatus, d.code),
      deliveryStatus: d.deliverystatus,
      code: d.code,
      description: d.description ?? d.deliverystatus,
      transid: blankToNull(outer.data.transid),
      correlationid: blankToNull(outer.data.correlationid),
      callbackData: blankToNull(outer.data.callbackdata),
      carrier: blankToNull(outer.data.carrier),
      destination: blankToNull(d.destination),
      timestamp: withZone(blankToNull(d.timestamp)),
      raw,
    });
  }
  return reports;
}

const NO_ZONE = /^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?$/;

/**
 * Older reports give times without a zone (`2016-07-20T17:13:17.908`) and no page says which zone is meant: they
 * are read as UTC, an inference, so that they order with the zoned ones. The raw payload keeps what was sent.
 */
function withZone(timestamp: string | null): string | null {
  return timestamp !== null && NO_ZONE.test(timestamp.trim()) ? `${timestamp.trim()}Z` : timestamp;
}

/** The object's own keys in lower case (the platform's samples disagree on casing); null for non-objects. */
function withLowerKeys(value: unknown): Record<string, unknown> | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const lowered: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const lower = key.toLowerCase();
    // Assigning `__proto__` would set the prototype (and smuggle fields in); no field of ours has that name.
    if (lower !== '__proto__') lowered[lower] = v;
  }
  return lowered;
}

/** Whether arrays and objects nest deeper than `max` levels (such a payload could not be written back). */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (max === 0) return true;
  for (const child of Object.values(value)) if (nestedDeeperThan(child, max - 1)) return true;
  return false;
}

export function parseIncomingMessage(body: unknown): IncomingMessage | string {
  const parsed = MoBody.safeParse(withLowerKeys(body));
  if (!parsed.success) return `not an incoming message: ${z.prettifyError(parsed.error).split('\n')[0]}`;
  const oa = blankToNull(parsed.data.oa);
  const da = blankToNull(parsed.data.da);
  if (!oa && !da) return 'not an incoming message: no numbers (oa, da)';
  return {
    oa,
    da,
    text: parsed.data.message,
    receivedAt: blankToNull(parsed.data.datetime),
    tid: blankToNull(parsed.data.tid),
    raw: body,
  };
}
