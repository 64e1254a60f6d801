import { useId, useState, type DragEvent } from 'react';
import type { CampaignView } from '../../shared/api';
import { errorText, plural } from './format';
import { useDesk, useDeskEvent } from './hooks/useDesk';

interface Progress {
  fileName: string;
  step: 'reading' | 'importing';
  rows: number;
}

const SPREADSHEET = /\.(xlsx?|ods|numbers)$/i;

export function ImportPanel({ onImported }: { onImported: (campaign: CampaignView) => void }) {
  const desk = useDesk();
  const hintId = useId();
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);

  useDeskEvent('import.progress', ({ fileName, rows }) =>
    setProgress((p) => (p?.fileName === fileName ? { ...p, rows } : p)),
  );

  async function importFile(file: File) {
    setError(null);
    if (SPREADSHEET.test(file.name)) {
      setError(
        `${file.name} is a spreadsheet. Save it as CSV first (File › Save As › CSV), then import that file.`,
      );
      return;
    }
    setProgress({ fileName: file.name, step: 'reading', rows: 0 });
    try {
      const csv = await file.text();
      setProgress({ fileName: file.name, step: 'importing', rows: 0 });
      onImported(await desk.call('campaigns.import', { fileName: file.name, csv }));
    } catch (e) {
      setError(`${file.name} could not be imported. ${errorText(e)}`);
    } finally {
      setProgress(null);
    }
  }

  function onDrop(e: DragEvent) {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file && !progress) void importFile(file);
  }

  return (
    <section className="card import" aria-labelledby={`${hintId}-title`}>
      <h2 id={`${hintId}-title`}>Start a campaign</h2>
      <p className="muted" id={hintId}>
        Import a CSV file of recipients: a header line, then one row per person with a phone number and any
        other columns you want to use in the message (name, order number…).
      </p>
      <div
        className={`drop-zone${dragging ? ' dragging' : ''}`}
        data-testid="drop-zone"
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
          setDragging(true);
        }}
        onDragLeave={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={onDrop}
      >
        {progress ? (
          <div className="import-progress" role="status">
            <progress aria-label="Import progress" />
            <span>
              {progress.step === 'reading'
                ? `Reading ${progress.fileName}…`
                : progress.rows > 0
                  ? `Importing ${progress.fileName}: ${plural(progress.rows, 'row')} read…`
                  : `Importing ${progress.fileName}…`}
            </span>
          </div>
        ) : (
          <>
            <p>Drop the CSV file here</p>
            <p className="muted">or</p>
            <label className="button primary file-button">
              Choose a CSV file…
              <input
                className="visually-hidden"
                type="file"
                accept=".csv,.tsv,.txt,text/csv"
                aria-describedby={hintId}
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  e.target.value = '';
                  if (file) void importFile(file);
                }}
              />
            </label>
          </>
        )}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <p className="muted small">
        New campaigns send through the Sandbox, a built-in simulator: nothing reaches a real phone until you
        add your IMIconnect service under Services.
      </p>
    </section>
  );
}
