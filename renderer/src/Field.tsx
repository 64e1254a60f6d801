import { useId, type ReactNode } from 'react';

interface Props {
  label: string;
  hint?: ReactNode;
  children: (control: { id: string; 'aria-describedby'?: string }) => ReactNode;
}

/** A labelled form control, with an optional hint that the control is described by. */
export function Field({ label, hint, children }: Props) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-describedby': hint ? hintId : undefined })}
      {hint && (
        <p className="muted small" id={hintId}>
          {hint}
        </p>
      )}
    </div>
  );
}
