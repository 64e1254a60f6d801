import { useEffect, useId, useRef, useState } from 'react';
import type { CampaignView, EventPayload } from '../../shared/api';
import { DeskCallError, UPLOAD_CANCELLED, type ChosenFile } from './api/desk-client';
import { percent, plural, problemOf, type Problem } from './format';
import { useAnnounce } from './Announcer';
import { useDesk, useDeskEvent } from './hooks/useDesk';
import { useFileDrop, useFileInput } from './hooks/useFileChoice';
import { useFocusOnChange, useFocusRequest } from './hooks/useFocusOnChange';
import { ErrorNote } from './ErrorNote';

type Phase = 'uploading' | EventPayload<'import.progress'>['phase'];

interface Progress {
  fileName: string;
  phase: Phase;
  rows: number;
  /** 0..1 of the current phase. */
  fraction: number;
  cancelling: boolean;
}

interface Job {
  importId: string;
  upload: AbortController;
  cancelled: boolean;
  /** Whether a cancel was sent after the core reported the import as started. */
  cancelConfirmed: boolean;
}

/** Where each phase starts and ends on the overall progress bar. */
const PHASE_SPAN: Record<Exclude<Phase, 'uploading'>, [number, number]> = {
  reading: [0, 0.05],
  parsing: [0.05, 0.45],
  checking: [0.45, 0.95],
  saving: [0.95, 1],
};

function overall({ phase, fraction }: Progress): number | undefined {
  if (phase === 'uploading') return undefined;
  const [start, end] = PHASE_SPAN[phase];
  return start + (end - start) * Math.min(Math.max(fraction, 0), 1);
}

function describe({ fileName, phase, rows, fraction, cancelling }: Progress): string {
  if (cancelling) return `Cancelling the import of ${fileName}…`;
  switch (phase) {
    case 'uploading':
      return `Sending ${fileName} to Campaign Desk…`;
    case 'reading':
      return `Reading ${fileName}…`;
    case 'parsing':
      return `Reading rows: ${plural(rows, 'row')} so far (${percent(fraction)} of the file)`;
    case 'checking':
      return `Checking numbers and messages of ${plural(rows, 'row')} (${percent(fraction)})`;
    case 'saving':
      return `Saving ${plural(rows, 'row')}…`;
  }
}

/** What an import made, for those who cannot see the campaign open. */
function importedText(fileName: string, campaign: CampaignView): string {
  const skipped = campaign.counts.skipped ?? 0;
  return (
    `${fileName} imported: ${plural(campaign.rowCount, 'row')}, ${(campaign.counts.ready ?? 0).toLocaleString()} ready` +
    (skipped > 0 ? `, ${skipped.toLocaleString()} skipped.` : '.')
  );
}

interface Props {
  onImported: (campaign: CampaignView, file: ChosenFile) => void;
  /** Changes when the user asks for a new campaign: focus goes to this panel's title (0: never asked). */
  focusKey: number;
}

export function ImportPanel({ onImported, focusKey }: Props) {
  const desk = useDesk();
  const announce = useAnnounce();
  const title = useFocusOnChange<HTMLHeadingElement>(focusKey, focusKey > 0);
  // A cancelled import takes its Cancel button away: focus goes back to the file button.
  const [cancelled, requestChooserFocus] = useFocusRequest();
  const chooser = useFocusOnChange<HTMLInputElement>(cancelled);
  const hintId = useId();
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<Problem | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const job = useRef<Job | null>(null);

  useDeskEvent('import.progress', (event) => {
    const current = job.current;
    if (event.importId !== current?.importId) return;
    // A cancel sent before the core registered the import is lost; repeat it now that it runs.
    if (current.cancelled && !current.cancelConfirmed && !event.done) {
      current.cancelConfirmed = true;
      void desk.call('imports.cancel', { importId: current.importId }).catch(() => undefined);
    }
    setProgress((p) => p && { ...p, phase: event.phase, rows: event.rows, fraction: event.fraction });
  });
  useEffect(() => {
    if (progress && !progress.cancelling) announce(describe(progress), 'progress');
  }, [announce, progress]);

  async function importFile(file: ChosenFile) {
    setError(null);
    setNotice(null);
    const current: Job = {
      importId: crypto.randomUUID(),
      upload: new AbortController(),
      cancelled: false,
      cancelConfirmed: false,
    };
    job.current = current;
    setProgress({ fileName: file.name, phase: 'uploading', rows: 0, fraction: 0, cancelling: false });
    try {
      const uploadId = await file.upload(current.upload.signal);
      if (current.cancelled) throw new DeskCallError(UPLOAD_CANCELLED, 'The import was cancelled.');
      setProgress((p) => p && { ...p, phase: 'reading' });
      const campaign = await desk.call('campaigns.import', {
        importId: current.importId,
        fileName: file.name,
        source: { uploadId },
      });
      // A cancel that came too late (the file was already saved) leaves a campaign: open it.
      announce(importedText(file.name, campaign));
      onImported(campaign, file);
    } catch (e) {
      const cancelled =
        e instanceof DeskCallError && (e.code === 'import-cancelled' || e.code === UPLOAD_CANCELLED);
      if (cancelled) {
        const text = `Import cancelled: nothing was imported from ${file.name}.`;
        setNotice(text);
        announce(text);
        requestChooserFocus();
      } else {
        const problem = problemOf(e);
        setError({ ...problem, text: `${file.name} could not be imported. ${problem.text}` });
      }
    } finally {
      job.current = null;
      setProgress(null);
    }
  }

  function cancel() {
    const current = job.current;
    if (!current || current.cancelled) return;
    current.cancelled = true;
    current.upload.abort();
    setProgress((p) => p && { ...p, cancelling: true });
    void desk.call('imports.cancel', { importId: current.importId }).catch(() => undefined);
  }

  const onDrop = useFileDrop(!progress, (file) => void importFile(file));
  const fileInput = useFileInput(
    'recipients',
    (file) => void importFile(file),
    (e) => setError(problemOf(e)),
  );

  return (
    <section className="card import" aria-labelledby={`${hintId}-title`}>
      <h2 id={`${hintId}-title`} ref={title} tabIndex={-1} className="view-title">
        Start a campaign
      </h2>
      <p className="muted" id={hintId}>
        Import an Excel workbook (.xlsx) or a CSV file of recipients: a header row, then one row per person
        with a phone number and any other columns you want to use in the message (name, order number…). CSV
        files exported by Excel, Numbers or Google Sheets are read as they are, whatever their separator or
        encoding.
      </p>
      <div
        className={`drop-zone${dragging ? ' dragging' : ''}`}
        data-testid="drop-zone"
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = progress ? 'none' : 'copy';
          setDragging(!progress);
        }}
        onDragLeave={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={(e) => {
          setDragging(false);
          onDrop(e);
        }}
      >
        {progress ? (
          <div className="import-progress">
            <progress
              aria-label="Import progress"
              max={1}
              value={progress.cancelling ? undefined : overall(progress)}
            />
            <span data-testid="import-progress">{describe(progress)}</span>
            <button
              type="button"
              className="button"
              disabled={progress.cancelling || progress.phase === 'saving'}
              onClick={cancel}
            >
              Cancel import
            </button>
          </div>
        ) : (
          <>
            <p>Drop the Excel or CSV file here</p>
            <p className="muted">or</p>
            <label className="button primary file-button">
              Choose a CSV file or Excel workbook…
              <input ref={chooser} className="visually-hidden" {...fileInput} aria-describedby={hintId} />
            </label>
          </>
        )}
      </div>
      <ErrorNote error={error} />
      {notice && (
        <p className="notice" data-testid="import-notice">
          {notice}
        </p>
      )}
      <p className="muted small">
        New campaigns send through the Sandbox, a built-in simulator: nothing reaches a real phone until you
        add your IMIconnect service under Services.
      </p>
    </section>
  );
}
