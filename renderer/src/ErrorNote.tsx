import { useId, useState } from 'react';
import type { Problem } from './format';

/**
 * A failure the user should read, announced to screen readers; nothing when there is none. The sentence comes first;
 * the technical account (a network error's code), when there is one, waits behind a Details toggle.
 */
export function ErrorNote({
  error,
  detail,
}: {
  error: string | Problem | null | undefined;
  /** The detail of a plain-string `error`. */
  detail?: string | null;
}) {
  if (!error) return null;
  const problem = typeof error === 'string' ? { text: error, detail: detail ?? null } : error;
  return (
    <div className="error" role="alert">
      <p>{problem.text}</p>
      {problem.detail && <DetailsToggle detail={problem.detail} />}
    </div>
  );
}

/** The technical account behind a sentence on screen, hidden until asked for. */
export function DetailsToggle({ detail }: { detail: string }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <>
      <button
        type="button"
        className="link-button error-details-toggle"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen(!open)}
      >
        Details
      </button>
      <pre id={id} className="error-detail" hidden={!open}>
        {detail}
      </pre>
    </>
  );
}
