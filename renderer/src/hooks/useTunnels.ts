import { useCallback, useEffect, useState } from 'react';
import type { TunnelStatus } from '../../../shared/api';
import { errorText } from '../format';
import { useDesk, useDeskEvent } from './useDesk';

/** Every service's tunnel status, kept live; loaded again when `revision` changes (services saved). */
export function useTunnels(revision: unknown) {
  const desk = useDesk();
  const [tunnels, setTunnels] = useState<ReadonlyMap<string, TunnelStatus>>(new Map());
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    desk.call('tunnels.list', {}).then(
      (list) => current && setTunnels(new Map(list.map((t) => [t.serviceId, t]))),
      (e: unknown) => current && setError(errorText(e)),
    );
    return () => {
      current = false;
    };
  }, [desk, revision]);

  const apply = useCallback(
    (status: TunnelStatus) => setTunnels((all) => new Map(all).set(status.serviceId, status)),
    [],
  );
  useDeskEvent('tunnel.status', apply);
  return { tunnels, apply, error };
}
