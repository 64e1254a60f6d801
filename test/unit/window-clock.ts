/** The tests' own reading of send windows: Intl's wall clock, not the code under test. */
import fc from 'fast-check';
import { clockMinutes, type SendWindow } from '../../shared/send-window';

const clockFormats = new Map<string, Intl.DateTimeFormat>();
const clockFormat = (zone: string) => {
  let format = clockFormats.get(zone);
  if (!format) {
    const options = {
      timeZone: zone,
      hourCycle: 'h23',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
    };
    format = new Intl.DateTimeFormat('en-US', options as Intl.DateTimeFormatOptions);
    clockFormats.set(zone, format);
  }
  return format;
};

/** The zone's wall clock at an instant, read through Intl rather than the code under test. */
function wallClock(ms: number, zone: string): { weekday: number; minutes: number } {
  const parts = clockFormat(zone).formatToParts(ms);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(part('weekday')) + 1;
  return { weekday, minutes: Number(part('hour')) * 60 + Number(part('minute')) };
}

export function insideWindow(ms: number, zone: string, w: SendWindow): boolean {
  const { weekday, minutes } = wallClock(ms, zone);
  const [from, to] = [clockMinutes(w.from), clockMinutes(w.to)];
  const opensOn = (day: number) => w.days.includes(day);
  if (from < to) return opensOn(weekday) && minutes >= from && minutes < to;
  const yesterday = weekday === 1 ? 7 : weekday - 1;
  return (opensOn(weekday) && minutes >= from) || (opensOn(yesterday) && minutes < to);
}

/** A time of day on a quarter hour, "HH:MM". */
export const quarterHour = fc.integer({ min: 0, max: 95 }).map((q) => {
  const minutes = q * 15;
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
});
