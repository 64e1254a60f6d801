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

const text = z.coerce.string().max(4096);
const optionalText = text.optional();

const DrBody = z.object({
  deliveryinfonotification: z.object({
    deliveryinfo: z.object({
      deliverystatus: text,
      code: text,
      description: optionalText,
      timestamp: optionalText,
      destination: optionalText,
    }),
    transid: optionalText,
    correlationid: optionalText,
    carrier: optionalText,
  }),
});

const MoBody = z.object({
  oa: optionalText,
  da: optionalText,
  message: text,
  datetime: optionalText,
});

/** The platform's samples disagree on key casing, so keys are compared in lower case. */
function lowerKeys(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => lowerKeys(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k.toLowerCase(), lowerKeys(v, depth + 1)]),
  );
}

function blankToNull(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value;
}

export function parseDeliveryReports(body: unknown): DeliveryReport[] | string {
  const items = Array.isArray(body) ? body : [body];
  const reports: DeliveryReport[] = [];
  for (const raw of items) {
    const parsed = DrBody.safeParse(lowerKeys(raw));
    if (!parsed.success) return `not a delivery report: ${z.prettifyError(parsed.error).split('\n')[0]}`;
    const n = parsed.data.deliveryinfonotification;
    const info = n.deliveryinfo;
    reports.push({
      status: statusFromDeliveryReport(info.deliverystatus, info.code),
      deliveryStatus: info.deliverystatus,
      code: info.code,
      description: info.description ?? info.deliverystatus,
      transid: blankToNull(n.transid),
      correlationid: blankToNull(n.correlationid),
      carrier: blankToNull(n.carrier),
      destination: blankToNull(info.destination),
      timestamp: blankToNull(info.timestamp),
      raw,
    });
  }
  return reports;
}

export function parseIncomingMessage(body: unknown): IncomingMessage | string {
  const parsed = MoBody.safeParse(lowerKeys(body));
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
