import { createInterface } from 'node:readline/promises';
import type { PlannedMessage, PlanWindow, SendPlan, SkipReason, StoredFileDamage } from '../../shared/api';
import { frequencyCapWords } from '../../shared/frequency-cap';
import { TEXT_LIMITS } from '../../shared/text-limits';
import { clockTime, waitWords, windowSummary } from '../../shared/window-words';

const REASONS: Record<SkipReason, string> = {
  'missing-number': 'no number',
  'invalid-number': 'invalid number',
  'opted-out': 'opted out',
  duplicate: 'duplicate',
  'missing-value': 'missing value',
  'unknown-time-zone': 'unknown time zone',
  'frequency-cap': 'over the frequency cap',
};

/** The send plan as `send` prints it before sending: what goes, to whom, through what, at what cost. */
export function planLines(plan: SendPlan): string[] {
  const skipped = Object.entries(plan.skipped) as [SkipReason, number][];
  const skippedText =
    skipped.length === 0
      ? 'none skipped'
      : skipped.map(([r, n]) => `${n} skipped (${REASONS[r]})`).join(', ');
  const cost = `${plan.cost.amount.toFixed(2)} ${plan.cost.currency}`;
  const api = TEXT_LIMITS[plan.api].name.replace(/^the /, '');
  const lines = [
    `Plan: ${plan.ready} messages, ${skippedText}; ${plan.segments} segments, cost ${cost}`,
    `  from ${plan.senderId} through ${plan.service.name} (${api}), starting ${plan.startAt ?? 'now'}`,
    `  first: ${messageLine(plan.first)}`,
  ];
  if (plan.ready > 1) lines.push(`  last:  ${messageLine(plan.last)}`);
  lines.push(...windowLines(plan.window, plan.ready));
  if (plan.frequencyCap) {
    lines.push(`  frequency cap: ${frequencyCapWords(plan.frequencyCap).replace(/^At/, 'at')}`);
    if (plan.frequencyCap.damage) lines.push(`  ${plan.frequencyCap.damage}`);
  }
  lines.push(`  digest ${plan.digest}`);
  if (plan.optOutDamage) lines.push(...damageLines(plan.optOutDamage));
  return lines;
}

/** Which of the ready rows go at once and which wait for their window, on their clock and on this computer's. */
export function windowLines(window: PlanWindow, ready: number): string[] {
  const here = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const lines = [`  ${windowSummary(window, ready)}`];
  for (const wait of window.waiting) lines.push(`    ${waitWords(wait, here)}`);
  if (window.lastOpensAt) lines.push(`  It finishes after ${clockTime(window.lastOpensAt, here)} your time.`);
  if (window.window && window.zoneUnknown > 0)
    lines.push(`  ${window.zoneUnknown} rows have no known time zone: they go at once.`);
  return lines;
}

/** A damaged log's notes as the command line prints them, the first as a warning. */
export function damageLines(damage: StoredFileDamage): string[] {
  return damage.notes.map((note, i) => (i === 0 ? `Warning: ${note}` : `  ${note}`));
}

function messageLine(m: PlannedMessage): string {
  return `row ${m.row + 1} to ${m.msisdn}: ${JSON.stringify(m.text)}`;
}

/** Asks on the terminal whether to send the plan printed; anything but yes is no. */
export async function confirmOnTerminal(): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question('Send these messages? [y/N] ')).trim());
  } finally {
    rl.close();
  }
}
