import { useId, useRef, useState } from 'react';
import type { Smartlink } from '../../shared/api';
import { SHORT_LINK_LENGTH, unknownSmartlinks } from '../../shared/smartlinks';

interface Props {
  smartlinks: readonly Smartlink[];
  template: string;
  onChange: (smartlinks: Smartlink[]) => void;
  onInsert: (token: string) => void;
}

const LINK_ID = /^[A-Za-z0-9_-]{1,40}$/;
const MAX_VALIDITY = 3650;
const DEFAULT_VALIDITY = 30;
const MAX_LINKS = 50;

export const linkToken = (linkid: string) => `{{link_${linkid}}}`;

function validityOf(text: string): number | null {
  const days = Number(text);
  return Number.isInteger(days) && days >= 1 && days <= MAX_VALIDITY ? days : null;
}

/** The campaign's smartlinks: `{{link_<id>}}` in the message becomes a tracked short link. */
export function SmartlinksEditor({ smartlinks, template, onChange, onInsert }: Props) {
  const id = useId();
  const [linkid, setLinkid] = useState('');
  const [validity, setValidity] = useState(String(DEFAULT_VALIDITY));
  const [problem, setProblem] = useState<string | null>(null);
  const validityRef = useRef<HTMLInputElement>(null);
  const unknown = unknownSmartlinks(template, smartlinks);

  function add() {
    const name = linkid.trim();
    const days = validityOf(validity.trim());
    if (!LINK_ID.test(name)) return setProblem('A link ID is 1 to 40 letters, digits, _ or -.');
    if (smartlinks.some((l) => l.linkid === name)) return setProblem(`${linkToken(name)} is already set up.`);
    if (days === null) return setProblem(`The validity is a whole number of days from 1 to ${MAX_VALIDITY}.`);
    if (smartlinks.length >= MAX_LINKS) return setProblem(`A campaign has at most ${MAX_LINKS} smartlinks.`);
    setProblem(null);
    onChange([...smartlinks, { linkid: name, validity: days }]);
    setLinkid('');
    setValidity(String(DEFAULT_VALIDITY));
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
        Write <code>{'{{link_<id>}}'}</code> where a tracked short link should go; the platform replaces it
        with a link of about {SHORT_LINK_LENGTH} characters, which the preview shows.
      </p>
      {smartlinks.length > 0 && (
        <ul className="smartlink-list" aria-label="Smartlinks of this campaign">
          {smartlinks.map((link, i) => (
            <li key={link.linkid} aria-label={link.linkid}>
              <code>{linkToken(link.linkid)}</code>
              <ValidityInput
                label={`Days ${link.linkid} stays valid`}
                days={link.validity}
                onCommit={(days) =>
                  onChange(smartlinks.map((l, j) => (j === i ? { ...l, validity: days } : l)))
                }
              />
              <span className="muted small">days</span>
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
          Valid for (days)
          <input
            ref={validityRef}
            type="number"
            min={1}
            max={MAX_VALIDITY}
            value={validity}
            onChange={(e) => setValidity(e.target.value)}
          />
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

function ValidityInput({
  label,
  days,
  onCommit,
}: {
  label: string;
  days: number;
  onCommit: (days: number) => void;
}) {
  const [text, setText] = useState(String(days));
  const [shown, setShown] = useState(days);
  if (shown !== days) {
    setShown(days);
    setText(String(days));
  }
  function commit() {
    const valid = validityOf(text.trim());
    if (valid === null) setText(String(days));
    else if (valid !== days) onCommit(valid);
  }
  return (
    <input
      type="number"
      className="validity"
      aria-label={label}
      min={1}
      max={MAX_VALIDITY}
      value={text}
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          e.stopPropagation();
          commit();
        }
      }}
    />
  );
}
