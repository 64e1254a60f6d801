import { useEffect, useId } from 'react';
import type { PlanWindow, WindowPreview } from '../../shared/api';
import { clockTime, waitWords, windowSummary } from '../../shared/window-words';
import { userTimeZone } from './format';

interface Props {
  window: PlanWindow;
  ready: number;
  title: string;
  /** The prefix of the lines' test ids: the plan's and the preview's are told apart. */
  testIds: 'plan' | 'preview';
}

/** Which rows go at once and which wait for their window, on their clock and on yours. */
export function WindowLines({ window, ready, title, testIds }: Props) {
  const yours = userTimeZone();
  const titleId = useId();
  return (
    <section className="plan-window" aria-labelledby={titleId} data-testid={`${testIds}-window`}>
      <h3 id={titleId}>{title}</h3>
      <p data-testid={`${testIds}-window-summary`}>{windowSummary(window, ready)}</p>
      {window.waiting.length > 0 && (
        <ul className="plan-waits" data-testid={`${testIds}-waits`}>
          {window.waiting.map((wait) => (
            <li key={wait.opensAt + wait.zones.join()}>{waitWords(wait, yours)}</li>
          ))}
        </ul>
      )}
      {window.lastOpensAt && (
        <p data-testid={`${testIds}-finish`}>
          The campaign finishes after {clockTime(window.lastOpensAt, yours)} your time, when the last window
          opens.
        </p>
      )}
      {window.window !== null && window.zoneUnknown > 0 && (
        <p className="muted" data-testid={`${testIds}-zone-unknown`}>
          {window.zoneUnknown === 1
            ? '1 row has no known time zone: it goes at once.'
            : `${window.zoneUnknown.toLocaleString()} rows have no known time zone: they go at once.`}
        </p>
      )}
    </section>
  );
}

interface PreviewProps {
  preview: WindowPreview | null;
  /** The ready rows the preview counts. */
  ready: number;
  /** The campaign's scheduled start: the preview says whether it was worked out for it or for now. */
  scheduledAt: string | null;
  /** A window opened or shut since the preview was worked out: it is to be asked again. */
  onStale: () => void;
}

/** Before sending: what the send window would do to the ready rows if they were sent now (or when scheduled). */
export function WindowPreviewLines({ preview, ready, scheduledAt, onStale }: PreviewProps) {
  const changesAt = preview?.changesAt ?? null;
  useEffect(() => {
    if (changesAt === null) return;
    // A moment after the change, so that the core's clock has passed it too.
    const timer = setTimeout(onStale, Math.max(0, Date.parse(changesAt) - Date.now()) + 1000);
    return () => clearTimeout(timer);
  }, [changesAt, onStale]);
  if (preview === null) return null;
  const forStart = scheduledAt !== null && Date.parse(preview.at) === Date.parse(scheduledAt);
  const sendable = ready - (preview.never?.rows ?? 0);
  return (
    <>
      {sendable > 0 && (
        <WindowLines
          window={preview}
          ready={sendable}
          title={forStart ? 'Send window, at the scheduled start' : 'Send window, if you send now'}
          testIds="preview"
        />
      )}
      {preview.never && (
        <p className="warning small" data-testid="preview-never">
          {preview.never.words}
        </p>
      )}
    </>
  );
}
