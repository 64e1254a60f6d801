import { useId, useRef, useState } from 'react';
import type { Smartlink } from '../../shared/api';
import {
  MAX_VALIDITY_MINUTES,
  SHORT_LINK_LENGTH,
  shownLink,
  smartlinkIds,
  VALIDITY_UNITS,
  type ValidityUnit,
  unknownSmartlinks,
  validityMinutes,
} from '../../shared/smartlinks';
import { plural } from './format';

interface Props {
  smartlinks: readonly Smartlink[];
  template: string;
  onChange: (smartlinks: Smartlink[]) => void;
  onInsert: (token: string) => void;
}

const LINK_ID = /^[A-Za-z0-9_-]{1,40}$/;
const DEFAULT_VALIDITY = 30;
const DEFAULT_UNIT: ValidityUnit = 'days';
const MAX_LINKS = 50;

export const linkToken = (linkid: string) => `{{link_${linkid}}}`;

/** The most of `unit` that fits in ten years. */
const maxIn = (unit: ValidityUnit) =>
  Math.floor(MAX_VALIDITY_MINUTES / validityMinutes({ validity: 1, unit }));

function validityOf(text: string, unit: ValidityUnit): number | null {
  const n = Number(text.trim());
  return Number.isInteger(n) && n >= 1 && n <= maxIn(unit) ? n : null;
}

const validityProblem = (unit: ValidityUnit) =>
  `Valid for is a whole number of ${unit} from 1 to ${maxIn(unit).toLocaleString()} (ten years).`;

/** The campaign's smartlinks: `{{link_<id>}}` in the message becomes a tracked short link. */
export function SmartlinksEditor({ smartlinks, template, onChange, onInsert }: Props) {
  const id = useId();
  const [linkid, setLinkid] = useState('');
  const [validity, setValidity] = useState(String(DEFAULT_VALIDITY));
  const [unit, setUnit] = useState<ValidityUnit>(DEFAULT_UNIT);
  const [problem, setProblem] = useState<string | null>(null);
  const validityRef = useRef<HTMLInputElement>(null);
  const unknown = unknownSmartlinks(template, smartlinks);

  function add() {
    const name = linkid.trim();
    const amount = validityOf(validity, unit);
    if (!LINK_ID.test(name)) return setProblem('A link ID is 1 to 40 letters, digits, _ or -.');
    if (smartlinks.some((l) => l.linkid === name)) return setProblem(`${linkToken(name)} is already set up.`);
    if (amount === null) return setProblem(validityProblem(unit));
    if (smartlinks.length >= MAX_LINKS) return setProblem(`A campaign has at most ${MAX_LINKS} smartlinks.`);
    setProblem(null);
    onChange([...smartlinks, { linkid: name, validity: amount, unit }]);
    // One step: a new link goes into the message at the cursor; one the message already holds is only set up.
    if (!smartlinkIds(template).includes(name)) onInsert(linkToken(name));
    setLinkid('');
    setValidity(String(DEFAULT_VALIDITY));
    setUnit(DEFAULT_UNIT);
  }

  function setUp(name: string) {
    setLinkid(name);
    setProblem(null);
    requestAnimationFrame(() => validityRef.current?.focus());
  }

  return (
    <section className="smartlinks" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Smartlinks</h3>
      <p className="muted small">
        Add smartlink puts a tracked short link at the cursor in the message, shown here as{' '}
        <code>{shownLink('id')}</code>: the platform puts its own short link there when it sends, counted as{' '}
        {SHORT_LINK_LENGTH} characters.
      </p>
      {smartlinks.length > 0 && (
        <ul className="smartlink-list" aria-label="Smartlinks of this campaign">
          {smartlinks.map((link, i) => (
            <li key={link.linkid} aria-label={link.linkid}>
              <code>{linkToken(link.linkid)}</code>
              <ValidityEditor
                link={link}
                onCommit={(changed) => {
                  setProblem(null);
                  onChange(smartlinks.map((l, j) => (j === i ? { ...l, ...changed } : l)));
                }}
                onProblem={setProblem}
              />
              <span className="muted small">sent as {plural(validityMinutes(link), 'minute')}</span>
              <button type="button" className="chip" onClick={() => onInsert(linkToken(link.linkid))}>
                Insert
              </button>
              <button
                type="button"
                className="link-button"
                aria-label={`Remove ${link.linkid}`}
                onClick={() => onChange(smartlinks.filter((_, j) => j !== i))}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {unknown.length > 0 && (
        <p className="warning small" data-testid="unknown-smartlinks">
          Not set up yet: {unknown.map(linkToken).join(', ')}.{' '}
          {unknown.map((name) => (
            <button key={name} type="button" className="link-button" onClick={() => setUp(name)}>
              Set up {name}
            </button>
          ))}
        </p>
      )}
      <div
        className="smartlink-add"
        role="group"
        aria-label="Add a smartlink"
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            add();
          }
        }}
      >
        <label>
          Link ID
          <input
            type="text"
            maxLength={40}
            value={linkid}
            placeholder="e.g. offer"
            onChange={(e) => setLinkid(e.target.value)}
          />
        </label>
        <label>
          Valid for
          <input
            ref={validityRef}
            type="number"
            min={1}
            max={maxIn(unit)}
            value={validity}
            onChange={(e) => setValidity(e.target.value)}
          />
        </label>
        <label>
          Unit
          <UnitSelect value={unit} onChange={setUnit} />
        </label>
        <button type="button" className="button" onClick={add}>
          Add smartlink
        </button>
      </div>
      {problem && (
        <p className="warning small" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}

function UnitSelect({
  value,
  onChange,
  label,
}: {
  value: ValidityUnit;
  onChange: (unit: ValidityUnit) => void;
  label?: string;
}) {
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value as ValidityUnit)}>
      {VALIDITY_UNITS.map((u) => (
        <option key={u} value={u}>
          {u}
        </option>
      ))}
    </select>
  );
}

/** A link's validity, saved when the number is left or the unit changes; a wrong value is put back. */
function ValidityEditor({
  link,
  onCommit,
  onProblem,
}: {
  link: Smartlink;
  onCommit: (changed: Pick<Smartlink, 'validity' | 'unit'>) => void;
  onProblem: (problem: string) => void;
}) {
  const [text, setText] = useState(String(link.validity));
  const [shown, setShown] = useState(link.validity);
  if (shown !== link.validity) {
    setShown(link.validity);
    setText(String(link.validity));
  }
  function commit(unit: ValidityUnit) {
    const amount = validityOf(text, unit);
    if (amount === null) {
      setText(String(link.validity));
      onProblem(validityProblem(unit));
    } else if (amount !== link.validity || unit !== link.unit) {
      onCommit({ validity: amount, unit });
    }
  }
  return (
    <>
      <input
        type="number"
        className="validity"
        aria-label={`Validity of ${link.linkid}`}
        min={1}
        max={maxIn(link.unit)}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => commit(link.unit)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            e.stopPropagation();
            commit(link.unit);
          }
        }}
      />
      <UnitSelect label={`Unit of ${link.linkid}`} value={link.unit} onChange={commit} />
    </>
  );
}
