import { useId, useState } from 'react';
import type { CampaignView } from '../../shared/api';
import type { ChosenFile } from './api/desk-client';
import { ErrorNote } from './ErrorNote';
import { problemOf, type Problem } from './format';
import { useDesk } from './hooks/useDesk';

interface Props {
  campaign: CampaignView;
  /** The workbook the campaign was imported from, still at hand in this window. */
  file: ChosenFile;
  onImported: (campaign: CampaignView) => void;
}

/** For a workbook of several sheets: which one the rows came from, and importing another instead. */
export function SheetChooser({ campaign, file, onImported }: Props) {
  const desk = useDesk();
  const id = useId();
  const [sheet, setSheet] = useState(campaign.sheet ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Problem | null>(null);

  async function importSheet() {
    setBusy(true);
    setError(null);
    try {
      const uploadId = await file.upload();
      onImported(await desk.call('campaigns.import', { fileName: file.name, source: { uploadId }, sheet }));
    } catch (e) {
      const problem = problemOf(e);
      setError({ ...problem, text: `The sheet "${sheet}" could not be imported. ${problem.text}` });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="sheet-chooser" data-testid="sheet-chooser">
      <label htmlFor={id}>
        Rows from the sheet "{campaign.sheet}" of {file.name}. Sheet:
      </label>{' '}
      <select id={id} value={sheet} disabled={busy} onChange={(e) => setSheet(e.target.value)}>
        {campaign.sheets.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>{' '}
      <button
        type="button"
        className="button"
        disabled={busy || sheet === campaign.sheet}
        onClick={() => void importSheet()}
      >
        {busy ? 'Importing…' : 'Import this sheet instead'}
      </button>
      <ErrorNote error={error} />
    </div>
  );
}
