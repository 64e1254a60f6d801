import { useEffect, useState } from 'react';
import type { PowerStatus } from '../../shared/api';
import { useDesk, useDeskEvent } from './hooks/useDesk';

/**
 * While a campaign is sent or about to start: says that the desktop app keeps the computer awake, or that
 * this browser window cannot, so that the user keeps it from sleeping.
 */
export function KeepAwakeNote() {
  const desk = useDesk();
  const [status, setStatus] = useState<PowerStatus | null>(null);
  useEffect(() => {
    let live = true;
    desk.call('power.status', {}).then(
      (first) => live && setStatus((pushed) => pushed ?? first),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [desk]);
  useDeskEvent('power.status', setStatus);
  return (
    <p className="keep-awake" role="status" data-testid="keep-awake">
      {status?.needed &&
        (status.canKeepAwake
          ? 'This computer is kept awake while a campaign is sent or about to start.'
          : 'A campaign is being sent or starts soon, and a browser window cannot keep this computer from sleeping: keep it awake (plugged in, lid open) until sending ends, or use the desktop app, which does.')}
    </p>
  );
}
