import { z } from 'zod';

/** A time of day on the wall clock, "HH:MM" (24-hour). */
const Clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time such as 08:00 or 21:30');

/** ISO weekdays: 1 is Monday, 7 is Sunday. */
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
export const WEEKDAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/**
 * When messages may reach a recipient, on the recipient's own clock. `to` before `from` runs past midnight
 * (22:00–02:00); `days` are the days a window opens on.
 */
export const SendWindow = z
  .object({
    from: Clock,
    to: Clock,
    days: z
      .array(z.number().int().min(1).max(7))
      .min(1, 'at least one day of the week')
      .max(7)
      .transform((days) => [...new Set(days)].sort()),
  })
  .refine((window) => window.from !== window.to, {
    message: 'a window that opens and closes at the same time',
  });
export type SendWindow = z.output<typeof SendWindow>;

/** The hours US rules and most carriers' codes of practice expect for marketing texts. */
export const DEFAULT_SEND_WINDOW: SendWindow = { from: '08:00', to: '21:00', days: [...WEEKDAYS] };

/** Minutes after midnight of an "HH:MM" time. */
export function clockMinutes(clock: string): number {
  const [hours, minutes] = clock.split(':').map(Number);
  return (hours as number) * 60 + (minutes as number);
}

/**
 * Reads a window as the command line writes it: "08:00-21:00", optionally followed by days,
 * "08:00-21:00 Mon-Fri" or "09:00-17:00 Mon,Wed,Fri". Returns the window or a sentence saying what is wrong.
 */
export function parseSendWindow(text: string): SendWindow | string {
  const match = /^\s*(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})\s*(.*)$/.exec(text);
  if (!match) return `"${text}" is not a window: write it as 08:00-21:00, optionally with days (Mon-Fri).`;
  const days = match[3]?.trim() ? parseDays(match[3].trim()) : [...WEEKDAYS];
  if (typeof days === 'string') return days;
  const pad = (clock: string) => clock.padStart(5, '0');
  const parsed = SendWindow.safeParse({ from: pad(match[1] as string), to: pad(match[2] as string), days });
  return parsed.success
    ? parsed.data
    : `"${text}" is not a window: ${parsed.error.issues[0]?.message ?? 'it cannot be read'}.`;
}

function parseDays(text: string): number[] | string {
  const days = new Set<number>();
  for (const part of text.split(/\s*,\s*/)) {
    const [first, last] = part.split(/\s*[-–]\s*/).map(dayNumber);
    if (first === undefined || (part.includes('-') && last === undefined)) {
      return `"${part}" is not a day of the week: write Mon, Tue, Wed, Thu, Fri, Sat or Sun.`;
    }
    const end = last ?? first;
    for (let day = first; ; day = (day % 7) + 1) {
      days.add(day);
      if (day === end) break;
    }
  }
  return [...days];
}

const FULL_DAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** Mon or Monday, in any case. */
function dayNumber(name: string | undefined): number | undefined {
  const word = name?.toLowerCase() ?? '';
  const index = FULL_DAY_NAMES.findIndex((day) => day === word || day.slice(0, 3) === word);
  return index === -1 ? undefined : index + 1;
}

/** "08:00–21:00", with the days when not every day: "08:00–21:00 Mon–Fri". */
export function describeSendWindow(window: SendWindow): string {
  const hours = `${window.from}–${window.to}`;
  if (window.days.length === 7) return hours;
  const runs: string[] = [];
  let start = 0;
  const days = window.days;
  for (let i = 1; i <= days.length; i++) {
    if (i < days.length && days[i] === (days[i - 1] as number) + 1) continue;
    const first = WEEKDAY_NAMES[(days[start] as number) - 1];
    const last = WEEKDAY_NAMES[(days[i - 1] as number) - 1];
    runs.push(
      i - 1 - start >= 2
        ? `${first}–${last}`
        : days
            .slice(start, i)
            .map((d) => WEEKDAY_NAMES[d - 1])
            .join(', '),
    );
    start = i;
  }
  return `${hours} ${runs.join(', ')}`;
}
