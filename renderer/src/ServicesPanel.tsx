import { useState } from 'react';
import type { ServiceView } from '../../shared/api';
import { errorText, formatMoney } from './format';
import { useDesk } from './hooks/useDesk';
import { ServiceForm } from './ServiceForm';

interface Props {
  services: readonly ServiceView[];
  onChanged: () => void;
}

export function ServicesPanel({ services, onChanged }: Props) {
  const desk = useDesk();
  const [editing, setEditing] = useState<ServiceView | 'new' | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function remove(id: string) {
    setError(null);
    try {
      await desk.call('services.remove', { id });
      setRemoving(null);
      onChanged();
    } catch (e) {
      setError(errorText(e));
    }
  }

  return (
    <div className="services">
      <div className="workspace-head">
        <div>
          <h2>Services</h2>
          <p className="muted small">
            Where campaigns are sent from. The Sandbox simulates delivery; add your IMIconnect service to
            reach real phones.
          </p>
        </div>
        <button type="button" className="button primary" onClick={() => setEditing('new')}>
          Add IMIconnect service
        </button>
      </div>
      {editing && (
        <ServiceForm
          key={editing === 'new' ? 'new' : editing.id}
          service={editing === 'new' ? null : editing}
          onCancel={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            onChanged();
          }}
        />
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <ul className="service-list" aria-label="Services">
        {services.map((service) => (
          <li key={service.id} className="card service" aria-label={service.name}>
            <h3>{service.name}</h3>
            <dl>
              <dt>Base URL</dt>
              <dd>{service.baseUrl}</dd>
              <dt>Key</dt>
              <dd>{service.keyHint ?? 'not set'}</dd>
              <dt>Rate</dt>
              <dd>{service.rate.toLocaleString()} messages/s</dd>
              <dt>Price per segment</dt>
              <dd>{formatMoney(service.pricePerSegment)}</dd>
            </dl>
            {service.kind === 'imiconnect' &&
              (removing === service.id ? (
                <div className="actions" role="group" aria-label={`Remove ${service.name}?`}>
                  <span className="small">
                    Remove it? Draft campaigns using it will need another service.
                  </span>
                  <button type="button" className="button danger" onClick={() => void remove(service.id)}>
                    Remove
                  </button>
                  <button type="button" className="button" onClick={() => setRemoving(null)}>
                    Keep
                  </button>
                </div>
              ) : (
                <div className="actions">
                  <button type="button" className="button" onClick={() => setEditing(service)}>
                    Edit
                  </button>
                  <button type="button" className="button" onClick={() => setRemoving(service.id)}>
                    Remove
                  </button>
                </div>
              ))}
          </li>
        ))}
      </ul>
    </div>
  );
}
