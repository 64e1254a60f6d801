import { useEffect, useRef, useState } from 'react';
import type { Dashboard } from '../../../shared/api';
import { errorText } from '../format';
import { useDesk, useDeskEvent } from './useDesk';

/** Reports arrive by the thousand: the figures are fetched again at most this often. */
const REFRESH_MS = 1500;

/** A campaign's delivery figures, refreshed (throttled) as the campaign changes and its numbers reply. */
export function useDashboard(campaignId: string): { dashboard: Dashboard | null; error: string | null } {
  const desk = useDesk();
  const [dashboard, setDashboard] = useState<Dashboard | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [wanted, setWanted] = useState(0);
  const lastFetch = useRef(-Infinity);
  // Answers can cross: only the latest request's is shown.
  const latest = useRef(0);

  useDeskEvent('campaign.updated', (view) => {
    if (view.id === campaignId) setWanted((n) => n + 1);
  });
  // Replies and opt-outs change no row: the inbox's event is the one that tells of them.
  useDeskEvent('inbox.received', (entry) => {
    if (entry.match?.campaignId === campaignId) setWanted((n) => n + 1);
  });

  useEffect(() => () => void (latest.current = -1), []);

  useEffect(() => {
    const fetch = () => {
      lastFetch.current = performance.now();
      const request = ++latest.current;
      desk.call('campaigns.dashboard', { id: campaignId }).then(
        (d) => {
          if (request !== latest.current) return;
          setDashboard(d);
          setError(null);
        },
        (e: unknown) => {
          if (request === latest.current) setError(errorText(e));
        },
      );
    };
    const timer = setTimeout(fetch, Math.max(0, lastFetch.current + REFRESH_MS - performance.now()));
    return () => clearTimeout(timer);
  }, [desk, campaignId, wanted]);

  return { dashboard, error };
}
