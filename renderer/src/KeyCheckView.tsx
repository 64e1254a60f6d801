import { useId, useState } from 'react';
import type { KeyCheck, SendApi, ServiceView } from '../../shared/api';
import { useAction } from './hooks/useAction';
import { useDesk } from './hooks/useDesk';
import { DetailsToggle } from './DetailsToggle';
import { ErrorNote } from './ErrorNote';

const WHAT_IT_SENDS: Record<SendApi, string> = {
  messaging:
    'Sends a request with no recipient: the platform checks the key, and with no one to send to, no message goes out.',
  sms: 'Looks up the status of a message that does not exist: the platform checks the key, and a lookup sends no message.',
};

export function keyCheckText(result: KeyCheck, baseUrl: string): string {
  switch (result.kind) {
    case 'valid':
      return 'The key works: the platform accepted it.';
    case 'refused':
      return `The platform refused the key (${result.code ? `code ${result.code}: ` : ''}${result.description}).`;
    case 'unreachable':
      return `Cannot reach ${baseUrl}: ${result.reason}.`;
    case 'unclear':
      return `The answer does not say whether the key works: ${result.answer}`;
  }
}

/** Checks a service's key before any campaign, with a request that sends no message. */
export function KeyCheckView({ service }: { service: ServiceView }) {
  const desk = useDesk();
  const { busy, error, run } = useAction();
  const [result, setResult] = useState<KeyCheck | null>(null);
  const hintId = useId();
  const check = () =>
    run(async () => {
      setResult(null);
      setResult(await desk.call('services.checkKey', { id: service.id }));
    });

  return (
    <div className="key-check">
      <div className="actions">
        <button
          type="button"
          className="button"
          disabled={busy}
          aria-describedby={hintId}
          onClick={() => void check()}
        >
          Check key
        </button>
        <span className="muted small" id={hintId}>
          {WHAT_IT_SENDS[service.api]}
        </span>
      </div>
      <p role="status" aria-live="polite" className="small" data-testid="key-check-result">
        {busy ? 'Checking…' : result && keyCheckText(result, service.baseUrl)}
      </p>
      {!busy && result && 'detail' in result && result.detail && <DetailsToggle detail={result.detail} />}
      <ErrorNote error={error} />
    </div>
  );
}
