import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';

/** Progress is spoken at most this often; a screen reader reading every update would never stop. */
export const PROGRESS_INTERVAL_MS = 5000;

/** `progress` is throttled (the latest one waits its turn); an `outcome` is spoken at once. */
type Announce = (text: string, kind?: 'progress' | 'outcome') => void;

const AnnouncerContext = createContext<Announce | null>(null);

/**
 * The app's one polite live region, mounted before anything is announced: a region created together with its
 * message is often not read at all. Long tasks (import, sending) announce their progress and outcome here.
 */
export function Announcer({ children }: { children: ReactNode }) {
  const [text, setText] = useState('');
  const spokenAt = useRef(-Infinity);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);

  const announce = useCallback<Announce>((message, kind = 'outcome') => {
    if (pending.current !== null) clearTimeout(pending.current);
    pending.current = null;
    const speak = () => {
      pending.current = null;
      spokenAt.current = performance.now();
      setText(message);
    };
    const wait = spokenAt.current + PROGRESS_INTERVAL_MS - performance.now();
    if (kind === 'outcome' || wait <= 0) speak();
    else pending.current = setTimeout(speak, wait);
  }, []);
  useEffect(
    () => () => {
      if (pending.current !== null) clearTimeout(pending.current);
    },
    [],
  );

  return (
    <AnnouncerContext value={announce}>
      {children}
      <div
        role="status"
        aria-live="polite"
        aria-atomic="true"
        className="visually-hidden"
        data-testid="announcer"
      >
        {text}
      </div>
    </AnnouncerContext>
  );
}

export function useAnnounce(): Announce {
  const announce = useContext(AnnouncerContext);
  if (!announce) throw new Error('useAnnounce() needs an <Announcer> above it.');
  return announce;
}
