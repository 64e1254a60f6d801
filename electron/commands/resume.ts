import { resolveDataDir } from '../core/data-dir';
import { startNodeDesk } from '../core/node-desk';
import type { ResolvedService } from '../core/services';
import { nonNegativeNumber, positiveInt, UsageError } from './args';
import { COMMAND_LINE_SERVICE, externalService } from './external-service';
import { finish, followRun, onInterrupt, Output, waitForReports } from './follow-campaign';
import { parseCommandArgs } from './parse-command-args';

export const RESUME_HELP = `Usage: campaign-desk resume <campaign-id> [options]

Continues a paused, stopped or interrupted campaign with the rows never sent, through the service it was
sent through. Messages whose outcome is unknown (no readable answer, or in flight when the process died)
are never sent again by themselves. On the Send SMS API, unknown rows first sent less than 30 minutes ago
go again with their Idempotency-Key.

Options:
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
  });
  try {
    const out = new Output(values.json);
    const campaign = await desk.handlers['campaigns.get']({ id });
    const through = await desk.sentThrough(id);
    let service: ResolvedService | undefined;
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
      if (!process.env.CAMPAIGN_DESK_KEY)
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
    const options = { service, rate, batchSize };
    const ready = campaign.counts.ready ?? 0;
    out.say(`Campaign ${id}: ${campaign.state}, ${ready} ready, ${campaign.counts.unknown ?? 0} unknown`, {
      event: 'campaign',
      campaign: id,
      state: campaign.state,
      ready,
      unknown: campaign.counts.unknown ?? 0,
    });

    // On the Send SMS API, unknown rows whose Idempotency-Key is still fresh go again with it.
    if (ready > 0 || (await desk.sameKeyRows(id, service)) > 0) {
      await desk.send(id, options);
      const ended = await followRun(desk, id, out);
      if (ended.state !== 'completed')
        return await finish(desk, id, out, { settled: false, reportPath: values.report });
    }
    if (values['resend-unknown']) {
      const waited = await waitForGraceWindow(desk, id, out);
      if (!waited) return await finish(desk, id, out, { settled: false, reportPath: values.report });
      const unknown = (await desk.handlers['campaigns.get']({ id })).counts.unknown ?? 0;
      if (unknown > 0) {
        out.say(`Sending again ${unknown} messages that no report shows as sent`, {
          event: 'resend',
          rows: unknown,
        });
        await desk.resendUnknown(id, options);
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

/**
 * Waits, while reports keep arriving, until the unknown rows' grace window has passed.
 * False when Ctrl-C cut the wait short.
 */
async function waitForGraceWindow(
  desk: Awaited<ReturnType<typeof startNodeDesk>>,
  id: string,
  out: Output,
): Promise<boolean> {
  const view = await desk.handlers['campaigns.get']({ id });
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
