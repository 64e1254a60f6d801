import { useEffect, useId, useState } from 'react';
import { errorText } from './format';
import { useAction } from './hooks/useAction';
import { useDesk } from './hooks/useDesk';
import { ErrorNote } from './ErrorNote';

const MAX_KEYWORDS = 50;

function parseKeywords(text: string): string[] {
  return text
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '');
}

/** The replies that opt a number out, edited as one comma-separated line. */
export function OptOutKeywordsEditor() {
  const desk = useDesk();
  const id = useId();
  const [saved, setSaved] = useState<string[] | null>(null);
  const [draft, setDraft] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const { busy, error, setError, run } = useAction();

  useEffect(() => {
    desk.call('optOut.keywords', {}).then(
      ({ keywords }) => {
        setSaved(keywords);
        setDraft(keywords.join(', '));
      },
      (e: unknown) => setError(errorText(e)),
    );
  }, [desk, setError]);

  const keywords = parseKeywords(draft);
  const changed = saved !== null && keywords.join('\n').toUpperCase() !== saved.join('\n');

  const save = () =>
    run(async () => {
      setNotice(null);
      if (keywords.length === 0) throw new Error('Keep at least one opt-out keyword.');
      if (keywords.length > MAX_KEYWORDS) throw new Error(`Keep at most ${MAX_KEYWORDS} keywords.`);
      const result = await desk.call('optOut.setKeywords', { keywords });
      setSaved(result.keywords);
      setDraft(result.keywords.join(', '));
      setNotice('Keywords saved.');
    });

  return (
    <section className="card keywords" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Opt-out keywords</h3>
      <p className="muted small">
        A reply that is one of these words (in any case, with punctuation around it) adds its number to the
        opt-outs. &ldquo;Stop.&rdquo; opts out; &ldquo;Stop sending me these?&rdquo; does not.
      </p>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <input
          id={`${id}-input`}
          aria-label="Opt-out keywords, separated by commas"
          value={draft}
          disabled={saved === null}
          onChange={(e) => {
            setDraft(e.target.value);
            setNotice(null);
          }}
        />
        <button type="submit" className="button" disabled={busy || !changed}>
          Save keywords
        </button>
      </form>
      {notice && (
        <p role="status" className="small">
          {notice}
        </p>
      )}
      <ErrorNote error={error} />
    </section>
  );
}
