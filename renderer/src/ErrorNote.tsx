import { DetailsToggle } from './DetailsToggle';
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
