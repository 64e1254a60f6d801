import type { CampaignView, CommandLineService } from '../../shared/api';
import type { Desk } from '../core/desk';
import { clockTime } from '../../shared/window-words';
import { progressLine } from './progress-bar';
import { writeReport } from './write-report';

/** Exit codes of `send` and `resume`; a usage error exits 2. */
export const EXIT = { completed: 0, stopped: 1, paused: 3 } as const;

export function exitCode(state: CampaignView['state']): number {
  if (state === 'completed') return EXIT.completed;
  if (state === 'paused') return EXIT.paused;
  return EXIT.stopped;
}

/** Where a command speaks: plain lines (with a live bar on a terminal), or JSON lines with --json. */
export class Output {
  private barShown = false;

  constructor(
    readonly json: boolean,
    private readonly stream: NodeJS.WriteStream = process.stdout,
  ) {}

  /** A line for people; with --json, the same facts as an object. */
  say(text: string, event: Record<string, unknown>): void {
    this.clearBar();
    this.stream.write(this.json ? `${JSON.stringify(event)}\n` : `${text}\n`);
  }

  progress(p: Parameters<typeof progressLine>[0]): void {
    if (this.json) {
      this.stream.write(`${JSON.stringify({ event: 'progress', ...p })}\n`);
    } else if (this.stream.isTTY) {
      this.stream.write(`\r${progressLine(p, this.stream.columns || 80)}\x1b[K`);
      this.barShown = true;
    }
  }

  private clearBar(): void {
    if (!this.barShown) return;
    this.stream.write('\n');
    this.barShown = false;
  }
}

/** Calls `onFirst` on Ctrl-C; a second Ctrl-C quits at once (rows in flight are reconciled on resume). */
export function onInterrupt(onFirst: () => void): () => void {
  // The settings library's exit hook re-raises SIGINT to end the process; while this is armed, Ctrl-C is ours.
  const others = process.rawListeners('SIGINT') as ((...args: unknown[]) => void)[];
  process.removeAllListeners('SIGINT');
  let count = 0;
  const handler = () => {
    count++;
    if (count === 1) onFirst();
    else process.exit(130);
  };
  process.on('SIGINT', handler);
  return () => {
    process.off('SIGINT', handler);
    for (const listener of others) process.on('SIGINT', listener);
  };
}

/** Follows a run to its end with progress; Ctrl-C pauses it cleanly. Returns the campaign as it ended. */
export async function followRun(desk: Desk, id: string, out: Output): Promise<CampaignView> {
  let toldOpening: string | null = null;
  const unsubscribe = desk.bus.subscribe((event, payload) => {
    if (event === 'send.progress' && (payload as { campaignId: string }).campaignId === id) {
      out.progress(payload as Parameters<Output['progress']>[0]);
    }
    if (event === 'campaign.updated' && (payload as CampaignView).id === id) {
      const view = payload as CampaignView;
      const waiting = view.counts.waiting ?? 0;
      if (view.nextWindowAt === null || waiting === 0 || view.nextWindowAt === toldOpening) return;
      toldOpening = view.nextWindowAt;
      const here = Intl.DateTimeFormat().resolvedOptions().timeZone;
      out.say(
        `${waiting} ${waiting === 1 ? 'row waits' : 'rows wait'} for their window; the next opens at ${clockTime(view.nextWindowAt, here)} your time.`,
        { event: 'waiting', rows: waiting, nextWindowAt: view.nextWindowAt },
      );
    }
  });
  const stopListening = onInterrupt(() => {
    out.say('Pausing: waiting for the requests already sent to be answered…', { event: 'pausing' });
    desk.call('campaigns.pause', { id }).catch(() => undefined);
  });
  try {
    await desk.call('cli.finished', { id });
  } finally {
    stopListening();
    unsubscribe();
  }
  return desk.call('campaigns.get', { id });
}

/**
 * Waits up to `waitMs` for every sent row's final report; Ctrl-C stops waiting. Rows sent through the Send SMS API
 * whose reports have not come by then are settled through the platform's status lookup. True when all are final.
 */
export async function waitForReports(
  desk: Desk,
  id: string,
  waitMs: number,
  service?: CommandLineService,
): Promise<boolean> {
  let stop = () => undefined as void;
  const interrupted = new Promise<boolean>((resolve) => {
    stop = onInterrupt(() => resolve(false));
  });
  try {
    const settled = (timeoutMs: number) =>
      desk.call('cli.settled', { id, timeoutMs }).then((answer) => answer.settled);
    if (await Promise.race([settled(waitMs), interrupted])) return true;
    if ((await desk.call('cli.sentThrough', { id })).through?.api !== 'sms') return false;
    await Promise.race([desk.call('cli.settleByLookup', { id, service }), interrupted]);
    return await settled(0);
  } finally {
    stop();
  }
}

export async function finish(
  desk: Desk,
  id: string,
  out: Output,
  args: { settled: boolean; reportPath: string | undefined },
): Promise<number> {
  const final = await desk.call('campaigns.get', { id });
  if (args.reportPath) await writeReport(desk, id, args.reportPath);
  const counts = Object.entries(final.counts)
    .map(([status, n]) => `${status} ${n}`)
    .join(', ');
  const lines = [`${headline(final.state)}: ${counts}`];
  if (final.error) lines.push(`Error: ${final.error}`);
  lines.push(...final.journalDamage);
  if (final.state === 'paused') lines.push(`Resume with: campaign-desk resume ${id}`);
  if ((final.counts.unknown ?? 0) > 0) {
    lines.push(
      `${final.counts.unknown} messages have an unknown outcome; once their reports are overdue, send them again with: campaign-desk resume ${id} --resend-unknown`,
    );
  }
  if (!args.settled && final.state === 'completed')
    lines.push('Some delivery reports had not arrived when the wait ended.');
  if (args.reportPath) lines.push(`Report written to ${args.reportPath}`);
  out.say(lines.join('\n'), {
    event: 'summary',
    campaign: id,
    state: final.state,
    settled: args.settled,
    counts: final.counts,
    error: final.error,
    journalDamage: final.journalDamage,
    report: args.reportPath ?? null,
  });
  return exitCode(final.state);
}

function headline(state: CampaignView['state']): string {
  switch (state) {
    case 'completed':
      return 'Sent';
    case 'paused':
      return 'Paused';
    case 'cancelled':
      return 'Cancelled';
    default:
      return 'Stopped';
  }
}
