import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { DEFAULT_CURRENCY, type SendApi, type ServiceView } from '../../shared/api';
import { hostLabel, knownHost, PLATFORM_HOSTS } from '../../shared/platform-hosts';
import { DEFAULT_SEND_WINDOW } from '../../shared/send-window';
import { keyHost } from '../../shared/service-url';
import { Field } from './Field';
import { errorText } from './format';
import { useDesk } from './hooks/useDesk';
import { TunnelFields, tunnelFromForm } from './TunnelFields';
import { ErrorNote } from './ErrorNote';
import { SendWindowFields, windowFromDraft, type WindowDraft } from './SendWindowFields';

export const SEND_API_NAMES: Record<SendApi, string> = {
  sms: 'Send SMS API',
  messaging: 'Messaging API v1',
};

const SEND_API_CHOICES: readonly { api: SendApi; label: string }[] = [
  {
    api: 'sms',
    label: 'Send SMS API (recommended by the platform for SMS; one message a request, safe retries)',
  },
  { api: 'messaging', label: 'Messaging API v1 (batches of up to 1000; for existing services)' },
];

/** How a UK number goes out, with and without the plus. */
export const EXAMPLE_NUMBER = { withPlus: '+447700900123', withoutPlus: '447700900123' };

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
  const [baseUrl, setBaseUrl] = useState(service?.baseUrl ?? '');
  const [api, setApi] = useState<SendApi>(service?.api ?? 'messaging');
  const [numbersWithPlus, setNumbersWithPlus] = useState(service?.numbersWithPlus ?? true);
  const [keyTyped, setKeyTyped] = useState(false);
  const [keepKey, setKeepKey] = useState(false);
  const [windowOn, setWindowOn] = useState(service ? service.sendWindow !== null : true);
  const [windowDraft, setWindowDraft] = useState<WindowDraft>(service?.sendWindow ?? DEFAULT_SEND_WINDOW);
  const savedUrl = knownHost(baseUrl)?.baseUrl ?? baseUrl.trim();
  // The stored key was entered for the service's host: another host needs it again, or a confirmation.
  const newHost = keyHost(savedUrl);
  const movedTo =
    service?.keyHint && !keyTyped && newHost !== null && newHost !== keyHost(service.baseUrl)
      ? newHost
      : null;

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const sendWindow = windowOn ? windowFromDraft(windowDraft) : null;
    if (typeof sendWindow === 'string') return setError(sendWindow);
    setBusy(true);
    setError(null);
    try {
      await desk.call('services.save', {
        id: service?.id,
        name: text('name'),
        baseUrl: savedUrl,
        key: text('key') || undefined,
        keepKeyForHost: movedTo !== null && keepKey ? movedTo : undefined,
        rate: Number(text('rate')),
        pricePerSegment: Number(text('price')),
        currency: text('currency'),
        api,
        numbersWithPlus,
        tunnel: tunnelFromForm(text),
        sendWindow,
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
      <BaseUrlField value={baseUrl} onChange={setBaseUrl} />
      <Field
        label="Service key"
        hint={
          service?.keyHint && movedTo !== null
            ? `A key (${service.keyHint}) is stored for ${keyHost(service.baseUrl)}. Enter it again for ${movedTo}.`
            : service?.keyHint
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
            required={!service?.keyHint || (movedTo !== null && !keepKey)}
            maxLength={500}
            onChange={(e) => setKeyTyped(e.target.value.trim() !== '')}
          />
        )}
      </Field>
      {movedTo !== null && service?.keyHint && (
        <CheckboxField
          name="keepKeyForHost"
          checked={keepKey}
          onChange={setKeepKey}
          label={
            <>
              Send the stored key ({service.keyHint}) to <strong>{movedTo}</strong>
            </>
          }
          hint={`The base URL is now on another host than the one the key was entered for. Enter the key again, or tick this only if ${movedTo} is yours: whoever runs it receives the key.`}
          warning
        />
      )}
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
        <Field label="Currency">
          {(control) => (
            <input
              {...control}
              name="currency"
              required
              pattern="[A-Za-z]{3}"
              maxLength={3}
              size={4}
              title="A three-letter currency code such as USD or EUR"
              defaultValue={service?.currency ?? DEFAULT_CURRENCY}
            />
          )}
        </Field>
      </div>
      <SendApiFields api={api} baseUrl={baseUrl} onChange={setApi} />
      <CheckboxField
        name="numbersWithPlus"
        checked={numbersWithPlus}
        onChange={setNumbersWithPlus}
        label="Send numbers with +"
        hint={
          <>
            Ticked, a UK number goes out as <code>{EXAMPLE_NUMBER.withPlus}</code>; unticked, as{' '}
            <code>{EXAMPLE_NUMBER.withoutPlus}</code>. If &ldquo;+E.164 format&rdquo; is turned on for your
            account, the platform requires the +. This is for Messaging API v1: the Send SMS API always takes
            numbers with their +.
          </>
        }
      />
      <fieldset className="choice-fields send-window">
        <legend>Send window (recipient&apos;s local time)</legend>
        <CheckboxField
          name="sendWindowOn"
          checked={windowOn}
          onChange={setWindowOn}
          label="Send only inside a send window"
          hint={
            windowOn
              ? 'Each message waits for the window on its recipient’s own clock, found from the number (or the file’s time-zone column).'
              : 'Messages go out at any hour, whatever the time where their recipient is.'
          }
        />
        {windowOn && <SendWindowFields draft={windowDraft} onChange={setWindowDraft} />}
      </fieldset>
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

interface CheckboxFieldProps {
  name: string;
  checked: boolean;
  onChange: (on: boolean) => void;
  label: ReactNode;
  /** What ticking it does, read with the box; `warning` for a tick that has a cost. */
  hint: ReactNode;
  warning?: boolean;
}

function CheckboxField({ name, checked, onChange, label, hint, warning = false }: CheckboxFieldProps) {
  const hintId = useId();
  return (
    <div className="field">
      <label className="choice">
        <input
          type="checkbox"
          name={name}
          checked={checked}
          onChange={(e) => onChange(e.target.checked)}
          aria-describedby={hintId}
        />
        {label}
      </label>
      <p className={`${warning ? 'warning' : 'muted'} small`} id={hintId}>
        {hint}
      </p>
    </div>
  );
}

function BaseUrlField({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const known = knownHost(value);
  const typed = value.trim().replace(/\/+$/, '');
  return (
    <Field
      label="Base URL"
      hint={
        <>
          Pick the one for the address you log in to the platform at: if you log in at myshop.imiconnect.io in
          the US, pick &ldquo;US — console on imiconnect.io&rdquo;. Or type the address you were given.{' '}
          {known && (
            <strong>
              Known address: {hostLabel(known)}
              {typed !== known.baseUrl && `; saved as ${known.baseUrl}`}.
            </strong>
          )}
          {!known && typed && 'This is not one of the platform’s documented addresses; it is saved as typed.'}
        </>
      }
    >
      {(control) => (
        <>
          <input
            {...control}
            name="baseUrl"
            type="url"
            required
            list={`${control.id}-hosts`}
            value={value}
            onChange={(e) => onChange(e.target.value)}
            placeholder="Pick from the list or type it"
          />
          <datalist id={`${control.id}-hosts`}>
            {PLATFORM_HOSTS.map((host) => (
              <option key={host.baseUrl} value={host.baseUrl} label={hostLabel(host)} />
            ))}
          </datalist>
        </>
      )}
    </Field>
  );
}

interface SendApiProps {
  api: SendApi;
  baseUrl: string;
  onChange: (api: SendApi) => void;
}

function SendApiFields({ api, baseUrl, onChange }: SendApiProps) {
  const warning = api === 'sms' ? sendSmsWarning(baseUrl) : null;
  return (
    <fieldset className="choice-fields">
      <legend>Send API</legend>
      {SEND_API_CHOICES.map((choice) => (
        <label key={choice.api} className="choice">
          <input
            type="radio"
            name="api"
            value={choice.api}
            checked={api === choice.api}
            onChange={() => onChange(choice.api)}
          />
          {choice.label}
        </label>
      ))}
      <div role="status">{warning && <p className="warning small">{warning}</p>}</div>
    </fieldset>
  );
}

/** Why the Send SMS API may not work at this address; null where the platform documents it. */
function sendSmsWarning(baseUrl: string): string | null {
  if (!baseUrl.trim()) return null;
  const host = knownHost(baseUrl);
  if (host?.apis.includes('sms')) return null;
  const which = host ? `${host.baseUrl} is an older one` : 'this is not one of them';
  return `The Send SMS API is documented only for the https://api.<region>.webexconnect.io addresses, and ${which}: sending may fail. Pick your region’s webexconnect.io address, or Messaging API v1.`;
}
