import { useId } from 'react';
import { describeSendWindow, SendWindow, WEEKDAY_NAMES, WEEKDAYS } from '../../shared/send-window';

/** A window as its inputs hold it: times being typed may not make a window yet. */
export interface WindowDraft {
  from: string;
  to: string;
  days: readonly number[];
}

/** The window the draft makes, or a sentence saying why it makes none. */
export function windowFromDraft(draft: WindowDraft): SendWindow | string {
  if (draft.from === draft.to)
    return 'A window that opens and closes at the same time never opens: change From or To.';
  const parsed = SendWindow.safeParse({ ...draft, days: [...draft.days] });
  if (parsed.success) return parsed.data;
  return `Give the window ${parsed.error.issues[0]?.message ?? 'a start and an end'}.`;
}

/** "Messages wait until 08:00 on each recipient's own clock, and none goes out after 21:00. On Mon–Fri only." */
export function windowHint(window: WindowDraft): string {
  // "08:00–21:00 Mon–Fri, Sun": the days are what follows the hours.
  const dayRuns = describeSendWindow({ ...window, days: [...window.days] })
    .split(' ')
    .slice(1)
    .join(' ');
  const days = dayRuns === '' ? '' : ` On ${dayRuns} only.`;
  const overnight = window.to < window.from ? ' (the window runs past midnight)' : '';
  return `Messages wait until ${window.from} on each recipient's own clock, and none goes out after ${window.to}${overnight}.${days}`;
}

interface Props {
  draft: WindowDraft;
  onChange: (draft: WindowDraft) => void;
  disabled?: boolean;
}

/** From, to and the days of the week of a send window, on the recipient's clock. */
export function SendWindowFields({ draft, onChange, disabled = false }: Props) {
  const id = useId();
  const problem = windowFromDraft(draft);
  const toggle = (day: number, on: boolean) =>
    onChange({ ...draft, days: on ? [...draft.days, day].sort() : draft.days.filter((d) => d !== day) });
  return (
    <div className="send-window-fields">
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-from`}>From</label>
          <input
            id={`${id}-from`}
            type="time"
            required
            disabled={disabled}
            value={draft.from}
            aria-describedby={`${id}-hint`}
            onChange={(e) => e.target.value && onChange({ ...draft, from: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-to`}>To</label>
          <input
            id={`${id}-to`}
            type="time"
            required
            disabled={disabled}
            value={draft.to}
            aria-describedby={`${id}-hint`}
            onChange={(e) => e.target.value && onChange({ ...draft, to: e.target.value })}
          />
        </div>
      </div>
      <fieldset className="weekdays" disabled={disabled}>
        <legend>Days</legend>
        {WEEKDAYS.map((day) => {
          const on = draft.days.includes(day);
          return (
            <label key={day} className="choice">
              <input
                type="checkbox"
                checked={on}
                // The last day stays: a window on no day would never open.
                disabled={on && draft.days.length === 1}
                onChange={(e) => toggle(day, e.target.checked)}
              />
              {WEEKDAY_NAMES[day - 1]}
            </label>
          );
        })}
      </fieldset>
      <p className={`small ${typeof problem === 'string' ? 'warning' : 'muted'}`} id={`${id}-hint`}>
        {typeof problem === 'string' ? problem : windowHint(draft)}
      </p>
    </div>
  );
}
