import { useCallback, useEffect, useRef, useState } from 'react';
import type { CampaignView } from '../../shared/api';
import { campaignFigures } from '../../shared/campaign-figures';
import { ROW_STATUSES } from '../../shared/status';
import { plural } from './format';
import { useAnnounce } from './Announcer';
import { ReportExports } from './ReportExports';
import { useAction } from './hooks/useAction';
import { useFocusOnChange, useFocusRequest } from './hooks/useFocusOnChange';
import { useDesk, useDeskEvent } from './hooks/useDesk';
import { useSendProgress } from './hooks/useSendProgress';
import { CancelDialog } from './CancelDialog';
import { ScheduleForm } from './ScheduleForm';
import { SendPlanDialog } from './SendPlanDialog';
import { NextWindowLine, SendProgressLine } from './SendProgressLine';
import { TestSendForm } from './TestSendForm';
import { UnknownRowsNotice } from './UnknownRowsNotice';
import { WindowPreviewLines } from './WindowLines';
import { ErrorNote } from './ErrorNote';

interface Props {
  campaign: CampaignView;
  /** The row selected in the table: its message is the one a test sends. */
  row: number;
  /** Saves pending edits, so that what is sent is what is on screen; false when they could not be. */
  beforeSend: () => Promise<boolean>;
  /**
   * A run started: `campaign` is the core's answer, `before` the campaign shown when it was asked. A view
   * pushed meanwhile (the run may even have ended) is newer than the answer.
   */
  onSent: (campaign: CampaignView, before: CampaignView) => void;
  /** The campaign as it now stands (paused, cancelled, scheduled, tested). */
  onChanged: (campaign: CampaignView) => void;
}

const STATE_TEXT: Partial<Record<CampaignView['state'], string>> = {
  sending: 'Sending…',
  paused: 'Paused. Messages not yet sent stay ready until you resume.',
  stopped: 'Sending stopped.',
  cancelled: 'Cancelled. Messages not sent by then will never be sent.',
};

/** The figures a screen reader hears when sending ends, or when the last report arrives. */
function totalsText(campaign: CampaignView, sendable: number): string {
  const f = campaignFigures(campaign.counts);
  const awaiting = (campaign.counts.queued ?? 0) + (campaign.counts.submitted ?? 0);
  return (
    `${f.sent.toLocaleString()} of ${plural(sendable, 'message')} sent: ${f.delivered.toLocaleString()} delivered, ` +
    `${f.failed.toLocaleString()} failed` +
    (awaiting > 0 ? `, ${awaiting.toLocaleString()} waiting for a report.` : '.')
  );
}

export function SendPanel({ campaign, row, beforeSend, onSent, onChanged }: Props) {
  const desk = useDesk();
  const progress = useSendProgress(campaign.id);
  const { busy, error, run } = useAction();
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [planOpen, setPlanOpen] = useState(false);
  const { counts, state } = campaign;
  const count = (status: keyof typeof counts) => counts[status] ?? 0;
  const sendable = campaign.rowCount - count('skipped');
  // Rows waiting for their window are ready rows whose window is shut.
  const notSent = count('ready') + count('waiting');
  const sent = sendable - notSent - count('sending');
  const awaitingReports = count('sending') + count('queued') + count('submitted');
  const onlyWaiting = state === 'sending' && count('waiting') > 0 && count('ready') + count('sending') === 0;
  const stateText =
    (onlyWaiting ? 'Waiting: every message left waits for its window to open.' : STATE_TEXT[state]) ??
    (awaitingReports > 0 ? 'All messages handed to the service; waiting for delivery reports…' : 'Finished.');

  // Buttons that start, stop or cancel a run go away with the state they belong to: focus goes to the heading.
  const [stateChanged, requestHeadingFocus] = useFocusRequest();
  const heading = useFocusOnChange<HTMLHeadingElement>(stateChanged);

  // Spoken through the app's live region: throttled progress, then the totals when the run ends and when the
  // last report arrives.
  const announce = useAnnounce();
  const before = useRef({ state, awaitingReports });
  useEffect(() => {
    const was = before.current;
    before.current = { state, awaitingReports };
    if (state === 'sending')
      announce(`${sent.toLocaleString()} of ${plural(sendable, 'message')} sent`, 'progress');
    else if (was.state === 'sending') announce(`${stateText} ${totalsText(campaign, sendable)}`);
    else if (was.awaitingReports > 0 && awaitingReports === 0 && state === was.state)
      announce(`All delivery reports are in. ${totalsText(campaign, sendable)}`);
  }, [announce, campaign, state, sent, sendable, awaitingReports, stateText]);

  /**
   * The campaign as the core now shows it: what it derives from the clock or the tunnel changed. Dropped when a
   * newer view came meanwhile (a send just started), as the answer would take it back.
   */
  const shown = useRef(campaign);
  shown.current = campaign;
  const refresh = useCallback(() => {
    const asked = shown.current;
    desk.call('campaigns.get', { id: asked.id }).then(
      (view) => {
        if (shown.current === asked) onChanged(view);
      },
      () => undefined,
    );
  }, [desk, onChanged]);
  // Whether reports can reach this computer follows the tunnel of the campaign's service.
  useDeskEvent('tunnel.status', (tunnel) => {
    if (tunnel.serviceId === campaign.serviceId) refresh();
  });

  /** Saves pending edits, then shows what sending will do; only its confirmation sends. */
  const reviewPlan = () =>
    run(async () => {
      if (await beforeSend()) setPlanOpen(true);
    });
  const sendPlan = async (digest: string) => {
    const before = campaign;
    const sending = await desk.call('campaigns.send', { id: campaign.id, digest });
    setPlanOpen(false);
    onSent(sending, before);
    requestHeadingFocus();
  };
  const resume = () =>
    run(async () => {
      const before = campaign;
      onSent(await desk.call('campaigns.send', { id: campaign.id }), before);
      requestHeadingFocus();
    });
  const pause = () => run(async () => onChanged(await desk.call('campaigns.pause', { id: campaign.id })));
  /** Sending stops at once; the dialog then asks what becomes of the messages not yet sent. */
  const askCancel = () => {
    setConfirmCancel(true);
    if (state === 'sending') void pause();
  };
  const cancel = () =>
    run(async () => {
      onChanged(await desk.call('campaigns.cancel', { id: campaign.id }));
      setConfirmCancel(false);
      requestHeadingFocus();
    });
  const resendUnknown = () =>
    run(async () => {
      const before = campaign;
      onSent(await desk.call('campaigns.resendUnknown', { id: campaign.id }), before);
      requestHeadingFocus();
    });

  const errorLine = <ErrorNote error={error} />;

  if (state === 'draft' || state === 'scheduled') {
    return (
      <section className="card send" aria-labelledby="send-title">
        <h2 id="send-title" ref={heading} tabIndex={-1}>
          Send
        </h2>
        <p>
          {plural(count('ready'), 'recipient')} ready
          {count('skipped') > 0 && ` · ${count('skipped').toLocaleString()} skipped (see the table)`}
        </p>
        <WindowPreviewLines
          preview={campaign.windowPreview}
          ready={count('ready')}
          scheduledAt={campaign.scheduledAt}
          onStale={refresh}
        />
        <p className="problem" data-testid="problem">
          {campaign.problem}
        </p>
        <ErrorNote error={campaign.error} detail={campaign.errorDetail} />
        {campaign.receiverWarning && (
          <p className="warning" role="status" data-testid="receiver-warning">
            {campaign.receiverWarning}
          </p>
        )}
        {!campaign.startMissed && (
          <button
            type="button"
            className="button primary"
            disabled={campaign.problem !== null || busy}
            onClick={() => void reviewPlan()}
          >
            {state === 'scheduled' ? 'Send now' : 'Send campaign'}
          </button>
        )}
        {planOpen && (
          <SendPlanDialog
            campaign={campaign}
            confirmLabel="Confirm and send"
            onConfirm={sendPlan}
            onClose={() => setPlanOpen(false)}
          />
        )}
        <ScheduleForm
          campaign={campaign}
          beforeSend={beforeSend}
          onDone={onChanged}
          onSendNow={() => void reviewPlan()}
        />
        <TestSendForm campaign={campaign} row={row} beforeSend={beforeSend} onDone={onChanged} />
        {errorLine}
      </section>
    );
  }

  const resumable = (state === 'paused' || state === 'stopped') && notSent > 0;
  const cancellable = state === 'sending' || state === 'paused' || state === 'stopped';

  return (
    <section className="card send" aria-labelledby="send-title">
      <h2 id="send-title" ref={heading} tabIndex={-1}>
        Delivery
      </h2>
      <p data-testid="send-state">{stateText}</p>
      <progress
        className="send-progress"
        max={Math.max(sendable, 1)}
        value={sent}
        aria-label="Messages sent"
      />
      <p data-testid="sent-progress">
        {sent.toLocaleString()} of {plural(sendable, 'message')} sent
      </p>
      {state === 'sending' && progress && (
        <SendProgressLine progress={progress} waiting={count('waiting') > 0} />
      )}
      <NextWindowLine at={campaign.nextWindowAt} />
      <ul className="counts" aria-label="Rows by status">
        {ROW_STATUSES.filter((status) => count(status) > 0).map((status) => (
          <li key={status} data-testid={`count-${status}`}>
            <span className={`status status-${status}`}>{status}</span> {count(status).toLocaleString()}
          </li>
        ))}
      </ul>
      <UnknownRowsNotice campaign={campaign} busy={busy} onResend={() => void resendUnknown()} />
      <ErrorNote error={campaign.error} detail={campaign.errorDetail} />
      {resumable && campaign.problem && <p className="problem">{campaign.problem}</p>}
      <div className="actions">
        {state === 'sending' && (
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() => void pause().then(requestHeadingFocus)}
          >
            Pause
          </button>
        )}
        {resumable && (
          <button
            type="button"
            className="button primary"
            disabled={campaign.problem !== null || busy}
            onClick={() => void resume()}
          >
            Resume sending ({plural(notSent, 'message')} not sent)
          </button>
        )}
        {cancellable && (
          <button type="button" className="button" disabled={busy} onClick={askCancel}>
            Cancel campaign
          </button>
        )}
        <ReportExports campaignId={campaign.id} busy={busy} run={run} />
      </div>
      {/* A run that ended by itself meanwhile leaves nothing to cancel. */}
      {confirmCancel && cancellable && (
        <CancelDialog
          campaign={campaign}
          busy={busy}
          error={error}
          onCancel={() => void cancel()}
          onResume={() => {
            setConfirmCancel(false);
            void resume();
          }}
          onKeep={() => setConfirmCancel(false)}
        />
      )}
      {errorLine}
    </section>
  );
}
