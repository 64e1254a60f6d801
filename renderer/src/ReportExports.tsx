import { downloadCsv, downloadXlsx, userTimeZone } from './format';
import { useDesk } from './hooks/useDesk';

interface Props {
  campaignId: string;
  /** Names the campaign for screen readers where several are listed. */
  campaignName?: string;
  busy: boolean;
  run: (action: () => Promise<void>) => Promise<void>;
}

/** The delivery report's two downloads: CSV for machines, an Excel workbook for people. */
export function ReportExports({ campaignId, campaignName, busy, run }: Props) {
  const desk = useDesk();
  const of = campaignName === undefined ? '' : ` of ${campaignName}`;
  const csv = () =>
    run(async () => {
      const { fileName, csv } = await desk.call('campaigns.report', { id: campaignId });
      downloadCsv(fileName, csv);
    });
  const xlsx = () =>
    run(async () => {
      const { fileName, base64 } = await desk.call('campaigns.reportXlsx', {
        id: campaignId,
        timeZone: userTimeZone(),
      });
      downloadXlsx(fileName, base64);
    });
  return (
    <span className="export-report" role="group" aria-label={`Export report${of}`}>
      Export report:
      <button
        type="button"
        className="button"
        disabled={busy}
        aria-label={`Export report${of} as CSV`}
        onClick={() => void csv()}
      >
        CSV
      </button>
      <button
        type="button"
        className="button"
        disabled={busy}
        aria-label={`Export report${of} as Excel (.xlsx)`}
        onClick={() => void xlsx()}
      >
        Excel (.xlsx)
      </button>
    </span>
  );
}
