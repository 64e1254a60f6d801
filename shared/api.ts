/** The one contract between the renderer and the core: every call and every pushed event. */
import { z } from 'zod';
import type { EVENT_NAMES } from './event-names';
import { PRIORITIES } from './request-options';
import { MAX_VALIDITY_MINUTES, VALIDITY_UNITS, validityMinutes } from './smartlinks';
import { INSECURE_URL, keySafeUrl } from './service-url';
import { ROW_STATUSES } from './status';
import { SendWindow } from './send-window';

const Id = z.string().min(1).max(200);

export const SKIP_REASONS = [
  'missing-number',
  'invalid-number',
  'opted-out',
  'duplicate',
  'missing-value',
  /** The file's time-zone column names no zone for the row (an IANA name such as America/New_York). */
  'unknown-time-zone',
  /** The number already had as many messages through the service as its frequency cap allows. */
  'frequency-cap',
] as const;
export const SkipReason = z.enum(SKIP_REASONS);
export type SkipReason = z.infer<typeof SkipReason>;

export const RowStatus = z.enum(ROW_STATUSES);

/** How the platform's delivery reports and replies reach this laptop. */
export const TUNNEL_KINDS = ['none', 'localtunnel', 'public-url', 'ngrok'] as const;
export const TunnelKind = z.enum(TUNNEL_KINDS);
export type TunnelKind = z.infer<typeof TunnelKind>;

const HttpUrl = z.url({ protocol: /^https?$/ });

export const TunnelInput = z.discriminatedUnion('kind', [
  /** Reports go to the local receiver: for services on this machine (the Sandbox, a local simulator). */
  z.object({ kind: z.literal('none') }),
  /** `host`: the localtunnel server; by default the public one, https://localtunnel.me. */
  z.object({ kind: z.literal('localtunnel'), host: HttpUrl.optional() }),
  /** A URL the user made reach the receiver (reverse proxy, port forward): it stands for the receiver's root. */
  z.object({ kind: z.literal('public-url'), url: HttpUrl }),
  /** `authtoken` omitted: keep the stored one. `domain`: a reserved ngrok domain, optional. */
  z.object({
    kind: z.literal('ngrok'),
    authtoken: z.string().trim().min(1).max(500).optional(),
    domain: z.string().trim().max(253).optional(),
  }),
]);
export type TunnelInput = z.infer<typeof TunnelInput>;

/** A service's tunnel as the renderer sees it: never the ngrok token, only its masked hint. */
export const TunnelSettingsView = z.object({
  kind: TunnelKind,
  /** The localtunnel host, the public URL or the ngrok domain; null when not set. */
  target: z.string().nullable(),
  tokenHint: z.string().nullable(),
});
export type TunnelSettingsView = z.infer<typeof TunnelSettingsView>;

/**
 * Which send API a service uses: Messaging API v1 (`/resources/v1/messaging`, batches) or the Send SMS API
 * (`/v1/sms/messages`, one message a request, retried safely with an Idempotency-Key).
 */
export const SEND_APIS = ['messaging', 'sms'] as const;
export const SendApi = z.enum(SEND_APIS);
export type SendApi = z.infer<typeof SendApi>;

export const DEFAULT_CURRENCY = 'USD';
export const Currency = z
  .string()
  .trim()
  .transform((c) => c.toUpperCase())
  .pipe(z.string().regex(/^[A-Z]{3}$/, 'a three-letter currency code such as USD or EUR'));

/** At most `messages` messages to one number through a service in any `days` days. */
export const FrequencyCap = z.object({
  messages: z.number().int().min(1).max(100),
  days: z.number().int().min(1).max(90),
});
export type FrequencyCap = z.infer<typeof FrequencyCap>;

export const ServiceView = z.object({
  id: Id,
  name: z.string(),
  kind: z.enum(['sandbox', 'imiconnect']),
  baseUrl: z.string(),
  /** A masked hint such as `••••3f9a`; the key itself never leaves the core. */
  keyHint: z.string().nullable(),
  rate: z.number(),
  pricePerSegment: z.number(),
  /** The ISO 4217 code the price per segment is in. */
  currency: z.string(),
  api: SendApi,
  /** Destinations go out as `+44…` (required by tenants with "+E.164 format" on) or as `44…`. */
  numbersWithPlus: z.boolean(),
  tunnel: TunnelSettingsView,
  /** When its messages may reach a recipient, on the recipient's clock; null: at any hour. */
  sendWindow: SendWindow.nullable(),
  /** Null: no cap (the default). */
  frequencyCap: FrequencyCap.nullable(),
});
export type ServiceView = z.infer<typeof ServiceView>;

/** What checking a service's key found. The check sends no message to anyone. */
export const KeyCheck = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('valid') }),
  /** `code` null when the refusal came as a bare HTTP status (401, 403). */
  z.object({ kind: z.literal('refused'), code: z.string().nullable(), description: z.string() }),
  /** `reason` in words; `detail` the network error as it came, for the Details toggle. */
  z.object({ kind: z.literal('unreachable'), reason: z.string(), detail: z.string().nullable() }),
  /** An answer that does not say whether the key is good, as it came back. */
  z.object({ kind: z.literal('unclear'), answer: z.string(), detail: z.string().nullable() }),
]);
export type KeyCheck = z.infer<typeof KeyCheck>;

export const TunnelState = z.enum(['off', 'connecting', 'open', 'reconnecting', 'failed']);
export type TunnelState = z.infer<typeof TunnelState>;

export const TunnelStatus = z.object({
  serviceId: Id,
  kind: TunnelKind,
  state: TunnelState,
  /** The public base URL while open (without the receiver's secret path). */
  publicUrl: z.string().nullable(),
  /** Whether the last probe sent through the public URL reached the receiver; null before any probe. */
  reachable: z.boolean().nullable(),
  checkedAt: z.string().nullable(),
  /** Why the tunnel is down or unreachable, in words a user can act on; never a token. */
  error: z.string().nullable(),
  /** The technical account behind `error` (a network error's code), for the Details toggle; never a token. */
  errorDetail: z.string().nullable(),
  /** The URL to give the platform for delivery reports, and for replies (the service's MO notify URL). */
  drUrl: z.string(),
  moUrl: z.string(),
});
export type TunnelStatus = z.infer<typeof TunnelStatus>;

/** What the receiver has taken in since the app started. */
/** What a bounded file deleted to stay within its bound, over its whole life. */
export const DroppedNote = z.object({
  count: z.number(),
  /** The bound, in bytes, on the file and the older files kept beside it. */
  limitBytes: z.number(),
});
export type DroppedNote = z.infer<typeof DroppedNote>;

/**
 * Lines of a log that could not be read (bad JSON or UTF-8, cut short, not an entry), found when it was opened.
 * The file is left as it is; `notes` say in plain sentences where the lines are and what was assumed about them.
 */
export const StoredFileDamage = z.object({
  file: z.enum(['Inbox', 'Opt-out list']),
  lines: z.number().int().min(1),
  notes: z.array(z.string()).min(1).max(4),
});
export type StoredFileDamage = z.infer<typeof StoredFileDamage>;

export const InboxDropped = DroppedNote.extend({
  /** When the oldest reply still kept was received (ISO); null when none is. */
  keptSince: z.string().nullable(),
});
export type InboxDropped = z.infer<typeof InboxDropped>;

export const ReceiverStats = z.object({
  deliveryReports: z.number(),
  replies: z.number(),
  /** Reports whose correlation id and transid match no row: kept in unmatched-reports.ndjson. */
  unmatched: z.number(),
  /** Posts refused as malformed, oversized or not a report. */
  rejected: z.number(),
  /** Posts refused because their source sent too many. */
  rateLimited: z.number(),
  /** The oldest unmatched reports deleted to keep their file bounded; null while none were. */
  unmatchedDropped: DroppedNote.nullable(),
  /** The payloads of the oldest reports deleted (what each report said stays in its campaign). */
  payloadsDropped: DroppedNote.nullable(),
  /** The oldest refused posts deleted (or, under a flood, not kept) to keep their file bounded. */
  rejectedDropped: DroppedNote.nullable(),
});
export type ReceiverStats = z.infer<typeof ReceiverStats>;

/** Whether the computer must stay awake (a campaign is sent, or starts within minutes), and whether the shell can see to it. */
export const PowerStatus = z.object({
  needed: z.boolean(),
  /** The desktop app can; a browser tab cannot keep the computer from sleeping. */
  canKeepAwake: z.boolean(),
});
export type PowerStatus = z.infer<typeof PowerStatus>;

export const ServiceInput = z.object({
  id: Id.optional(),
  name: z.string().trim().min(1).max(100),
  baseUrl: z.url({ protocol: /^https?$/ }).refine(keySafeUrl, INSECURE_URL),
  /** Omitted: keep the stored key, which is bound to the host it was entered for. */
  key: z.string().trim().min(1).max(500).optional(),
  /**
   * With no key and a base URL on another host than before: the new host (see `keyHost`), confirming that
   * the stored key may be sent there. Without it such a save is refused.
   */
  keepKeyForHost: z.string().max(300).optional(),
  rate: z.number().int().min(1).max(10_000).default(10),
  pricePerSegment: z.number().min(0).max(100).default(0),
  /** Omitted: keep the stored one (US dollars for a new service). */
  currency: Currency.optional(),
  api: SendApi.default('messaging'),
  numbersWithPlus: z.boolean().default(true),
  /** Omitted: keep the stored tunnel (none for a new service). */
  tunnel: TunnelInput.optional(),
  /** Omitted: keep the stored window (08:00–21:00 every day for a new service); null: any hour. */
  sendWindow: SendWindow.nullable().optional(),
});

export const Smartlink = z
  .object({
    linkid: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, _ or -'),
    validity: z.number().int().min(1),
    /** Campaigns saved before units were offered gave the validity in days. */
    unit: z.enum(VALIDITY_UNITS).default('days'),
  })
  .refine((l) => validityMinutes(l) <= MAX_VALIDITY_MINUTES, {
    message: 'a smartlink stays valid for ten years at most',
    path: ['validity'],
  });
export type Smartlink = z.infer<typeof Smartlink>;

const PARAMETER_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** What goes with every message besides its text; an option left out is not sent at all. */
export const RequestOptions = z.object({
  /** After it the platform no longer tries to deliver; kept in UTC, as both APIs read it. */
  expiry: z.iso
    .datetime({
      offset: true,
      error: 'The expiry is a date and time with its zone, such as 2030-01-31T18:00:00Z.',
    })
    .transform((at) => new Date(at).toISOString())
    .optional(),
  /** Messaging API v1 only: the Send SMS API documents no priority. */
  priority: z.literal(PRIORITIES, { error: 'The priority is 1 (low), 2 (medium) or 3 (high).' }).optional(),
  /** A template set up on the platform; parameter values may hold `$(column)` placeholders, filled in per row. */
  template: z
    .object({
      id: z
        .string()
        .trim()
        .regex(/^\S{1,100}$/, 'A template ID is 1 to 100 characters without spaces.'),
      parameters: z
        .record(z.string(), z.string().max(1000, 'A template parameter value is at most 1000 characters.'))
        .refine(
          (p) => Object.keys(p).every((name) => PARAMETER_NAME.test(name)),
          'A template parameter name is 1 to 100 letters, digits, _, - or .',
        )
        .refine((p) => Object.keys(p).length <= 50, 'A template takes at most 50 parameters.')
        .default({}),
    })
    .optional(),
  /** India's DLT template id: the number the DLT portal gave the approved template. */
  dltTemplateId: z
    .string()
    .trim()
    .regex(/^\d{1,30}$/, 'A DLT template ID is the number the DLT portal gave the template (digits only).')
    .optional(),
});
export type RequestOptions = z.output<typeof RequestOptions>;

export const CampaignState = z.enum([
  'draft',
  'scheduled',
  'sending',
  'paused',
  'completed',
  'stopped',
  'cancelled',
]);
export type CampaignState = z.infer<typeof CampaignState>;

export const StatusCounts = z.partialRecord(RowStatus, z.number());
export type StatusCounts = z.infer<typeof StatusCounts>;

/** The last test message of a campaign and what became of it. */
export const TestSendView = z.object({
  row: z.number().int(),
  msisdn: z.string(),
  status: RowStatus,
  code: z.string().nullable(),
  description: z.string().nullable(),
  at: z.string(),
});
export type TestSendView = z.infer<typeof TestSendView>;

/** How much of a column's sampled non-empty cells are valid numbers, and known mobiles among them (0..1). */
export const PhoneColumnScore = z.object({
  column: z.number().int(),
  share: z.number(),
  /** Absent when the numbering plans cannot tell mobiles from landlines (the US, Canada…). */
  mobileShare: z.number().optional(),
});
export type PhoneColumnScore = z.infer<typeof PhoneColumnScore>;

/** The column found to hold the phone numbers for the default country, and the next best one when close. */
export const PhoneColumnChoice = PhoneColumnScore.extend({ runnerUp: PhoneColumnScore.nullable() });
export type PhoneColumnChoice = z.infer<typeof PhoneColumnChoice>;

/** Where a campaign's rows came from when it was made from another campaign. */
export const CampaignOrigin = z.object({
  /** `copy`: a duplicate; `failed-rows`: the rows that failed in the source, to send again. */
  kind: z.enum(['copy', 'failed-rows']),
  campaignId: Id,
  campaignName: z.string(),
});
export type CampaignOrigin = z.infer<typeof CampaignOrigin>;

/** Whose send window a campaign keeps: its service's, none at all, or its own. */
export const CampaignWindow = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('service') }),
  z.object({ mode: z.literal('off') }),
  z.object({ mode: z.literal('own'), window: SendWindow }),
]);
export type CampaignWindow = z.infer<typeof CampaignWindow>;

export const WindowWait = z.object({
  rows: z.number(),
  /** When their window opens (ISO). */
  opensAt: z.string(),
  /** The time it opens on their clock, "08:00". */
  theirTime: z.string(),
  /** Their zones (a few): one row's number may be in several, and rows of several zones may open at once. */
  zones: z.array(z.string()).max(4),
});
export type WindowWait = z.infer<typeof WindowWait>;

/** How the send window shapes the send: which rows go at once and which wait for their window. */
export const PlanWindow = z.object({
  /** Null: rows go at any hour. */
  window: SendWindow.nullable(),
  /** Where the window comes from. */
  source: z.enum(['service', 'campaign', 'off']),
  /** Rows whose window is open when sending starts. */
  now: z.number(),
  /** The rest, soonest first. */
  waiting: z.array(WindowWait),
  /** When the last waiting row's window opens: the earliest the campaign can finish; null when none waits. */
  lastOpensAt: z.string().nullable(),
  /** Rows with no zone known: their number's country is not in the time-zone data. They go at any hour. */
  zoneUnknown: z.number(),
});
export type PlanWindow = z.infer<typeof PlanWindow>;

/**
 * What the send window would do to the campaign's ready rows if it were sent now (a scheduled campaign: at its
 * time), as the send plan will say it; and why rows could never be sent, which the plan refuses.
 */
export const WindowPreview = PlanWindow.extend({
  /** When it was worked out for (ISO). */
  at: z.string(),
  /** The next time rows move between going at once and waiting, as windows open and shut; null: not before a send. */
  changesAt: z.string().nullable(),
  /** Rows that could never be sent under the window, and why in words; null: every row can be. */
  never: z.object({ rows: z.number(), words: z.string() }).nullable(),
});
export type WindowPreview = z.infer<typeof WindowPreview>;

export const CampaignView = z.object({
  id: Id,
  name: z.string(),
  /** Hidden from History unless archived campaigns are asked for. */
  archived: z.boolean(),
  origin: CampaignOrigin.nullable(),
  createdAt: z.string(),
  fileName: z.string(),
  /** The workbook sheet the rows came from; null for a CSV. */
  sheet: z.string().nullable(),
  /** Every sheet of the workbook (empty for a CSV): with several, another can be imported instead. */
  sheets: z.array(z.string()),
  columns: z.array(z.string()),
  rowCount: z.number(),
  phoneColumn: z.number().int().nullable(),
  /** What the file's content says the phone column is; null when no column is mostly numbers. */
  phoneColumnChoice: PhoneColumnChoice.nullable(),
  timeZoneColumn: z.number().int().nullable(),
  sendWindow: CampaignWindow,
  /** While a run with a send window is under way: when the next shut window opens; null otherwise. */
  nextWindowAt: z.string().nullable(),
  /** A draft or scheduled campaign with ready rows: which go at once and which wait; null otherwise. */
  windowPreview: WindowPreview.nullable(),
  defaultCountry: z.string(),
  template: z.string(),
  senderId: z.string(),
  serviceId: Id,
  smartlinks: z.array(Smartlink),
  requestOptions: RequestOptions,
  state: CampaignState,
  /** Why the campaign cannot be sent as it stands (bad template, no phone column, …); null when it can. */
  problem: z.string().nullable(),
  counts: StatusCounts,
  skipCounts: z.partialRecord(SkipReason, z.number()),
  /** Rows with a placeholder whose cell is empty and has no fallback (skipped as missing-value). */
  emptyValueRows: z.number(),
  /** Numbers written without a leading +: they are read as the default country's. */
  numbersWithoutPlus: z.number(),
  /** The country of more than half the numbers written with a +, if any: a likely default country. */
  plusCountry: z.object({ country: z.string(), callingCode: z.string() }).nullable(),
  totalSegments: z.number(),
  /** How long the ready rows' messages are, beside what the service's API takes (shared/text-limits.ts). */
  messageLength: z.object({
    api: SendApi,
    /** The ready row with the longest message (the first of equals); null when no row is ready. */
    longest: z.object({ row: z.number().int(), characters: z.number() }).nullable(),
    /** Ready rows whose message is longer than the API takes: while there are any, sending is blocked. */
    tooLong: z.number(),
  }),
  estimatedCost: z.number(),
  error: z.string().nullable(),
  /** The technical account behind `error` (a network error's code), for the Details toggle. */
  errorDetail: z.string().nullable(),
  /** When a scheduled campaign starts by itself. */
  scheduledAt: z.string().nullable(),
  /**
   * The scheduled start passed while the computer slept or the app was closed: the campaign waits for the
   * user to send it now, skip the start or pick a new time, rather than starting late by itself.
   */
  startMissed: z.boolean(),
  /** From when the rows whose outcome is unknown may be sent again, if no report settles them first. */
  unknownResendableAt: z.string().nullable(),
  testSend: TestSendView.nullable(),
  /** When sending first began and when it last ended. */
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  /** Set when delivery reports could not reach this laptop for the campaign's service (no tunnel, tunnel down). */
  receiverWarning: z.string().nullable(),
  /** What was assumed about rows where the campaign's journal is damaged, a sentence per damaged line (a few). */
  journalDamage: z.array(z.string()).max(6),
});
export type CampaignView = z.infer<typeof CampaignView>;

export const RowView = z.object({
  index: z.number().int(),
  values: z.array(z.string()),
  msisdn: z.string().nullable(),
  message: z.string(),
  encoding: z.enum(['GSM-7', 'UCS-2']),
  segments: z.number(),
  /** As the send API's text limit counts them (shared/text-limits.ts). */
  characters: z.number(),
  /** The row is ready and its message is longer than the campaign's service's API takes. */
  tooLong: z.boolean(),
  emptyPlaceholders: z.array(z.string()),
  status: RowStatus,
  reason: SkipReason.nullable(),
  /** The zones the row's recipient may be in (one for most numbers); empty when neither number nor file says. */
  timeZones: z.array(z.string()),
  /** The zone came from the file's time-zone column rather than the number. */
  timeZoneFromFile: z.boolean(),
  /**
   * Before a send (a draft, or scheduled): a ready row whose window would be shut if sent now (or at the start),
   * and when it opens (ISO); null otherwise (asked without the service, or its window never opens: see
   * WindowPreview).
   */
  windowOpensAt: z.string().nullable(),
  code: z.string().nullable(),
  description: z.string().nullable(),
  transid: z.string().nullable(),
  sentAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
  /** When the final delivery report arrived (the platform's own time when it gave one). */
  deliveredAt: z.string().nullable(),
});
export type RowView = z.infer<typeof RowView>;

export const RowPatch = RowView.pick({
  index: true,
  status: true,
  code: true,
  description: true,
  transid: true,
  sentAt: true,
  updatedAt: true,
  deliveredAt: true,
});
export type RowPatch = z.infer<typeof RowPatch>;

export type CampaignPatch = z.output<typeof CampaignPatch>;
const CountryCode = z.string().regex(/^[A-Z]{2}$/, 'a two-letter country code such as GB');

export const RowFilter = z.object({
  status: RowStatus.optional(),
  reason: SkipReason.optional(),
  /** Case-insensitive text searched in the cells, the number and the message. */
  search: z.string().max(200).optional(),
});
export type RowFilter = z.infer<typeof RowFilter>;

export const SuppressionEntry = z.object({ msisdn: z.string(), reason: z.string(), addedAt: z.string() });
export type SuppressionEntry = z.infer<typeof SuppressionEntry>;

const CampaignName = z.string().trim().min(1, 'Give the campaign a name.').max(200);

export const CampaignPatch = z.object({
  name: CampaignName.optional(),
  phoneColumn: z.number().int().min(0).optional(),
  /** The column whose cells name each row's time zone; null: every row's zone comes from its number. */
  timeZoneColumn: z.number().int().min(0).nullable().optional(),
  sendWindow: CampaignWindow.optional(),
  defaultCountry: CountryCode.optional(),
  template: z.string().max(4000).optional(),
  senderId: z.string().trim().max(20).optional(),
  serviceId: Id.optional(),
  smartlinks: z.array(Smartlink).max(50).optional(),
  /** Replaces every request option at once: one left out is cleared. */
  requestOptions: RequestOptions.optional(),
});

/** One delivery report as recorded for a row. */
export const DeliveryEvent = z.object({
  /** When the receiver took it in. */
  receivedAt: z.string(),
  /** The platform's own time stamp, when it gave one. */
  reportedAt: z.string().nullable(),
  status: RowStatus,
  code: z.string().nullable(),
  description: z.string().nullable(),
  /** What the code means, from the platform's documented table; null for codes it does not list. */
  meaning: z.string().nullable(),
  carrier: z.string().nullable(),
});
export type DeliveryEvent = z.infer<typeof DeliveryEvent>;

export const InboxEntry = z.object({
  id: z.string(),
  serviceId: z.string(),
  /** The sender as the platform gave it, and in E.164 when it could be read as a number. */
  from: z.string(),
  msisdn: z.string().nullable(),
  to: z.string().nullable(),
  text: z.string(),
  receivedAt: z.string(),
  /** The campaign row last sent to this number through this service, if any. */
  match: z
    .object({
      campaignId: Id,
      campaignName: z.string(),
      row: z.number().int(),
      /** The campaign was deleted since: the reply keeps its name, there is nothing left to open. */
      deleted: z.boolean().optional(),
    })
    .nullable(),
  /** `opted-out`: the reply was an opt-out keyword and the number joined the opt-out list. */
  action: z.enum(['opted-out']).nullable(),
});
export type InboxEntry = z.infer<typeof InboxEntry>;

/** Everything known about one row: what was sent, what came back. */
export const RowDetails = RowView.extend({
  carrier: z.string().nullable(),
  /** What the final code means, from the platform's documented table. */
  meaning: z.string().nullable(),
  secondsToDeliver: z.number().nullable(),
  history: z.array(DeliveryEvent),
  replies: z.array(InboxEntry),
});
export type RowDetails = z.infer<typeof RowDetails>;

export const Dashboard = z.object({
  campaignId: Id,
  counts: StatusCounts,
  /** Rows handed to the service (whatever became of them). */
  sent: z.number(),
  delivered: z.number(),
  /** Rejected, undelivered, failed and expired rows. */
  failed: z.number(),
  /** delivered ÷ sent; null before anything was sent. */
  deliveryRate: z.number().nullable(),
  medianSecondsToDeliver: z.number().nullable(),
  /** Final reports over time, from the first send, in buckets of `bucketSeconds`. */
  bucketSeconds: z.number(),
  timeline: z.array(z.object({ at: z.string(), delivered: z.number(), failed: z.number() })),
  failures: z.array(z.object({ code: z.string().nullable(), meaning: z.string(), count: z.number() })),
  replies: z.number(),
  optOuts: z.number(),
});
export type Dashboard = z.infer<typeof Dashboard>;

const Digest = z.string().regex(/^[a-f0-9]{64}$/, 'a send plan digest');

/** One message exactly as it will go out: its number as the service gets it, its text, smartlinks unexpanded. */
export const PlannedMessage = z.object({
  row: z.number().int(),
  msisdn: z.string(),
  text: z.string(),
  encoding: z.enum(['GSM-7', 'UCS-2']),
  segments: z.number(),
});
export type PlannedMessage = z.infer<typeof PlannedMessage>;

/** Ready rows that would wait for their window, by the instant it opens. */

/** What sending a campaign now (or at `startAt`) would do; confirming it means sending with its `digest`. */
export const SendPlan = z.object({
  campaignId: Id,
  ready: z.number(),
  skipped: z.partialRecord(SkipReason, z.number()),
  segments: z.number(),
  cost: z.object({ amount: z.number(), currency: z.string(), pricePerSegment: z.number() }),
  senderId: z.string(),
  service: z.object({ id: Id, name: z.string() }),
  api: SendApi,
  /** Null: as soon as it is confirmed. */
  startAt: z.string().nullable(),
  /** The service's cap, and why its contact history counts more messages than it can read; null: no cap. */
  frequencyCap: FrequencyCap.extend({ damage: z.string().nullable() }).nullable(),
  first: PlannedMessage,
  last: PlannedMessage,
  window: PlanWindow,
  /** The opt-out list has lines that cannot be read: numbers on them may be messaged. */
  optOutDamage: StoredFileDamage.nullable(),
  /** SHA-256 over everything that decides what is sent: definition, service, and every ready row's message. */
  digest: Digest,
});
export type SendPlan = z.infer<typeof SendPlan>;

/** The HTTP request that sending would make for one row, its key masked: the key never leaves the core. */
export const RequestPreview = z.object({
  api: SendApi,
  method: z.literal('POST'),
  url: z.string(),
  headers: z.record(z.string(), z.string()),
  /** The JSON body; for Messaging API v1 one request carries many rows, each an entry like this row's. */
  body: z.json(),
  /** Why this request would not go out as it stands (an expiry that has passed, …); null when it would. */
  problem: z.string().nullable(),
});
export type RequestPreview = z.infer<typeof RequestPreview>;

const OptOutKeyword = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .transform((k) => k.toUpperCase());

const empty = z.object({});
const byId = z.object({ id: Id });

function call<I extends z.ZodType, O extends z.ZodType>(input: I, output: O) {
  return { input, output };
}

export const calls = {
  'app.info': call(empty, z.object({ version: z.string(), dataDir: z.string() })),
  'services.list': call(empty, z.array(ServiceView)),
  'services.save': call(ServiceInput, ServiceView),
  'services.remove': call(byId, empty),
  /** Any service's, the Sandbox's too; null turns the cap off. */
  'services.setFrequencyCap': call(z.object({ id: Id, cap: FrequencyCap.nullable() }), ServiceView),
  /** Asks the service's platform whether it accepts the key, with a request that can send nothing. */
  'services.checkKey': call(byId, KeyCheck),
  /** Newest first; archived campaigns only with `includeArchived`. */
  'campaigns.list': call(z.object({ includeArchived: z.boolean().optional() }), z.array(CampaignView)),
  'campaigns.import': call(
    z.object({
      /** Chosen by the caller, so that it can follow progress and cancel before the call returns. */
      importId: Id.optional(),
      fileName: z.string().min(1).max(500),
      /** The file as uploaded through the transport, or its text for small pasted lists. */
      source: z.union([z.object({ uploadId: Id }), z.object({ text: z.string() })]),
      /** For a workbook, the sheet to import; by default the first one with data. */
      sheet: z.string().min(1).max(200).optional(),
    }),
    CampaignView,
  ),
  'imports.cancel': call(z.object({ importId: Id }), empty),
  'campaigns.get': call(byId, CampaignView),
  'campaigns.update': call(z.object({ id: Id, patch: CampaignPatch }), CampaignView),
  /** In any state: the name is a label, not part of what is sent. */
  'campaigns.rename': call(z.object({ id: Id, name: CampaignName }), CampaignView),
  /** A new draft with the same definition and recipients; nothing of the source's sending is copied. */
  'campaigns.duplicate': call(byId, CampaignView),
  'campaigns.archive': call(z.object({ id: Id, archived: z.boolean() }), CampaignView),
  /** Removes the campaign and its files; refused while it is being sent or is scheduled. */
  'campaigns.delete': call(byId, empty),
  /**
   * A new draft of the rows that failed (rejected, undelivered, failed or expired) in a campaign that is done
   * sending, with the columns `previous_status`, `previous_code` and `previous_reason`.
   */
  'campaigns.sendAgainFailed': call(byId, CampaignView),
  'campaigns.rows': call(
    z.object({
      id: Id,
      offset: z.number().int().min(0),
      limit: z.number().int().min(1).max(1000),
      filter: RowFilter.optional(),
    }),
    /** `total` counts the rows that pass the filter; `rows` is the requested page of them. */
    z.object({ total: z.number(), rows: z.array(RowView) }),
  ),
  /** The next row after `after` (wrapping around) that is skipped or ready with a message too long. */
  'campaigns.nextProblem': call(
    z.object({ id: Id, after: z.number().int().min(-1) }),
    z.object({ index: z.number().nullable() }),
  ),
  /** The request for row `row`, built by the functions that send it. */
  'campaigns.requestPreview': call(z.object({ id: Id, row: z.number().int().min(0) }), RequestPreview),
  'campaigns.exportSkipped': call(byId, z.object({ fileName: z.string(), csv: z.string() })),
  'suppression.list': call(
    z.object({
      search: z.string().max(100).optional(),
      offset: z.number().int().min(0),
      limit: z.number().int().min(1).max(1000),
    }),
    z.object({
      total: z.number(),
      entries: z.array(SuppressionEntry),
      damage: StoredFileDamage.nullable(),
    }),
  ),
  'suppression.add': call(
    z.object({
      numbers: z.array(z.string().max(50)).min(1).max(100_000),
      defaultCountry: CountryCode,
      reason: z.string().max(200).default('added by hand'),
    }),
    z.object({ added: z.number(), alreadyListed: z.number(), invalid: z.array(z.string()) }),
  ),
  'suppression.remove': call(
    z.object({ numbers: z.array(z.string().max(50)).min(1).max(100_000) }),
    z.object({ removed: z.number() }),
  ),
  'suppression.import': call(
    z.object({
      fileName: z.string().max(500),
      source: z.union([z.object({ uploadId: Id }), z.object({ text: z.string() })]),
      defaultCountry: CountryCode,
    }),
    z.object({
      added: z.number(),
      /** Valid numbers that were on the list already. */
      alreadyListed: z.number(),
      invalid: z.array(z.string()),
      /** The column read (a file without one is refused). */
      column: z.string(),
    }),
  ),
  /** What sending would do; `at` for a scheduled start. */
  'campaigns.plan': call(z.object({ id: Id, at: z.iso.datetime({ offset: true }).optional() }), SendPlan),
  /** `digest`: of the plan the user confirmed, needed until the campaign has started (a resume needs none). */
  'campaigns.send': call(z.object({ id: Id, digest: Digest.optional() }), CampaignView),
  /** Stops taking new batches at once; answers once the requests already out are answered and recorded. */
  'campaigns.pause': call(byId, CampaignView),
  /** Ends the campaign for good; rows not yet sent are never sent. */
  'campaigns.cancel': call(byId, CampaignView),
  /** `at` null withdraws the schedule; a start time needs the digest of the plan confirmed for it. */
  'campaigns.schedule': call(
    z.object({ id: Id, at: z.iso.datetime({ offset: true }).nullable(), digest: Digest.optional() }),
    CampaignView,
  ),
  /** Sends row `row`'s message, as previewed, to one number. */
  'campaigns.testSend': call(
    z.object({ id: Id, row: z.number().int().min(0), msisdn: z.string().trim().min(3).max(40) }),
    CampaignView,
  ),
  /** Sends again the rows whose outcome is unknown and whose grace window passed without a report. */
  'campaigns.resendUnknown': call(byId, CampaignView),
  /** The delivery report: UTF-8 with a BOM, formulas neutralized. */
  'campaigns.report': call(byId, z.object({ fileName: z.string(), csv: z.string() })),
  /**
   * The delivery report as an Excel workbook, base64-encoded; its times are written as the wall-clock
   * times of `timeZone` (an IANA name such as Europe/Paris: the user's).
   */
  'campaigns.reportXlsx': call(
    z.object({ id: Id, timeZone: z.string().min(1).max(64) }),
    z.object({ fileName: z.string(), base64: z.string() }),
  ),
  'campaigns.row': call(z.object({ id: Id, row: z.number().int().min(0) }), RowDetails),
  'campaigns.dashboard': call(byId, Dashboard),
  'tunnels.list': call(empty, z.array(TunnelStatus)),
  /** Drops and opens the service's tunnel again. */
  'tunnels.reconnect': call(z.object({ serviceId: Id }), TunnelStatus),
  'receiver.stats': call(empty, ReceiverStats),
  'power.status': call(empty, PowerStatus),
  /** Newest first. */
  'inbox.list': call(
    z.object({
      serviceId: Id.optional(),
      search: z.string().max(100).optional(),
      offset: z.number().int().min(0),
      limit: z.number().int().min(1).max(1000),
    }),
    z.object({
      total: z.number(),
      entries: z.array(InboxEntry),
      dropped: InboxDropped.nullable(),
      damage: StoredFileDamage.nullable(),
    }),
  ),
  'inbox.export': call(
    z.object({ serviceId: Id.optional() }),
    z.object({ fileName: z.string(), csv: z.string() }),
  ),
  /** Replies that opt a number out (compared ignoring case, spaces and trailing punctuation). */
  'optOut.keywords': call(empty, z.object({ keywords: z.array(z.string()) })),
  'optOut.setKeywords': call(
    z.object({ keywords: z.array(OptOutKeyword).min(1).max(50) }),
    z.object({ keywords: z.array(z.string()) }),
  ),
} as const;

/** A campaign id chosen on the command line (`--campaign-id`). */
export const CampaignId = z
  .string()
  .regex(/^[a-z0-9-]{1,64}$/, 'lower-case letters, digits and dashes (at most 64)');
const Rate = z.number().int().min(1).max(10_000, 'A rate is at most 10,000 messages a second.');

/**
 * A service named on the command line (`--api-url`) for one run: not one of the app's services. Its key is
 * given to the core when it starts (CAMPAIGN_DESK_KEY) and never travels in a call.
 */
export const CommandLineService = z.object({
  baseUrl: HttpUrl.refine(keySafeUrl, INSECURE_URL),
  api: SendApi,
  rate: Rate,
  numbersWithPlus: z.boolean(),
});
export type CommandLineService = z.infer<typeof CommandLineService>;

/** The service a campaign was last sent through, as its journal names it. */
const SentThroughView = z.object({
  id: z.string(),
  baseUrl: z.string(),
  api: SendApi,
  numbersWithPlus: z.boolean(),
  /** Messages per second; null for no limit (or not recorded). */
  rate: z.number().nullable(),
});

/** What the command line may send with beyond the campaign's own service and rate. */
const SendTuning = {
  /** Sends through this service instead of the campaign's. */
  service: CommandLineService.optional(),
  rate: Rate.optional(),
  batchSize: z.number().int().min(1).max(1000, 'A request carries at most 1,000 messages.').optional(),
};

/**
 * Calls only the command line makes: validated by the same dispatch, implemented by the rooms that own their
 * domain, and absent from the handler table the app and the browser shell serve (they name files on this
 * computer and services the app does not know).
 */
export const commandLineCalls = {
  /** Imports an upload as a new draft under the id asked for (refused if one exists) and a default country. */
  'cli.import': call(
    z.object({
      fileName: z.string().min(1).max(500),
      uploadId: Id,
      campaignId: CampaignId.optional(),
      defaultCountry: CountryCode.optional(),
    }),
    CampaignView,
  ),
  /** Why delivery reports could not come back through the service, or null. */
  'cli.receiverWarning': call(
    z.object({ service: CommandLineService }),
    z.object({ warning: z.string().nullable() }),
  ),
  /** The send plan through a service named on the command line. */
  'cli.plan': call(z.object({ id: Id, service: CommandLineService }), SendPlan),
  /** Starts (or resumes) sending; `digest` refuses the send unless it is still the plan confirmed. */
  'cli.send': call(z.object({ id: Id, digest: Digest.optional(), ...SendTuning }), CampaignView),
  'cli.resendUnknown': call(z.object({ id: Id, ...SendTuning }), CampaignView),
  /** How many unknown rows would go again with their Idempotency-Key if the campaign were sent now. */
  'cli.sameKeyRows': call(
    z.object({ id: Id, service: CommandLineService.optional() }),
    z.object({ rows: z.number() }),
  ),
  'cli.sentThrough': call(byId, z.object({ through: SentThroughView.nullable() })),
  /** The digest of the plan confirmed for the campaign's scheduled start; null when none is scheduled. */
  'cli.scheduledDigest': call(byId, z.object({ digest: Digest.nullable() })),
  /** Answers once the campaign's run has ended. */
  'cli.finished': call(byId, empty),
  /** Whether no row awaits an answer or a report, waiting up to `timeoutMs` for that. */
  'cli.settled': call(
    z.object({
      id: Id,
      timeoutMs: z
        .number()
        .int()
        .min(0)
        .max(2 ** 31 - 1, 'A wait is at most 24 days.'),
    }),
    z.object({ settled: z.boolean() }),
  ),
  /** Settles through the Send SMS API's status lookup the rows still without a final report. */
  'cli.settleByLookup': call(
    z.object({ id: Id, service: CommandLineService.optional() }),
    z.object({ settled: z.number() }),
  ),
  /** Streams the delivery report as a workbook to `path` (through `path.part`, renamed once complete). */
  'cli.writeReportXlsx': call(
    z.object({ id: Id, timeZone: z.string().min(1).max(64), path: z.string().min(1).max(4096) }),
    empty,
  ),
} as const;

export const events = {
  'import.progress': z.object({
    importId: z.string(),
    fileName: z.string(),
    phase: z.enum(['reading', 'parsing', 'checking', 'saving']),
    rows: z.number(),
    /** 0..1 of the current phase. */
    fraction: z.number(),
    done: z.boolean(),
  }),
  'campaign.updated': CampaignView,
  'rows.updated': z.object({ campaignId: Id, rows: z.array(RowPatch) }),
  'send.progress': z.object({
    campaignId: Id,
    /** Rows handed to the service (whatever its answer) out of those to send. */
    done: z.number(),
    total: z.number(),
    /** Messages per second over the last few seconds. */
    perSecond: z.number(),
    etaSeconds: z.number().nullable(),
  }),
  'tunnel.status': TunnelStatus,
  'inbox.received': InboxEntry,
  'power.status': PowerStatus,
} as const satisfies Record<(typeof EVENT_NAMES)[number], z.ZodType>;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallInput<N extends CallName> = z.input<Calls[N]['input']>;
export type CallOutput<N extends CallName> = z.output<Calls[N]['output']>;
export type CommandLineCalls = typeof commandLineCalls;
export type CommandLineCallName = keyof CommandLineCalls;
/** Any call, the contract's or the command line's. */
export type AnyCallName = CallName | CommandLineCallName;
type AllCalls = Calls & CommandLineCalls;
export type AnyCallInput<N extends AnyCallName> = z.input<AllCalls[N]['input']>;
export type AnyCallOutput<N extends AnyCallName> = z.output<AllCalls[N]['output']>;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

/** Every code a failed call can carry; shells and tests tell errors apart by it, never by the message. */
export const ErrorCode = z.enum([
  // The contract and its transports
  'unknown-call',
  'invalid-input',
  'internal',
  'invalid-json',
  'not-found',
  'unauthorized',
  'forbidden',
  'upload-failed',
  'upload-too-large',
  'upload-cancelled',
  'unknown-upload',
  // Recipient files
  'csv-empty',
  'csv-malformed',
  'csv-no-rows',
  'csv-unreadable',
  'file-not-text',
  'file-unreadable',
  'workbook-damaged',
  'workbook-empty',
  'workbook-no-rows',
  'workbook-unsupported',
  'unknown-sheet',
  'unknown-column',
  'no-phone-column',
  'import-cancelled',
  // Campaigns
  'unknown-campaign',
  'campaign-exists',
  'campaign-started',
  'campaign-scheduled',
  'campaign-sending',
  'campaign-not-sending',
  'campaign-not-ready',
  'campaign-not-done',
  'campaign-cancelled',
  'invalid-column',
  'invalid-row',
  'row-skipped',
  'invalid-number',
  'invalid-keyword',
  'invalid-time-zone',
  'template-invalid',
  'message-too-long',
  'expiry-passed',
  'nothing-failed',
  'nothing-unknown',
  'grace-window',
  'report-too-large',
  // Sending
  'plan-not-confirmed',
  'plan-changed',
  'no-send-window',
  'schedule-past',
  'service-busy',
  'service-refused',
  'service-unreachable',
  'disk-full',
  // Services, keys and tunnels
  'unknown-service',
  'sandbox-readonly',
  'missing-key',
  'missing-authtoken',
  'key-for-other-host',
  'insecure-url',
  'no-tunnel',
  'tunnel-refused',
  'tunnel-unavailable',
  'tunnel-unreachable',
  'settings-corrupt',
  'vault-corrupt',
  'vault-locked',
  'vault-unavailable',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ApiErrorBody = z.object({
  code: ErrorCode,
  message: z.string(),
  /** The technical account behind the message (a network error's code), shown behind a Details toggle. */
  detail: z.string().optional(),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

export function isCallName(name: string): name is CallName {
  return Object.hasOwn(calls, name);
}

export function isCommandLineCallName(name: string): name is CommandLineCallName {
  return Object.hasOwn(commandLineCalls, name);
}

/** What the renderer sees of the core, whatever the transport. */
export interface DeskApi {
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}
