import { useState } from 'react';
import type { EventPayload } from '../../../shared/api';
import { useDeskEvent } from './useDesk';

export type SendProgress = EventPayload<'send.progress'>;

/** The latest rate and time-left estimate the core pushed for this campaign's run. */
export function useSendProgress(campaignId: string): SendProgress | null {
  const [progress, setProgress] = useState<SendProgress | null>(null);
  useDeskEvent('send.progress', (p) => {
    if (p.campaignId === campaignId) setProgress(p);
  });
  return progress;
}
