import { resolveDataDir } from '../core/data-dir';
import { startNodeDesk } from '../core/node-desk';
import type { CampaignView, CommandLineService } from '../../shared/api';
import { COMMAND_LINE_SERVICE } from '../core/services';
import { nonNegativeNumber, positiveInt, UsageError } from './args';
import { commandLineKey, externalService } from './external-service';
import { finish, followRun, onInterrupt, Output, waitForReports } from './follow-campaign';
import { parseCommandArgs } from './parse-command-args';

export const RESUME_HELP = `Usage: campaign-desk resume <campaign-id> [options]

Continues a paused, stopped or interrupted campaign with the rows never sent, through the service it was
sent through. Messages whose outcome is unknown (no readable answer, or in flight when the process died)
are never sent again by themselves. On the Send SMS API, unknown rows first sent less than 30 minutes ago
go again with their Idempotency-Key.

Options:
  --missed-start CHOICE    For a campaign whose scheduled start was missed (the computer slept or the app
                           was closed): send (now), skip (back to a draft) or a new start time
                           (ISO 8601 with its offset, e.g. 2026-12-02T09:00:00+01:00; the app starts it).
  --resend-unknown         Waits until the unknown rows' grace window has passed without a delivery
                           report, then sends those still unknown.
  --grace SECONDS          The grace window (default 600).
  --api-url URL            The service's base URL; its key is read from CAMPAIGN_DESK_KEY.
  --api messaging|sms      Messaging API v1 or the Send SMS API.
  --without-plus           Sends numbers without their plus.
  --notify-url URL         The public URL that forwards to this machine's receiver (a tunnel).
  --rate N                 Messages per second (default: the rate it was sent at).
  --batch N                Messages per request.
  --wait SECONDS           How long to wait for final reports (default 30).
  --report FILE            Where to write the report (CSV; Excel for a FILE ending in .xlsx).
  --data-dir DIR           The data folder.
  --json                   JSON lines instead of a progress bar.

Exit codes: 0 completed, 1 stopped by an error, 2 usage error, 3 paused.`;

export async function resumeCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('resume', {
    args,
    allowPositionals: true,
    options: {
      'api-url': { type: 'string' },
      api: { type: 'string' },
      'without-plus': { type: 'boolean', default: false },
      'notify-url': { type: 'string' },
      rate: { type: 'string' },
      batch: { type: 'string' },
      'missed-start': { type: 'string' },
      'resend-unknown': { type: 'boolean', default: false },
      grace: { type: 'string' },
      wait: { type: 'string', default: '30' },
      report: { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const [id] = positionals;
  if (!id || positionals.length > 1) throw new UsageError('resume takes exactly one campaign id.');
  const rate = values.rate === undefined ? undefined : positiveInt(values.rate, '--rate');
  const batchSize = values.batch === undefined ? undefined : positiveInt(values.batch, '--batch');
  const waitMs = nonNegativeNumber(values.wait, '--wait') * 1000;
  const graceMs = values.grace === undefined ? undefined : nonNegativeNumber(values.grace, '--grace') * 1000;

  const desk = await startNodeDesk(resolveDataDir(values['data-dir']), {
    publicReceiverUrl: values['notify-url'],
    restoreSchedules: false,
    openTunnels: false,
    unknownGraceMs: graceMs,
    commandLineKey: commandLineKey(),
  });
  try {
    const out = new Output(values.json);
    const campaign = await desk.call('campaigns.get', { id });
    const { through } = await desk.call('cli.sentThrough', { id });
    let service: CommandLineService | undefined;
    // The rate it was sent at, unless --rate says otherwise.
    const sameRate = rate ?? through?.rate ?? undefined;
    if (values['api-url'])
      service = externalService({
        apiUrl: values['api-url'],
        rate: sameRate,
        api: values.api,
        numbersWithPlus: !values['without-plus'],
      });
    else if (through?.id === COMMAND_LINE_SERVICE) {
      if (!commandLineKey())
        throw new UsageError(
          `This campaign was sent through ${through.baseUrl}: its key must be in the CAMPAIGN_DESK_KEY environment variable.`,
        );
      // The same API and number format it was sent with, unless the flags say otherwise.
      service = externalService({
        apiUrl: through.baseUrl,
        rate: sameRate,
        api: values.api ?? through.api,
        numbersWithPlus: values['without-plus'] ? false : through.numbersWithPlus,
      });
    }
    // What a damaged journal made of its rows is said before anything is sent.
    for (const note of campaign.journalDamage) out.say(note, { event: 'journal-damage', note });
    const missed = await missedStart(desk, campaign, values['missed-start'], out);
    if (missed === 'done') return 0;
    const options = { id, service, rate, batchSize };
    const ready = campaign.counts.ready ?? 0;
    out.say(`Campaign ${id}: ${campaign.state}, ${ready} ready, ${campaign.counts.unknown ?? 0} unknown`, {
      event: 'campaign',
      campaign: id,
      state: campaign.state,
      ready,
      unknown: campaign.counts.unknown ?? 0,
    });

    // On the Send SMS API, unknown rows whose Idempotency-Key is still fresh go again with it.
    if (ready > 0 || (await desk.call('cli.sameKeyRows', { id, service })).rows > 0) {
      await desk.call('cli.send', { ...options, digest: missed?.digest });
      const ended = await followRun(desk, id, out);
      if (ended.state !== 'completed')
        return await finish(desk, id, out, { settled: false, reportPath: values.report });
    }
    if (values['resend-unknown']) {
      const waited = await waitForGraceWindow(desk, id, out);
      if (!waited) return await finish(desk, id, out, { settled: false, reportPath: values.report });
      const unknown = (await desk.call('campaigns.get', { id })).counts.unknown ?? 0;
      if (unknown > 0) {
        out.say(`Sending again ${unknown} messages that no report shows as sent`, {
          event: 'resend',
          rows: unknown,
        });
        await desk.call('cli.resendUnknown', options);
        const ended = await followRun(desk, id, out);
        if (ended.state !== 'completed')
          return await finish(desk, id, out, { settled: false, reportPath: values.report });
      }
    }
    const settled = await waitForReports(desk, id, waitMs, service);
    return await finish(desk, id, out, { settled, reportPath: values.report });
  } finally {
    await desk.close();
  }
}

type NodeDesk = Awaited<ReturnType<typeof startNodeDesk>>;

/**
 * What becomes of a missed scheduled start, as `--missed-start` says: 'done' when it was skipped or moved;
 * for `send`, the digest of the plan confirmed for it (checked again before anything is sent).
 */
async function missedStart(
  desk: NodeDesk,
  campaign: CampaignView,
  choice: string | undefined,
  out: Output,
): Promise<'done' | { digest: string | undefined } | null> {
  const { id } = campaign;
  if (!campaign.startMissed) {
    if (choice === undefined) return null;
    throw new UsageError(
      `--missed-start is for a campaign whose scheduled start was missed; campaign ${id} is ${campaign.state}.`,
    );
  }
  const digest = (await desk.call('cli.scheduledDigest', { id })).digest ?? undefined;
  if (choice === undefined)
    throw new UsageError(
      `Campaign ${id} was to start at ${campaign.scheduledAt}, but that start was missed (the computer slept or Campaign Desk was closed), so it did not start late by itself. Choose with --missed-start: send (send it now), skip (keep it as a draft) or a new start time.`,
    );
  if (choice === 'send') return { digest };
  if (choice === 'skip') {
    await desk.call('campaigns.schedule', { id, at: null });
    out.say(`Skipped the missed start: campaign ${id} is a draft again.`, { event: 'skipped', campaign: id });
    return 'done';
  }
  const at = new Date(choice);
  if (
    !/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(choice) ||
    Number.isNaN(at.getTime())
  )
    throw new UsageError(
      `--missed-start takes send, skip or a start time in ISO 8601 with its offset (e.g. 2026-12-02T09:00:00+01:00), not "${choice}".`,
    );
  const scheduled = await desk.call('campaigns.schedule', { id, at: at.toISOString(), digest });
  out.say(
    `Campaign ${id} is scheduled for ${scheduled.scheduledAt}: the app starts it then, if it is open.`,
    { event: 'scheduled', campaign: id, at: scheduled.scheduledAt },
  );
  return 'done';
}

/**
 * Waits, while reports keep arriving, until the unknown rows' grace window has passed.
 * False when Ctrl-C cut the wait short.
 */
async function waitForGraceWindow(
  desk: Awaited<ReturnType<typeof startNodeDesk>>,
  id: string,
  out: Output,
): Promise<boolean> {
  const view = await desk.call('campaigns.get', { id });
  if (!view.unknownResendableAt) return true;
  const left = Date.parse(view.unknownResendableAt) - Date.now();
  if (left <= 0) return true;
  out.say(
    `Waiting until ${view.unknownResendableAt} for reports of ${view.counts.unknown} messages with an unknown outcome`,
    { event: 'waiting', until: view.unknownResendableAt, unknown: view.counts.unknown },
  );
  let stop = () => undefined as void;
  const waited = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(true), left);
    stop = onInterrupt(() => {
      clearTimeout(timer);
      resolve(false);
    });
  });
  stop();
  return waited;
}
