import { useEffect, useRef, useState } from 'react';
import { frequencyCapWords } from '../../shared/frequency-cap';
import type { CampaignView, PlannedMessage, SendPlan, SkipReason } from '../../shared/api';
import { DeskCallError } from './api/desk-client';
import { ErrorNote } from './ErrorNote';
import { errorText, formatDate, formatMoney, plural, REASON_LABELS } from './format';
import { useDesk } from './hooks/useDesk';
import { ModalDialog } from './ModalDialog';
import { SEND_API_NAMES } from './ServiceForm';
import { StoredFileDamageNotice } from './StoredFileDamageNotice';
import { WindowLines } from './WindowLines';

interface Props {
  /** The campaign as last pushed: when it changes, the plan is worked out again. */
  campaign: CampaignView;
  /** A scheduled start; absent: as soon as it is confirmed. */
  at?: string;
  confirmLabel: string;
  /** Sends (or schedules) the plan whose digest is given; rejects when the core refuses it. */
  onConfirm: (digest: string) => Promise<void>;
  onClose: () => void;
}

const CHANGED = 'The campaign changed while this was open: the figures below are new. Check them again.';

/** What sending will do, worked out by the core; confirming sends exactly that, or nothing. */
export function SendPlanDialog({ campaign, at, confirmLabel, onConfirm, onClose }: Props) {
  const desk = useDesk();
  const [plan, setPlan] = useState<SendPlan | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The plan refused: rows that could never be sent, in its own words.
  const [refusal, setRefusal] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [revision, setRevision] = useState(0);
  const shown = useRef<string | null>(null);

  // What the plan depends on; a new campaign object alone (a tunnel's news) changes nothing.
  const planInputs = JSON.stringify([
    campaign.state,
    campaign.template,
    campaign.senderId,
    campaign.serviceId,
    campaign.smartlinks,
    campaign.requestOptions,
    campaign.phoneColumn,
    campaign.timeZoneColumn,
    campaign.sendWindow,
    campaign.defaultCountry,
    campaign.counts,
    campaign.skipCounts,
    campaign.totalSegments,
  ]);

  useEffect(() => {
    let live = true;
    // The plan on screen stays until the new one comes: confirming it meanwhile is refused if it is stale.
    desk.call('campaigns.plan', { id: campaign.id, at }).then(
      (next) => {
        if (!live) return;
        if (shown.current !== null && shown.current !== next.digest) setNotice(CHANGED);
        shown.current = next.digest;
        setRefusal(null);
        setPlan(next);
      },
      (e: unknown) => {
        if (!live) return;
        if (e instanceof DeskCallError && e.code === 'no-send-window') {
          setPlan(null);
          setRefusal(e.message);
        } else setError(errorText(e));
      },
    );
    return () => {
      live = false;
    };
  }, [desk, campaign.id, planInputs, at, revision]);

  async function confirm(digest: string) {
    setBusy(true);
    setError(null);
    try {
      await onConfirm(digest);
    } catch (e) {
      setError(errorText(e));
      // The core saw another plan: show that one, to be confirmed anew.
      if (e instanceof DeskCallError && e.code === 'plan-changed') setRevision((n) => n + 1);
    } finally {
      setBusy(false);
    }
  }

  return (
    <ModalDialog labelledBy="send-plan-title" className="send-plan" onClose={onClose}>
      <h2 id="send-plan-title">
        {at ? 'Schedule' : 'Send'} “{campaign.name}”?
      </h2>
      {notice && (
        <p className="warning" role="status" data-testid="plan-changed">
          {notice}
        </p>
      )}
      <ErrorNote error={error} />
      {refusal && (
        <p className="problem" role="alert" data-testid="plan-problem">
          {refusal}
        </p>
      )}
      {plan === null ? (
        !error && !refusal && <p className="muted">Working out what will be sent…</p>
      ) : (
        <>
          <StoredFileDamageNotice damage={plan.optOutDamage} />
          <PlanSummary plan={plan} />
        </>
      )}
      <div className="actions">
        <button
          type="button"
          className="button primary"
          disabled={plan === null || busy}
          onClick={() => plan && void confirm(plan.digest)}
        >
          {confirmLabel}
        </button>
        <button type="button" className="button" onClick={onClose}>
          Back
        </button>
      </div>
    </ModalDialog>
  );
}

function PlanSummary({ plan }: { plan: SendPlan }) {
  const skipped = Object.entries(plan.skipped) as [SkipReason, number][];
  const skippedTotal = skipped.reduce((sum, [, n]) => sum + n, 0);
  return (
    <>
      <dl className="details plan-figures">
        <div>
          <dt>Messages</dt>
          <dd data-testid="plan-ready">{plural(plan.ready, 'recipient')}</dd>
        </div>
        <div>
          <dt>Skipped</dt>
          <dd data-testid="plan-skipped">
            {skippedTotal === 0
              ? 'none'
              : `${skippedTotal.toLocaleString()}: ${skipped
                  .map(([reason, n]) => `${n.toLocaleString()} ${REASON_LABELS[reason]}`)
                  .join(', ')}`}
          </dd>
        </div>
        {plan.frequencyCap && (
          <div>
            <dt>Frequency cap</dt>
            <dd data-testid="plan-frequency-cap">
              {frequencyCapWords(plan.frequencyCap)}
              {plan.frequencyCap.damage && <span className="warning"> {plan.frequencyCap.damage}</span>}
            </dd>
          </div>
        )}
        <div>
          <dt>Segments</dt>
          <dd data-testid="plan-segments">{plan.segments.toLocaleString()}</dd>
        </div>
        <div>
          <dt>Cost</dt>
          <dd data-testid="plan-cost">
            {formatMoney(plan.cost.amount)} {plan.cost.currency}
            <span className="muted"> ({formatMoney(plan.cost.pricePerSegment)} a segment)</span>
          </dd>
        </div>
        <div>
          <dt>Sender</dt>
          <dd data-testid="plan-sender">{plan.senderId}</dd>
        </div>
        <div>
          <dt>Service</dt>
          <dd data-testid="plan-service">
            {plan.service.name} · {SEND_API_NAMES[plan.api]}
          </dd>
        </div>
        <div>
          <dt>Starts</dt>
          <dd data-testid="plan-start">
            {plan.startAt ? formatDate(plan.startAt) : 'Now, as soon as you confirm'}
          </dd>
        </div>
      </dl>
      <WindowLines window={plan.window} ready={plan.ready} title="Send window" testIds="plan" />
      <PlannedMessageView label="First message" testId="plan-first" message={plan.first} />
      {plan.ready > 1 && <PlannedMessageView label="Last message" testId="plan-last" message={plan.last} />}
    </>
  );
}

function PlannedMessageView({
  label,
  testId,
  message,
}: {
  label: string;
  testId: string;
  message: PlannedMessage;
}) {
  return (
    <figure className="planned-message" data-testid={testId}>
      <figcaption>
        {label}: row {(message.row + 1).toLocaleString()}, to <span className="mono">{message.msisdn}</span>,{' '}
        {plural(message.segments, 'segment')} ({message.encoding})
      </figcaption>
      <blockquote data-testid={`${testId}-text`}>{message.text}</blockquote>
    </figure>
  );
}
