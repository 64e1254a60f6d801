import { useCallback, useEffect, useRef, useState } from 'react';
import type { CampaignPatch, CampaignView } from '../../../shared/api';
import { errorText } from '../format';
import { useDesk } from './useDesk';

export type Draft = Pick<
  CampaignView,
  | 'phoneColumn'
  | 'timeZoneColumn'
  | 'defaultCountry'
  | 'template'
  | 'senderId'
  | 'serviceId'
  | 'smartlinks'
  | 'requestOptions'
  | 'sendWindow'
>;

export interface CampaignEditor {
  /** What the inputs show: ahead of the saved campaign while edits are pending. */
  draft: Draft;
  edit(patch: CampaignPatch): void;
  /** Saves pending edits now; resolves once every edit so far is answered, true when all were saved. */
  flush(): Promise<boolean>;
  /** Counts saved edits that change the rows, so views of them know when to refetch. */
  revision: number;
  error: string | null;
}

const SAVE_DELAY_MS = 300;
/** The settings that change how rows are rendered or checked. */
const ROW_FIELDS = ['phoneColumn', 'timeZoneColumn', 'defaultCountry', 'template'] as const;

/** Keeps a draft of the campaign's settings and saves it with `campaigns.update`, typing debounced. */
export function useCampaignEditor(
  campaign: CampaignView,
  onSaved: (view: CampaignView) => void,
): CampaignEditor {
  const desk = useDesk();
  const [draft, setDraft] = useState<Draft>(() => ({
    phoneColumn: campaign.phoneColumn,
    timeZoneColumn: campaign.timeZoneColumn,
    defaultCountry: campaign.defaultCountry,
    template: campaign.template,
    senderId: campaign.senderId,
    serviceId: campaign.serviceId,
    smartlinks: campaign.smartlinks,
    requestOptions: campaign.requestOptions,
    sendWindow: campaign.sendWindow,
  }));
  const [revision, setRevision] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const pending = useRef<CampaignPatch>({});
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  // Updates go out one at a time so that answers arrive, and apply, in the order of the edits.
  const queue = useRef<Promise<boolean>>(Promise.resolve(true));
  const { id } = campaign;

  const flush = useCallback((): Promise<boolean> => {
    clearTimeout(timer.current);
    const patch = pending.current;
    pending.current = {};
    if (Object.keys(patch).length > 0) {
      queue.current = queue.current
        .then(() => desk.call('campaigns.update', { id, patch }))
        .then(
          (view) => {
            setError(null);
            // Moving to another service may bring that service's country with it.
            const countryFollowed = !('defaultCountry' in patch) && 'serviceId' in patch;
            if (countryFollowed) setDraft((d) => ({ ...d, defaultCountry: view.defaultCountry }));
            if (countryFollowed || ROW_FIELDS.some((field) => field in patch)) setRevision((r) => r + 1);
            onSaved(view);
            return true;
          },
          (e: unknown) => {
            // Kept for the next save, under any newer edit of the same fields.
            pending.current = { ...patch, ...pending.current };
            setError(errorText(e));
            return false;
          },
        );
    }
    return queue.current;
  }, [desk, id, onSaved]);

  const edit = useCallback(
    (patch: CampaignPatch) => {
      setDraft((d) => ({ ...d, ...patch }));
      pending.current = { ...pending.current, ...patch };
      clearTimeout(timer.current);
      if ('template' in patch || 'senderId' in patch || 'requestOptions' in patch || 'sendWindow' in patch) {
        timer.current = setTimeout(() => void flush(), SAVE_DELAY_MS);
      } else {
        void flush();
      }
    },
    [flush],
  );

  useEffect(() => () => void flush(), [flush]);

  return { draft, edit, flush, revision, error };
}
