import { useEffect, useState } from 'react';
import type { RequestPreview as Preview } from '../../shared/api';
import { errorText } from './format';
import { useDesk } from './hooks/useDesk';
import { SEND_API_NAMES } from './ServiceForm';

interface Props {
  campaignId: string;
  row: number;
  /** Changes whenever the saved campaign or its service changes what the request would be. */
  version: string;
}

type Shown = { preview: Preview } | { error: string };

/** The HTTP request the selected row's message goes out in, fetched from the core only while open. */
export function RequestPreview({ campaignId, row, version }: Props) {
  const desk = useDesk();
  const [open, setOpen] = useState(false);
  const [shown, setShown] = useState<Shown | null>(null);

  useEffect(() => {
    if (!open) return;
    let current = true;
    desk.call('campaigns.requestPreview', { id: campaignId, row }).then(
      (preview) => current && setShown({ preview }),
      (error: unknown) => current && setShown({ error: errorText(error) }),
    );
    return () => {
      current = false;
    };
  }, [desk, open, campaignId, row, version]);

  return (
    <details className="card request-preview" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Request that will be sent</summary>
      {shown === null ? (
        <p className="muted small">Loading…</p>
      ) : 'error' in shown ? (
        <p className="warning small">{shown.error}</p>
      ) : (
        <>
          <p className="small">
            Row {(row + 1).toLocaleString()} through {SEND_API_NAMES[shown.preview.api]}
            {shown.preview.api === 'messaging' &&
              ': one request carries up to 1,000 rows, each an entry like this one'}
            . The service key is masked.
          </p>
          {shown.preview.problem && (
            <p className="warning small" data-testid="request-problem">
              Not sent as it stands: {shown.preview.problem}
            </p>
          )}
          <pre data-testid="request-preview">{requestText(shown.preview)}</pre>
        </>
      )}
    </details>
  );
}

function requestText({ method, url, headers, body }: Preview): string {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return `${method} ${url}\n${lines.join('\n')}\n\n${JSON.stringify(body, null, 2)}`;
}
