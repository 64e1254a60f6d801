import { useId, useState } from 'react';
import type { RequestOptions, ServiceView } from '../../shared/api';
import { expiryPassed, PRIORITIES, PRIORITY_LABELS, type Priority } from '../../shared/request-options';
import { Field } from './Field';

interface Props {
  options: RequestOptions;
  onChange: (options: RequestOptions) => void;
  /** The campaign's service, which decides what its API can carry; undefined when it was removed. */
  service: ServiceView | undefined;
}

type Template = NonNullable<RequestOptions['template']>;
interface ParameterRow {
  name: string;
  value: string;
}

/** What goes with every message besides its text: expiry, priority, platform template, DLT template ID. */
export function RequestOptionsEditor({ options, onChange, service }: Props) {
  const id = useId();
  const onSmsApi = service?.api === 'sms';
  const set = (changed: Partial<RequestOptions>) => onChange({ ...options, ...changed });

  return (
    <section className="request-options" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Request options</h3>
      <p className="muted small">Sent with every message; those left empty are not sent at all.</p>
      <div className="field-row">
        <ExpiryField expiry={options.expiry} onChange={(expiry) => set({ expiry })} />
        <Field
          label="Priority"
          hint="Messaging API v1 only: the Send SMS API documents no priority, so it is not sent there."
        >
          {(control) => (
            <select
              {...control}
              value={options.priority ?? ''}
              onChange={(e) =>
                set({ priority: e.target.value === '' ? undefined : (Number(e.target.value) as Priority) })
              }
            >
              <option value="">Not set</option>
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {p} ({PRIORITY_LABELS[p]})
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {onSmsApi && options.priority !== undefined && (
        <p className="warning small" data-testid="priority-not-sent">
          The priority is not sent: &ldquo;{service.name}&rdquo; uses the Send SMS API.
        </p>
      )}
      <TemplateEditor template={options.template} onChange={(template) => set({ template })} />
      {onSmsApi && options.template !== undefined && (
        <p className="warning small">
          &ldquo;{service.name}&rdquo; uses the Send SMS API, whose documentation names no field for a
          template ID: remove the template, or choose a Messaging API v1 service, to send this campaign.
        </p>
      )}
      <Field
        label="DLT template ID"
        hint="India only: the number the DLT portal gave the approved template of this message."
      >
        {(control) => (
          <input
            {...control}
            type="text"
            inputMode="numeric"
            maxLength={30}
            value={options.dltTemplateId ?? ''}
            placeholder="e.g. 1107160000000000000"
            onChange={(e) => set({ dltTemplateId: e.target.value.trim() || undefined })}
          />
        )}
      </Field>
    </section>
  );
}

/** A local date and time (`datetime-local` has no zone), with the UTC time it is sent as. */
function ExpiryField({
  expiry,
  onChange,
}: {
  expiry: string | undefined;
  onChange: (expiry: string | undefined) => void;
}) {
  return (
    <Field
      label="Expiry (your local time)"
      hint={
        expiry === undefined ? (
          'After it the platform no longer tries to deliver. Not set: no expiry.'
        ) : (
          <>
            Sent as <code data-testid="expiry-utc">{expiry}</code> (UTC).
            {expiryPassed(expiry) && <span className="warning"> This time has passed.</span>}
          </>
        )
      }
    >
      {(control) => (
        <input
          {...control}
          type="datetime-local"
          step={1}
          value={expiry === undefined ? '' : localDateTime(expiry)}
          // The input's value has no zone; Date reads it as local time.
          onChange={(e) =>
            onChange(e.target.value === '' ? undefined : new Date(e.target.value).toISOString())
          }
        />
      )}
    </Field>
  );
}

function localDateTime(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * The platform template's ID and its parameters. Edited here as rows, so that a half-typed one (no name yet, or a
 * name given twice) stays on screen; the template is saved whenever its ID and every named row make sense.
 */
function TemplateEditor({
  template,
  onChange,
}: {
  template: Template | undefined;
  onChange: (template: Template | undefined) => void;
}) {
  const [templateId, setTemplateId] = useState(template?.id ?? '');
  const [rows, setRows] = useState<ParameterRow[]>(() =>
    Object.entries(template?.parameters ?? {}).map(([name, value]) => ({ name, value })),
  );
  const named = rows.filter((r) => r.name.trim() !== '');
  const names = named.map((r) => r.name.trim());
  const twice = names.find((name, i) => names.indexOf(name) !== i);

  function save(nextId: string, nextRows: ParameterRow[]) {
    setTemplateId(nextId);
    setRows(nextRows);
    const given = nextRows.filter((r) => r.name.trim() !== '').map((r) => [r.name.trim(), r.value] as const);
    if (new Set(given.map(([name]) => name)).size !== given.length) return;
    onChange(nextId.trim() === '' ? undefined : { id: nextId.trim(), parameters: Object.fromEntries(given) });
  }
  const change = (i: number, changed: Partial<ParameterRow>) =>
    save(
      templateId,
      rows.map((r, j) => (j === i ? { ...r, ...changed } : r)),
    );

  return (
    <div className="template-options">
      <Field
        label="Platform template ID"
        hint="Messaging API v1 only: a template set up on the platform. The Send SMS API documents no field for it."
      >
        {(control) => (
          <input
            {...control}
            type="text"
            maxLength={100}
            value={templateId}
            placeholder="Not set"
            onChange={(e) => save(e.target.value, rows)}
          />
        )}
      </Field>
      {rows.length > 0 && (
        <ul className="parameter-list" aria-label="Template parameters">
          {rows.map((row, i) => (
            <li key={i}>
              <input
                type="text"
                aria-label={`Name of parameter ${i + 1}`}
                maxLength={100}
                value={row.name}
                placeholder="name"
                onChange={(e) => change(i, { name: e.target.value })}
              />
              <input
                type="text"
                aria-label={`Value of parameter ${i + 1}`}
                maxLength={1000}
                value={row.value}
                placeholder="value, e.g. $(name)"
                onChange={(e) => change(i, { value: e.target.value })}
              />
              <button
                type="button"
                className="link-button"
                aria-label={`Remove parameter ${i + 1}`}
                onClick={() =>
                  save(
                    templateId,
                    rows.filter((_, j) => j !== i),
                  )
                }
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <p className="muted small">
        <button
          type="button"
          className="chip"
          onClick={() => setRows([...rows, { name: '', value: '' }])}
          disabled={rows.length >= 50}
        >
          Add parameter
        </button>{' '}
        Values may use <code>$(column)</code> like the message, filled in for each row.
        {templateId.trim() === '' && named.length > 0 && ' Parameters are sent only with a template ID.'}
      </p>
      {twice !== undefined && (
        <p className="warning small" role="alert">
          Two parameters are named &ldquo;{twice}&rdquo;: rename one to save the template.
        </p>
      )}
    </div>
  );
}
