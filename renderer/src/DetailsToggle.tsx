import { useId, useState } from 'react';

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
