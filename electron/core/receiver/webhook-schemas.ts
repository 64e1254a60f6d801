import { z } from 'zod';
import { statusFromDeliveryReport, type DeliveryOutcome } from '../../../shared/status';

export interface DeliveryReport {
  status: DeliveryOutcome | null;
  deliveryStatus: string;
  code: string;
  description: string;
  transid: string | null;
  correlationid: string | null;
  carrier: string | null;
  destination: string | null;
  timestamp: string | null;
  raw: unknown;
}

export interface IncomingMessage {
  from: string;
  to: string | null;
  text: string;
  receivedAt: string | null;
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
});

function blankToNull(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value;
}

/** Read by hand rather than with a schema: it runs for every report, thousands of times a second. */
export function parseDeliveryReports(body: unknown): DeliveryReport[] | string {
  const items = Array.isArray(body) ? body : [body];
  const reports: DeliveryReport[] = [];
  for (const raw of items) {
    const n = withLowerKeys(withLowerKeys(raw)?.deliveryinfonotification);
    const info = withLowerKeys(n?.deliveryinfo);
    if (!n || !info) return 'not a delivery report: no deliveryInfoNotification.deliveryInfo object';
    const fields = {
      deliveryStatus: field(info.deliverystatus),
      code: field(info.code),
      description: field(info.description),
      timestamp: field(info.timestamp),
      destination: field(info.destination),
      transid: field(n.transid),
      correlationid: field(n.correlationid),
      carrier: field(n.carrier),
    };
    const bad = Object.entries(fields).find(([, value]) => value === INVALID);
    if (bad) return `not a delivery report: ${bad[0]} is not a text of at most ${MAX_TEXT} characters`;
    const f = fields as Record<keyof typeof fields, string | undefined>;
    if (f.deliveryStatus === undefined || f.code === undefined)
      return 'not a delivery report: deliveryStatus and code are required';
    reports.push({
      status: statusFromDeliveryReport(f.deliveryStatus, f.code),
      deliveryStatus: f.deliveryStatus,
      code: f.code,
      description: f.description ?? f.deliveryStatus,
      transid: blankToNull(f.transid),
      correlationid: blankToNull(f.correlationid),
      carrier: blankToNull(f.carrier),
      destination: blankToNull(f.destination),
      timestamp: blankToNull(f.timestamp),
      raw,
    });
  }
  return reports;
}

const INVALID = Symbol('invalid');

/** The object's own keys in lower case (the platform's samples disagree on casing); null for non-objects. */
function withLowerKeys(value: unknown): Record<string, unknown> | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const lowered: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) lowered[key.toLowerCase()] = v;
  return lowered;
}

function field(value: unknown): string | undefined | typeof INVALID {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return INVALID;
  const text = String(value);
  return text.length > MAX_TEXT ? INVALID : text;
}

export function parseIncomingMessage(body: unknown): IncomingMessage | string {
  const parsed = MoBody.safeParse(withLowerKeys(body));
  if (!parsed.success) return `not an incoming message: ${z.prettifyError(parsed.error).split('\n')[0]}`;
  const from = blankToNull(parsed.data.oa);
  if (!from) return 'not an incoming message: no sender (oa)';
  return {
    from,
    to: blankToNull(parsed.data.da),
    text: parsed.data.message,
    receivedAt: blankToNull(parsed.data.datetime),
    raw: body,
  };
}
