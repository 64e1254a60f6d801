import { useEffect, useState } from 'react';
import type { CampaignView } from '../../shared/api';
import { formatDate } from './format';
import { useDesk, useDeskEvent } from './hooks/useDesk';

interface Props {
  /** The campaign on screen, whose own question needs no banner. */
  shown: string | null;
  onOpen: (campaign: CampaignView) => void;
}

/** Names the campaigns whose scheduled start was missed, wherever the user is: each waits for a choice. */
export function MissedStartsBanner({ shown, onOpen }: Props) {
  const desk = useDesk();
  const [missed, setMissed] = useState<CampaignView[]>([]);
  useEffect(() => {
    let live = true;
    desk.call('campaigns.list', {}).then(
      (all) => live && setMissed(all.filter((c) => c.startMissed)),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [desk]);
  useDeskEvent('campaign.updated', (view) =>
    setMissed((list) => [...list.filter((c) => c.id !== view.id), ...(view.startMissed ? [view] : [])]),
  );
  const others = missed.filter((c) => c.id !== shown);
  if (others.length === 0) return null;
  return (
    <ul className="missed-starts" aria-label="Missed scheduled starts">
      {others.map((c) => (
        <li key={c.id} className="warning">
          “{c.name}” was to start at {formatDate(c.scheduledAt as string)}, while this computer was asleep or
          Campaign Desk was closed, and has not been sent.{' '}
          <button type="button" className="button" onClick={() => onOpen(c)}>
            Open “{c.name}” to choose
          </button>
        </li>
      ))}
    </ul>
  );
}
