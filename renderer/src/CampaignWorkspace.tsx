import { lazy, Suspense, useState } from 'react';
import type { CampaignView, ServiceView } from '../../shared/api';
import type { ChosenFile } from './api/desk-client';
import { ComposePanel } from './ComposePanel';
import { formatDate } from './format';
import { useCampaignEditor } from './hooks/useCampaignEditor';
import { useChangeCount } from './hooks/useChangeCount';
import { useDeskEvent } from './hooks/useDesk';
import { useFocusOnChange } from './hooks/useFocusOnChange';
import { useMessagePreview } from './hooks/useMessagePreview';
import { useRow } from './hooks/useRows';
import { PhonePreview } from './PhonePreview';
import { RecipientSettings } from './RecipientSettings';
import { RecipientsTable } from './RecipientsTable';
import { RequestPreview } from './RequestPreview';
import { RowDetailsDialog } from './RowDetailsDialog';
import { SendPanel } from './SendPanel';
import { SheetChooser } from './SheetChooser';
import { JournalDamageNotice } from './JournalDamageNotice';

// The chart library is loaded only for campaigns that have been sent.
const DeliveryDashboard = lazy(() =>
  import('./DeliveryDashboard').then((m) => ({ default: m.DeliveryDashboard })),
);

interface Props {
  campaign: CampaignView;
  services: readonly ServiceView[];
  onSaved: (campaign: CampaignView) => void;
  onSent: (campaign: CampaignView, before: CampaignView) => void;
  onNew: () => void;
  /** Changes each time the user opens this campaign (or imports it): focus goes to its title. */
  focusKey: number;
  /** The workbook of several sheets the campaign was just imported from. */
  workbook?: ChosenFile;
  onImported: (campaign: CampaignView, file: ChosenFile) => void;
}

/** One campaign: settings and message on the left, preview and sending on the right, rows below. */
export function CampaignWorkspace({
  campaign,
  services,
  onSaved,
  onSent,
  onNew,
  focusKey,
  workbook,
  onImported,
}: Props) {
  const editor = useCampaignEditor(campaign, onSaved);
  // Mounted only when the user opened or imported the campaign.
  const title = useFocusOnChange<HTMLHeadingElement>(focusKey, true);
  // The core re-checks drafts on its own when the opt-out list changes, and says so with this event.
  const [rechecks, setRechecks] = useState(0);
  useDeskEvent('campaign.updated', (view) => {
    if (view.id === campaign.id && view.state === 'draft') setRechecks((n) => n + 1);
  });
  // Rows shown as waiting (or, before a send, as they would wait) change when a window opens or shuts, though no
  // row's status does: fetched again then.
  const windowChanges = useChangeCount(
    `${campaign.counts.waiting ?? 0} ${campaign.nextWindowAt} ${campaign.windowPreview?.changesAt} ${campaign.scheduledAt}`,
  );
  const revision = editor.revision + rechecks + windowChanges;
  const [selected, setSelected] = useState(0);
  const selectedRow = useRow(campaign.id, selected, revision);
  const preview = useMessagePreview(editor.draft.template, campaign.columns, selectedRow?.values);
  const locked = campaign.state !== 'draft';
  const sent = campaign.startedAt !== null;
  const [detailsRow, setDetailsRow] = useState<number | null>(null);
  const service = services.find((s) => s.id === campaign.serviceId);
  // What the request is made of, as saved: the preview is fetched again when any of it changes.
  const requestVersion = JSON.stringify([
    campaign.phoneColumn,
    campaign.defaultCountry,
    campaign.template,
    campaign.senderId,
    campaign.smartlinks,
    campaign.requestOptions,
    service,
    revision,
  ]);

  return (
    <div className="workspace">
      <div className="workspace-head">
        <div>
          <h2 ref={title} tabIndex={-1} className="view-title">
            {campaign.name}
          </h2>
          <p className="muted small">Created {formatDate(campaign.createdAt)}</p>
          {campaign.origin && (
            <p className="muted small origin" data-testid="campaign-origin">
              {campaign.origin.kind === 'copy' ? 'A copy of' : 'The rows that failed in'} &ldquo;
              {campaign.origin.campaignName}&rdquo;
            </p>
          )}
        </div>
        <button type="button" className="button" onClick={onNew}>
          New campaign
        </button>
      </div>
      {workbook && !locked && (
        <SheetChooser campaign={campaign} file={workbook} onImported={(next) => onImported(next, workbook)} />
      )}
      {locked && (
        <p className="notice">
          {campaign.state === 'scheduled'
            ? 'This campaign is scheduled; cancel the schedule to change its recipients or message.'
            : 'This campaign has been sent, so its recipients and message can no longer change.'}
        </p>
      )}
      <JournalDamageNotice campaign={campaign} />
      {editor.error && (
        <p className="error" role="alert">
          Your last change was not saved: {editor.error}
        </p>
      )}
      <div className="workspace-grid">
        <div className="stack">
          <RecipientSettings campaign={campaign} draft={editor.draft} edit={editor.edit} locked={locked} />
          <ComposePanel
            campaign={campaign}
            draft={editor.draft}
            edit={editor.edit}
            locked={locked}
            services={services}
            preview={preview}
            rowNumber={selected + 1}
          />
        </div>
        <div className="stack">
          <PhonePreview
            senderId={editor.draft.senderId}
            preview={preview}
            row={selectedRow}
            phoneColumn={campaign.phoneColumn}
          />
          <RequestPreview campaignId={campaign.id} row={selected} version={requestVersion} />
          <SendPanel
            campaign={campaign}
            row={selected}
            beforeSend={editor.flush}
            onSent={onSent}
            onChanged={onSaved}
          />
        </div>
      </div>
      {sent && (
        <Suspense fallback={null}>
          <DeliveryDashboard campaignId={campaign.id} nextWindowAt={campaign.nextWindowAt} />
        </Suspense>
      )}
      <RecipientsTable
        campaign={campaign}
        revision={revision}
        selected={selected}
        onSelect={setSelected}
        onOpen={sent ? setDetailsRow : null}
      />
      {detailsRow !== null && (
        <RowDetailsDialog campaignId={campaign.id} row={detailsRow} onClose={() => setDetailsRow(null)} />
      )}
    </div>
  );
}
