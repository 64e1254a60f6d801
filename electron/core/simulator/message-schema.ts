import { z } from 'zod';
import { TEXT_LIMITS } from '../../../shared/text-limits';

export interface ApiError {
  code: string;
  description: string;
}

/** Descriptions as the documented samples print them (test/fixtures/platform), else the code tables' words. */
export const API_ERRORS = {
  invalidJson: { code: '7000', description: 'Invalid JSON' },
  invalidKey: { code: '7001', description: 'Authentication failed.' },
  missingKey: { code: '7002', description: 'Service key missing' },
  mandatoryMissing: { code: '7003', description: 'Mandatory parameter missing' },
  invalidParameter: { code: '7004', description: 'Invalid parameter' },
  tooManyDestinations: { code: '7009', description: 'Maximum number of destinations reached' },
  throttled: { code: '7020', description: 'You have reached maximum transaction limit' },
  jsonTooLarge: { code: '7022', description: 'JSON size exceeded' },
  invalidSender: { code: '7101', description: 'Invalid sender ID' },
  invalidAddress: { code: '7102', description: 'Invalid destination address' },
  lengthExceeded: { code: '7107', description: 'Message length exceeded' },
} as const satisfies Record<string, ApiError>;

export const MAX_DESTINATIONS_PER_REQUEST = 1000;
/** `type`: "1" text (GSM-7, the default), "3" binary, "4" Unicode; a string on the page. */
const MESSAGE_TYPES = new Set(['1', '3', '4']);

/** `priority`: "1" low, "2" medium, "3" high; "requests that contain invalid values in priority fields will be rejected". */
const PRIORITIES = new Set(['1', '2', '3']);

const MSISDN = /^\+?\d{6,15}$/;
const SMART_LINK = /\{\{link_([^}]*)\}\}/g;

const smartlinkSchema = z.looseObject({
  linkid: z.union([z.number(), z.string()]),
  validity: z.union([z.number(), z.string()]),
});

export type Smartlink = z.infer<typeof smartlinkSchema>;

const destinationSchema = z.looseObject({
  msisdn: z.union([z.string(), z.array(z.unknown())]).optional(),
  correlationid: z.string().optional(),
});

const messageSchema = z.looseObject({
  deliverychannel: z.string().optional(),
  channels: z
    .looseObject({
      sms: z
        .looseObject({
          text: z.string().optional(),
          senderid: z.string().optional(),
          type: z.unknown().optional(),
          extras: z.looseObject({ dlt_templateid: z.string().optional() }).optional(),
        })
        .optional(),
      smartlinks: z.array(smartlinkSchema).optional(),
    })
    .optional(),
  destination: z.array(z.unknown()).optional(),
  correlationid: z.string().optional(),
  notifyurl: z.string().optional(),
  callbackData: z.string().max(2000).optional(),
  expiry: z.string().optional(),
  priority: z.unknown().optional(),
  message: z
    .looseObject({ template: z.string(), parameters: z.record(z.string(), z.string()).optional() })
    .optional(),
});

/** The request options a message came with, whichever API's fields carried them. */
export interface ReceivedOptions {
  expiry?: string;
  priority?: string;
  template?: string;
  parameters?: Record<string, string>;
  dltTemplateId?: string;
}

export interface QueueableMessage {
  text: string;
  type: '1' | '3' | '4';
  senderid: string;
  callbackData: string;
  notifyurl?: string;
  smartlinks?: Smartlink[];
  options: ReceivedOptions;
  /** The message object as it arrived. */
  body: unknown;
}

export type DestinationOutcome =
  | { queued: true; msisdn: string; correlationid: string; message: QueueableMessage }
  | { queued: false; error: ApiError; correlationid?: string };

/**
 * Checks one message object of a send request and returns one outcome per destination msisdn, in order.
 * A message that is not an object, or whose fields have the wrong types, yields a single 7004 outcome:
 * its destinations cannot be trusted enough to answer for each of them.
 */
export interface MessageRules {
  /** Every destination must carry its `+` (the tenant's "+E.164 format"). */
  requirePlus?: boolean;
  /** The most characters a text may have; Messaging API v1's by default. */
  maxTextLength?: number;
}

export function checkMessage(
  raw: unknown,
  { requirePlus = false, maxTextLength = TEXT_LIMITS.messaging.max }: MessageRules = {},
): DestinationOutcome[] {
  const parsed = messageSchema.safeParse(raw);
  if (!parsed.success) return [{ queued: false, error: API_ERRORS.invalidParameter }];
  const message = parsed.data;
  const destinations = message.destination ?? [];
  if (destinations.length === 0) {
    return [
      {
        queued: false,
        error: API_ERRORS.mandatoryMissing,
        ...(message.correlationid !== undefined && { correlationid: message.correlationid }),
      },
    ];
  }

  const messageError = messageLevelError(message, maxTextLength);
  const queueable: QueueableMessage = {
    text: message.channels?.sms?.text ?? '',
    type: (message.channels?.sms?.type ?? '1') as QueueableMessage['type'],
    senderid: message.channels?.sms?.senderid ?? '',
    callbackData: message.callbackData ?? '',
    ...(message.notifyurl !== undefined && { notifyurl: message.notifyurl }),
    ...(message.channels?.smartlinks !== undefined && { smartlinks: message.channels.smartlinks }),
    options: receivedOptions(message),
    body: raw,
  };

  return destinations.flatMap((rawDestination): DestinationOutcome[] => {
    const destination = destinationSchema.safeParse(rawDestination);
    if (!destination.success) return [{ queued: false, error: API_ERRORS.invalidParameter }];
    const correlationid = destination.data.correlationid ?? message.correlationid ?? '';
    const { msisdn } = destination.data;
    const msisdns = typeof msisdn === 'string' ? [msisdn] : (msisdn ?? []);
    if (msisdns.length === 0) return [{ queued: false, error: API_ERRORS.mandatoryMissing, correlationid }];

    return msisdns.map((address): DestinationOutcome => {
      if (messageError) return { queued: false, error: messageError, correlationid };
      if (typeof address !== 'string' || !MSISDN.test(address) || (requirePlus && !address.startsWith('+'))) {
        return { queued: false, error: API_ERRORS.invalidAddress, correlationid };
      }
      return { queued: true, msisdn: address, correlationid, message: queueable };
    });
  });
}

function receivedOptions(message: z.infer<typeof messageSchema>): ReceivedOptions {
  const dltTemplateId = message.channels?.sms?.extras?.dlt_templateid;
  return {
    ...(message.expiry !== undefined && { expiry: message.expiry }),
    ...(typeof message.priority === 'string' && { priority: message.priority }),
    ...(message.message !== undefined && { template: message.message.template }),
    ...(message.message?.parameters !== undefined && { parameters: message.message.parameters }),
    ...(dltTemplateId !== undefined && { dltTemplateId }),
  };
}

function messageLevelError(
  message: z.infer<typeof messageSchema>,
  maxTextLength: number,
): ApiError | undefined {
  const sms = message.channels?.sms;
  if (message.deliverychannel === undefined || sms?.text === undefined) return API_ERRORS.mandatoryMissing;
  if (message.deliverychannel.toLowerCase() !== 'sms') return API_ERRORS.invalidParameter;
  if (sms.type !== undefined && !(typeof sms.type === 'string' && MESSAGE_TYPES.has(sms.type)))
    return API_ERRORS.invalidParameter;
  if (
    message.priority !== undefined &&
    !(typeof message.priority === 'string' && PRIORITIES.has(message.priority))
  )
    return API_ERRORS.invalidParameter;
  if (message.expiry !== undefined && Number.isNaN(Date.parse(message.expiry)))
    return API_ERRORS.invalidParameter;
  if (Array.from(sms.text).length > maxTextLength) return API_ERRORS.lengthExceeded;
  if (sms.senderid !== undefined && sms.senderid.trim() === '') return API_ERRORS.invalidSender;
  const declaredLinks = new Set((message.channels?.smartlinks ?? []).map((link) => String(link.linkid)));
  for (const [, linkid] of sms.text.matchAll(SMART_LINK)) {
    if (!declaredLinks.has(linkid ?? '')) return API_ERRORS.invalidParameter;
  }
  return undefined;
}
