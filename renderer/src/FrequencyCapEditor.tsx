import { useId, useState, type FormEvent } from 'react';
import type { ServiceView } from '../../shared/api';
import { frequencyCapWords } from '../../shared/frequency-cap';
import { ErrorNote } from './ErrorNote';
import { errorText } from './format';
import { useDesk } from './hooks/useDesk';

interface Props {
  service: ServiceView;
  onChanged: () => void;
}

/** A service's frequency cap: how many messages one number may get through it in a number of days. */
export function FrequencyCapEditor({ service, onChanged }: Props) {
  const desk = useDesk();
  const id = useId();
  const [editing, setEditing] = useState(false);
  const [on, setOn] = useState(service.frequencyCap !== null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cap = service.frequencyCap;

  async function save(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await desk.call('services.setFrequencyCap', {
        id: service.id,
        cap: on ? { messages: Number(form.get('messages')), days: Number(form.get('days')) } : null,
      });
      setEditing(false);
      onChanged();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  if (!editing) {
    return (
      <div className="frequency-cap">
        <p className="small" data-testid="frequency-cap">
          <strong>Frequency cap:</strong>{' '}
          {cap ? `${frequencyCapWords(cap)}, counting every campaign sent through this service.` : 'none'}
        </p>
        <button
          type="button"
          className="button"
          aria-label={`Frequency cap of ${service.name}`}
          onClick={() => {
            setOn(cap !== null);
            setEditing(true);
          }}
        >
          {cap ? 'Change frequency cap' : 'Set a frequency cap'}
        </button>
      </div>
    );
  }

  return (
    <form
      className="frequency-cap"
      aria-label={`Frequency cap of ${service.name}`}
      onSubmit={(e) => void save(e)}
    >
      <label className="choice">
        <input type="checkbox" checked={on} onChange={(e) => setOn(e.target.checked)} /> Limit how often one
        number gets a message through this service
      </label>
      {on && (
        <p className="cap-sentence">
          <label htmlFor={`${id}-messages`}>At most</label>{' '}
          <input
            id={`${id}-messages`}
            name="messages"
            type="number"
            min={1}
            max={100}
            required
            defaultValue={cap?.messages ?? 2}
            className="narrow"
          />{' '}
          <label htmlFor={`${id}-days`}>messages to one number every</label>{' '}
          <input
            id={`${id}-days`}
            name="days"
            type="number"
            min={1}
            max={90}
            required
            defaultValue={cap?.days ?? 7}
            className="narrow"
          />{' '}
          days
        </p>
      )}
      <p className="muted small">
        Rows whose number already had that many messages through this service, from any campaign, are skipped
        as over the frequency cap. Test messages do not count.
      </p>
      <ErrorNote error={error} />
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy}>
          Save frequency cap
        </button>
        <button type="button" className="button" onClick={() => setEditing(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
