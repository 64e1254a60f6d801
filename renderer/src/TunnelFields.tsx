import { useState } from 'react';
import type { TunnelInput, TunnelKind, TunnelSettingsView } from '../../shared/api';
import { Field } from './Field';

export const TUNNEL_LABELS: Record<TunnelKind, string> = {
  none: 'None (the service runs on this computer)',
  localtunnel: 'localtunnel',
  'public-url': 'Public URL',
  ngrok: 'ngrok',
};

interface Props {
  /** The stored tunnel; null for a new service. */
  tunnel: TunnelSettingsView | null;
}

/** The tunnel part of the service form: how delivery reports and replies reach this computer. */
export function TunnelFields({ tunnel }: Props) {
  const [kind, setKind] = useState<TunnelKind>(tunnel?.kind ?? 'localtunnel');
  const target = tunnel?.kind === kind ? (tunnel.target ?? '') : '';
  const storedToken = tunnel?.kind === 'ngrok' ? tunnel.tokenHint : null;
  return (
    <fieldset className="tunnel-fields">
      <legend>Delivery reports and replies</legend>
      <Field
        label="Tunnel"
        hint="The platform posts delivery reports and replies to this computer through it. Campaign Desk opens it and keeps it open."
      >
        {(control) => (
          <select
            {...control}
            name="tunnelKind"
            value={kind}
            onChange={(e) => setKind(e.target.value as TunnelKind)}
          >
            {Object.entries(TUNNEL_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        )}
      </Field>
      {kind === 'localtunnel' && (
        <Field label="localtunnel server" hint="Leave empty for the public server, https://localtunnel.me.">
          {(control) => (
            <input
              {...control}
              key="localtunnel"
              name="tunnelHost"
              type="url"
              defaultValue={target}
              placeholder="https://localtunnel.me"
            />
          )}
        </Field>
      )}
      {kind === 'public-url' && (
        <Field
          label="Public URL"
          hint="An address you made lead to this computer's receiver (a reverse proxy or a port forward)."
        >
          {(control) => (
            <input {...control} key="public-url" name="tunnelUrl" type="url" required defaultValue={target} />
          )}
        </Field>
      )}
      {kind === 'ngrok' && (
        <div className="field-row">
          <Field
            label="ngrok authtoken"
            hint={
              storedToken
                ? `A token (${storedToken}) is stored. Leave this empty to keep it.`
                : 'From your ngrok dashboard. It is stored encrypted and never shown again.'
            }
          >
            {(control) => (
              <input
                {...control}
                name="tunnelToken"
                type="password"
                autoComplete="off"
                required={!storedToken}
                maxLength={500}
              />
            )}
          </Field>
          <Field label="ngrok domain" hint="Optional: a domain reserved in your ngrok account.">
            {(control) => <input {...control} name="tunnelDomain" defaultValue={target} maxLength={253} />}
          </Field>
        </div>
      )}
    </fieldset>
  );
}

/** The tunnel the form's fields describe. */
export function tunnelFromForm(text: (name: string) => string): TunnelInput {
  const kind = text('tunnelKind') as TunnelKind;
  switch (kind) {
    case 'none':
      return { kind };
    case 'localtunnel':
      return { kind, host: text('tunnelHost') || undefined };
    case 'public-url':
      return { kind, url: text('tunnelUrl') };
    case 'ngrok':
      return { kind, authtoken: text('tunnelToken') || undefined, domain: text('tunnelDomain') || undefined };
  }
}
