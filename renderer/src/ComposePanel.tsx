import { useRef } from 'react';
import type { CampaignPatch, CampaignView, ServiceView } from '../../shared/api';
import { findLookalikes, replaceLookalikes } from '../../shared/lookalikes';
import { placeholderFor } from '../../shared/template';
import { describeLength, TEXT_LIMITS } from '../../shared/text-limits';
import { CampaignWindowChoice } from './CampaignWindowChoice';
import { characterWords, describeCharacter } from './characters';
import { DetailsToggle } from './DetailsToggle';
import { Field } from './Field';
import { formatMoney, plural } from './format';
import type { Draft } from './hooks/useCampaignEditor';
import type { MessagePreview } from './hooks/useMessagePreview';
import { RequestOptionsEditor } from './RequestOptionsEditor';
import { SmartlinksEditor } from './SmartlinksEditor';

interface Props {
  campaign: CampaignView;
  draft: Draft;
  edit: (patch: CampaignPatch) => void;
  locked: boolean;
  services: readonly ServiceView[];
  preview: MessagePreview | null;
  rowNumber: number;
}

export function ComposePanel({ campaign, draft, edit, locked, services, preview, rowNumber }: Props) {
  const messageRef = useRef<HTMLTextAreaElement>(null);

  function insertPlaceholder(token: string) {
    const textarea = messageRef.current;
    if (!textarea) return;
    const { selectionStart, selectionEnd, value } = textarea;
    edit({ template: value.slice(0, selectionStart) + token + value.slice(selectionEnd) });
    const caret = selectionStart + token.length;
    requestAnimationFrame(() => {
      textarea.focus();
      textarea.setSelectionRange(caret, caret);
    });
  }

  const service = services.find((s) => s.id === draft.serviceId);

  return (
    <fieldset className="card" disabled={locked}>
      <legend>Compose</legend>
      <Field
        label="Message"
        hint={
          <>
            <code>$(column)</code> inserts the row&apos;s value; case and extra spaces in the name are
            ignored, so <code>$(First Name)</code> matches a column &ldquo;first name&rdquo;.{' '}
            <code>$(column|fallback)</code> uses the fallback where the cell is empty, e.g.{' '}
            <code>$(name|there)</code>; rows with an empty cell and no fallback are skipped.
          </>
        }
      >
        {(control) => (
          <textarea
            {...control}
            ref={messageRef}
            rows={5}
            maxLength={4000}
            value={draft.template}
            placeholder="Hi $(name), your order is ready."
            onChange={(e) => edit({ template: e.target.value })}
          />
        )}
      </Field>
      <div className="placeholders" role="group" aria-label="Insert a column">
        <span className="muted small">Insert a column:</span>
        {campaign.columns.map((column) => {
          const placeholder = placeholderFor(column);
          return (
            <button
              key={column}
              type="button"
              className="chip"
              disabled={placeholder === null}
              title={
                placeholder === null
                  ? 'This column name cannot be written as a placeholder (it holds | or unbalanced brackets). Rename it in the file.'
                  : `Insert the ${column} of each recipient`
              }
              onClick={() => placeholder && insertPlaceholder(placeholder)}
            >
              {placeholder ?? `$(${column})`}
            </button>
          );
        })}
      </div>
      {preview && (
        <div className="stats" data-testid="row-stats">
          <p>
            Row {rowNumber.toLocaleString()}: {plural(preview.characters, 'character')} ·{' '}
            {preview.segments.encoding} · {plural(preview.segments.segments, 'segment')}
          </p>
          {preview.segments.encoding === 'UCS-2' && (
            <Ucs2Note
              characters={preview.segments.ucs2Characters}
              template={draft.template}
              onReplace={() => edit({ template: replaceLookalikes(draft.template) })}
            />
          )}
          {preview.emptyPlaceholders.length > 0 && (
            <p className="warning small">
              Empty in this row: {preview.emptyPlaceholders.map((name) => `$(${name})`).join(', ')}. Add a
              fallback, e.g. <code>$({preview.emptyPlaceholders[0]}|…)</code>, to avoid a gap.
            </p>
          )}
        </div>
      )}
      <LengthWarning length={campaign.messageLength} />
      <SmartlinksEditor
        smartlinks={draft.smartlinks}
        template={draft.template}
        onChange={(smartlinks) => edit({ smartlinks })}
        onInsert={insertPlaceholder}
      />
      <div className="field-row">
        <Field
          label="Sender ID"
          hint="The name or number recipients see; most countries allow up to 11 letters and digits for a name."
        >
          {(control) => (
            <input
              {...control}
              type="text"
              maxLength={20}
              value={draft.senderId}
              placeholder="e.g. ACME"
              onChange={(e) => edit({ senderId: e.target.value })}
            />
          )}
        </Field>
        <Field label="Service">
          {(control) => (
            <select
              {...control}
              value={draft.serviceId}
              onChange={(e) => edit({ serviceId: e.target.value })}
            >
              {!service && <option value={draft.serviceId}>(a removed service)</option>}
              {services.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <CampaignWindowChoice
        value={draft.sendWindow}
        service={service}
        onChange={(sendWindow) => edit({ sendWindow })}
      />
      <RequestOptionsEditor
        options={draft.requestOptions}
        onChange={(requestOptions) => edit({ requestOptions })}
        service={service}
      />
      <p className="totals" data-testid="totals">
        Whole campaign: {plural(campaign.totalSegments, 'segment')} · estimated cost{' '}
        {formatMoney(campaign.estimatedCost)}
      </p>
    </fieldset>
  );
}

/** Shown while the longest message of a ready row is longer than the service's API takes. */
function LengthWarning({ length }: { length: CampaignView['messageLength'] }) {
  const limit = TEXT_LIMITS[length.api];
  if (length.longest === null || length.longest.characters <= limit.max) return null;
  return (
    <p className="warning small" data-testid="length-warning">
      The longest message, row {length.longest.row + 1}&apos;s, is{' '}
      {describeLength(length.longest.characters, limit)}.{' '}
      {length.tooLong === 1
        ? "Shorten the message or that row's values."
        : `${plural(length.tooLong, 'row')} are too long: shorten the message or their values.`}
    </p>
  );
}

interface Ucs2NoteProps {
  characters: readonly string[];
  template: string;
  onReplace: () => void;
}

/** Names the characters that force UCS-2 and offers to replace the look-alikes the template holds. */
function Ucs2Note({ characters, template, onReplace }: Ucs2NoteProps) {
  const inTemplate = findLookalikes(template);
  const fromData = characters.filter(
    (c) => describeCharacter(c).replacement !== null && !inTemplate.includes(c),
  );
  return (
    <div className="ucs2-note" data-testid="ucs2-note">
      <p className="small">Sent as UCS-2 (70 characters per segment instead of 160) because of:</p>
      <ul className="characters" aria-label="Characters that force UCS-2">
        {characters.map((char) => {
          const info = describeCharacter(char);
          return (
            <li key={char}>
              {info.glyph !== null && <code>{info.glyph}</code>} {info.name}
              {info.replacement !== null && <span className="muted"> (look-alike)</span>}
            </li>
          );
        })}
      </ul>
      <DetailsToggle
        detail={characters.map((c) => `${describeCharacter(c).codePoint} ${characterWords(c)}`).join('\n')}
      />
      {inTemplate.length > 0 && (
        <div className="replace-row small">
          <button type="button" className="button" onClick={onReplace}>
            Replace look-alikes
          </button>
          <span className="muted">
            Puts plain characters in place of {inTemplate.map(characterWords).join(', ')} in the message.
          </span>
        </div>
      )}
      {fromData.length > 0 && (
        <p className="muted small">
          {fromData.map(characterWords).join(', ')} come from this row&apos;s cells: fix them in the file to
          send in GSM-7.
        </p>
      )}
    </div>
  );
}
