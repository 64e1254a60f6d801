import { useId, useState, type FormEvent } from 'react';
import type { ServiceView } from '../../shared/api';
import { Field } from './Field';
import { errorText } from './format';
import { useDesk } from './hooks/useDesk';
import { TunnelFields, tunnelFromForm } from './TunnelFields';
import { ErrorNote } from './ErrorNote';

const BASE_URLS = ['https://api.imiconnect.io', 'https://api.imiconnect.com', 'https://api.imiconnect.in'];

interface Props {
  /** The service to edit; null adds a new one. */
  service: ServiceView | null;
  onSaved: () => void;
  onCancel: () => void;
}

export function ServiceForm({ service, onSaved, onCancel }: Props) {
  const desk = useDesk();
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    setBusy(true);
    setError(null);
    try {
      await desk.call('services.save', {
        id: service?.id,
        name: text('name'),
        baseUrl: text('baseUrl'),
        key: text('key') || undefined,
        rate: Number(text('rate')),
        pricePerSegment: Number(text('price')),
        tunnel: tunnelFromForm(text),
      });
      onSaved();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card service-form" onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{service ? `Edit ${service.name}` : 'Add an IMIconnect service'}</h3>
      <Field label="Name">
        {(control) => (
          <input
            {...control}
            name="name"
            required
            maxLength={100}
            defaultValue={service?.name}
            placeholder="e.g. My shop"
          />
        )}
      </Field>
      <Field
        label="Base URL"
        hint={`The API address of your account: ${BASE_URLS.join(', ')}, or https://api.<region>.webexconnect.io for Webex Connect.`}
      >
        {(control) => (
          <>
            <input
              {...control}
              name="baseUrl"
              type="url"
              required
              list={`${control.id}-urls`}
              defaultValue={service?.baseUrl ?? BASE_URLS[0]}
            />
            <datalist id={`${control.id}-urls`}>
              {BASE_URLS.map((url) => (
                <option key={url} value={url} />
              ))}
            </datalist>
          </>
        )}
      </Field>
      <Field
        label="Service key"
        hint={
          service?.keyHint
            ? `A key (${service.keyHint}) is stored. Leave this empty to keep it.`
            : 'The key of your IMIconnect messaging service. It is stored encrypted and never shown again.'
        }
      >
        {(control) => (
          <input
            {...control}
            name="key"
            type="password"
            autoComplete="off"
            required={!service?.keyHint}
            maxLength={500}
          />
        )}
      </Field>
      <div className="field-row">
        <Field label="Rate (messages per second)">
          {(control) => (
            <input
              {...control}
              name="rate"
              type="number"
              required
              min={1}
              max={10000}
              step={1}
              defaultValue={service?.rate ?? 10}
            />
          )}
        </Field>
        <Field label="Price per segment">
          {(control) => (
            <input
              {...control}
              name="price"
              type="number"
              required
              min={0}
              max={100}
              step="any"
              defaultValue={service?.pricePerSegment ?? 0}
            />
          )}
        </Field>
      </div>
      <TunnelFields tunnel={service?.tunnel ?? null} />
      <ErrorNote error={error} />
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy}>
          Save service
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
