import { useState } from 'react';
import type { ServiceView } from '../../shared/api';
import { errorText, formatMoney } from './format';
import { KeyCheckView } from './KeyCheckView';
import { useDesk } from './hooks/useDesk';
import { useTunnels } from './hooks/useTunnels';
import { describeSendWindow } from '../../shared/send-window';
import { EXAMPLE_NUMBER, SEND_API_NAMES, ServiceForm } from './ServiceForm';
import { TUNNEL_LABELS } from './TunnelFields';
import { TunnelStatusView } from './TunnelStatusView';
import { isLoopbackUrl } from '../../shared/platform-hosts';
import { ErrorNote } from './ErrorNote';
import { FrequencyCapEditor } from './FrequencyCapEditor';

interface Props {
  services: readonly ServiceView[];
  onChanged: () => void;
}

export function ServicesPanel({ services, onChanged }: Props) {
  const desk = useDesk();
  const [editing, setEditing] = useState<ServiceView | 'new' | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const tunnels = useTunnels(services);

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
      <ErrorNote error={error ?? tunnels.error} />
      <ul className="service-list" aria-label="Services">
        {services.map((service) => {
          const tunnel = tunnels.tunnels.get(service.id);
          return (
            <li key={service.id} className="card service" aria-label={service.name}>
              <h3>{service.name}</h3>
              <dl>
                <dt>Base URL</dt>
                <dd>{service.baseUrl}</dd>
                <dt>Key</dt>
                <dd>{service.keyHint ?? 'not set'}</dd>
                <dt>Send API</dt>
                <dd>{SEND_API_NAMES[service.api]}</dd>
                <dt>Numbers</dt>
                <dd>
                  {service.numbersWithPlus
                    ? `with + (${EXAMPLE_NUMBER.withPlus})`
                    : `without + (${EXAMPLE_NUMBER.withoutPlus})`}
                </dd>
                <dt>Send window</dt>
                <dd data-testid="service-window">
                  {service.sendWindow === null
                    ? 'none: any hour'
                    : `${describeSendWindow(service.sendWindow)} on each recipient's clock`}
                </dd>
                <dt>Rate</dt>
                <dd>{service.rate.toLocaleString()} messages/s</dd>
                <dt>Price per segment</dt>
                <dd>
                  {formatMoney(service.pricePerSegment)} {service.currency}
                </dd>
                <dt>Tunnel</dt>
                <dd>
                  {TUNNEL_LABELS[service.tunnel.kind]}
                  {service.tunnel.target && ` (${service.tunnel.target})`}
                  {service.tunnel.tokenHint && `, token ${service.tunnel.tokenHint}`}
                </dd>
              </dl>
              <FrequencyCapEditor
                key={JSON.stringify(service.frequencyCap)}
                service={service}
                onChanged={onChanged}
              />
              {/* A result is about the settings it was checked with: it goes when they change. */}
              <KeyCheckView key={`${service.baseUrl} ${service.api} ${service.keyHint}`} service={service} />
              {tunnel && (
                <TunnelStatusView
                  status={tunnel}
                  local={service.kind === 'sandbox' || isLoopbackUrl(service.baseUrl)}
                  onChanged={tunnels.apply}
                />
              )}
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
          );
        })}
      </ul>
    </div>
  );
}
