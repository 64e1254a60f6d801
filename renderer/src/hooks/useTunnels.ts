import { useCallback, useEffect, useRef, useState } from 'react';
import type { TunnelStatus } from '../../../shared/api';
import { errorText } from '../format';
import { useDesk, useDeskEvent } from './useDesk';

/** Every service's tunnel status, kept live; loaded again when `revision` changes (services saved). */
export function useTunnels(revision: unknown) {
  const desk = useDesk();
  const [tunnels, setTunnels] = useState<ReadonlyMap<string, TunnelStatus>>(new Map());
  const [error, setError] = useState<string | null>(null);
  /**
   * Statuses pushed while a list request is on its way: the list answer may have been read before them
   * (events and calls travel separately), so it must not overwrite them.
   */
  const pushedDuringList = useRef<Map<string, TunnelStatus> | null>(null);

  useEffect(() => {
    let current = true;
    const pushed = new Map<string, TunnelStatus>();
    pushedDuringList.current = pushed;
    desk.call('tunnels.list', {}).then(
      (list) => {
        if (pushedDuringList.current === pushed) pushedDuringList.current = null;
        if (!current) return;
        setTunnels(new Map(list.map((t) => [t.serviceId, pushed.get(t.serviceId) ?? t])));
      },
      (e: unknown) => current && setError(errorText(e)),
    );
    return () => {
      current = false;
    };
  }, [desk, revision]);

  const apply = useCallback((status: TunnelStatus) => {
    pushedDuringList.current?.set(status.serviceId, status);
    setTunnels((all) => new Map(all).set(status.serviceId, status));
  }, []);
  useDeskEvent('tunnel.status', apply);
  return { tunnels, apply, error };
}
