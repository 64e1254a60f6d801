import { useCallback, useId, useState } from 'react';
import type { ChosenFile } from './api/desk-client';
import { countryName, countryOptions } from './countries';
import { Field } from './Field';
import { formatDate, plural, problemOf } from './format';
import { usePagedList, type PageQuery } from './hooks/usePagedList';
import { useAction } from './hooks/useAction';
import { useDesk } from './hooks/useDesk';
import { useFileInput } from './hooks/useFileChoice';
import { Pager } from './Pager';
import { StoredFileDamageNotice } from './StoredFileDamageNotice';
import { ErrorNote } from './ErrorNote';

const PAGE_SIZE = 50;
const MAX_NUMBERS = 100_000;

interface Outcome {
  added: number;
  alreadyListed: number;
  invalid: string[];
  /** The column read, for a file. */
  column?: string;
  /** What was added from: typed numbers or a file's name. */
  source: string | null;
}

/** The opt-out list: numbers no campaign may message. Draft campaigns skip them as soon as it changes. */
export function SuppressionPanel({ defaultCountry }: { defaultCountry: string }) {
  const desk = useDesk();
  const id = useId();
  const [numbers, setNumbers] = useState('');
  const [country, setCountry] = useState(defaultCountry);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const { busy, error, setError, run } = useAction();
  const fetchPage = useCallback((query: PageQuery) => desk.call('suppression.list', query), [desk]);
  const { list, search, searchInput, searchFor, offset, setOffset, refresh } = usePagedList(
    fetchPage,
    PAGE_SIZE,
    setError,
  );

  const typed = numbers
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');

  const add = () =>
    run(async () => {
      if (typed.length === 0) return;
      if (typed.length > MAX_NUMBERS)
        throw new Error(`Add at most ${MAX_NUMBERS.toLocaleString()} at a time.`);
      const result = await desk.call('suppression.add', { numbers: typed, defaultCountry: country });
      setOutcome({ ...result, source: null });
      setNumbers(result.invalid.join('\n'));
      refresh();
    });

  const importFile = (file: ChosenFile) =>
    run(async () => {
      const uploadId = await file.upload();
      const result = await desk.call('suppression.import', {
        fileName: file.name,
        source: { uploadId },
        defaultCountry: country,
      });
      setOutcome({ ...result, source: file.name });
      refresh();
    });

  const fileInput = useFileInput(
    'numbers',
    (file) => void importFile(file),
    (e) => setError(problemOf(e)),
  );

  const remove = (msisdn: string) =>
    run(async () => {
      await desk.call('suppression.remove', { numbers: [msisdn] });
      setOutcome(null);
      refresh();
    });

  const total = list?.total ?? 0;
  const shown = list?.entries ?? [];

  return (
    <div className="suppression">
      <div className="workspace-head">
        <div>
          <h2>Opt-outs</h2>
          <p className="muted small">
            Numbers that never get a message, whatever the campaign: people who asked to stop. Rows with these
            numbers are skipped as &ldquo;opted out&rdquo;; campaigns not sent yet are checked again at once.
          </p>
        </div>
      </div>
      <div className="suppression-grid">
        <section className="card" aria-labelledby={`${id}-add`}>
          <h3 id={`${id}-add`}>Add numbers</h3>
          <Field label="Numbers to add" hint="One number per line.">
            {(control) => (
              <textarea
                {...control}
                rows={5}
                value={numbers}
                placeholder={'+44 7911 123456\n(415) 555-0102'}
                onChange={(e) => setNumbers(e.target.value)}
              />
            )}
          </Field>
          <Field
            label="Country of numbers without a country code"
            hint={`Numbers without a leading + are read as ${countryName(country)} numbers.`}
          >
            {(control) => (
              <select {...control} value={country} onChange={(e) => setCountry(e.target.value)}>
                {countryOptions(country).map(({ code, name }) => (
                  <option key={code} value={code}>
                    {name} ({code})
                  </option>
                ))}
              </select>
            )}
          </Field>
          <div className="actions">
            <button
              type="button"
              className="button primary"
              disabled={busy || typed.length === 0}
              onClick={() => void add()}
            >
              Add to opt-outs
            </button>
            <label className={`button file-button${busy ? ' disabled' : ''}`}>
              Import a CSV of numbers…
              <input className="visually-hidden" {...fileInput} disabled={busy} />
            </label>
          </div>
          <p className="muted small">
            A CSV&apos;s phone column is the one whose cells are most often phone numbers, mobiles first.
          </p>
          {outcome && (
            <div role="status" data-testid="suppression-outcome">
              <p>
                {outcome.source
                  ? `From ${outcome.source}${outcome.column ? ` (column \u2018${outcome.column}\u2019)` : ''}: `
                  : ''}
                {plural(outcome.added, 'number')} added, {outcome.alreadyListed.toLocaleString()} already
                listed, {outcome.invalid.length.toLocaleString()} not{' '}
                {outcome.invalid.length === 1 ? 'a phone number' : 'phone numbers'}.
              </p>
              {outcome.invalid.length > 0 && (
                <div className="warning small">
                  <p>
                    {plural(outcome.invalid.length, 'entry', 'entries')} could not be read as phone numbers
                    {outcome.source ? '' : ' (left in the box to correct)'}:
                  </p>
                  <ul className="invalid-numbers" aria-label="Invalid numbers">
                    {outcome.invalid.slice(0, 20).map((n, i) => (
                      <li key={`${i}:${n}`}>{n}</li>
                    ))}
                  </ul>
                  {outcome.invalid.length > 20 && (
                    <p>…and {(outcome.invalid.length - 20).toLocaleString()} more.</p>
                  )}
                </div>
              )}
            </div>
          )}
        </section>
        <section className="card" aria-labelledby={`${id}-list`}>
          <div className="table-title">
            <h3 id={`${id}-list`}>Opted-out numbers</h3>
            <span className="muted small" data-testid="suppression-total">
              {list === null ? 'Loading…' : plural(total, 'number')}
            </span>
          </div>
          <StoredFileDamageNotice damage={list?.damage ?? null} />
          <input
            type="search"
            className="table-search"
            aria-label="Search opt-outs"
            placeholder="Search numbers or reasons…"
            maxLength={100}
            value={searchInput}
            onChange={(e) => searchFor(e.target.value)}
          />
          {list !== null && total === 0 && (
            <p className="muted">{search ? 'No opt-out matches.' : 'Nobody has opted out yet.'}</p>
          )}
          <ul className="suppression-list" aria-label="Opted-out numbers">
            {shown.map((entry) => (
              <li key={entry.msisdn} aria-label={entry.msisdn}>
                <span className="msisdn">{entry.msisdn}</span>
                <span className="muted small">
                  {entry.reason} · {entry.addedAt ? formatDate(entry.addedAt) : 'date unknown'}
                </span>
                <button
                  type="button"
                  className="link-button"
                  disabled={busy}
                  aria-label={`Remove ${entry.msisdn}`}
                  onClick={() => void remove(entry.msisdn)}
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
          <Pager offset={offset} pageSize={PAGE_SIZE} total={total} onOffset={setOffset} />
        </section>
      </div>
      <ErrorNote error={error} />
    </div>
  );
}
