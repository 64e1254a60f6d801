import { useState, type FormEvent } from 'react';
import type { CampaignView } from '../../shared/api';
import { plural } from './format';
import { useAction } from './hooks/useAction';
import { useDesk } from './hooks/useDesk';
import { ErrorNote } from './ErrorNote';

interface Props {
  campaign: CampaignView;
  /** Rows whose message failed (rejected, undelivered, failed, expired). */
  failed: number;
  /** A new campaign made from this one (a copy, or its failed rows). */
  onCreated: (campaign: CampaignView) => void;
  onChanged: (campaign: CampaignView) => void;
  onDeleted: () => void;
}

const DONE: readonly CampaignView['state'][] = ['completed', 'stopped', 'cancelled'];

/** Rename, duplicate, send again to the failed rows, archive and delete one campaign. */
export function CampaignActions({ campaign: c, failed, onCreated, onChanged, onDeleted }: Props) {
  const desk = useDesk();
  const { busy, error, run } = useAction();
  const [mode, setMode] = useState<'idle' | 'rename' | 'delete'>('idle');
  const [name, setName] = useState(c.name);

  const rename = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      onChanged(await desk.call('campaigns.rename', { id: c.id, name }));
      setMode('idle');
    });
  };
  const act = (action: () => Promise<void>) => () => void run(action);

  return (
    <div className="history-manage">
      {mode === 'rename' ? (
        <form className="actions" onSubmit={rename} aria-label={`Rename ${c.name}`}>
          <label className="inline">
            New name{' '}
            <input value={name} maxLength={200} autoFocus onChange={(e) => setName(e.target.value)} />
          </label>
          <button type="submit" className="button primary" disabled={busy || name.trim() === ''}>
            Save name
          </button>
          <button type="button" className="button" onClick={() => setMode('idle')}>
            Keep the name
          </button>
        </form>
      ) : mode === 'delete' ? (
        <div className="actions" role="group" aria-label={`Delete ${c.name}?`}>
          <span>
            Delete &ldquo;{c.name}&rdquo; and its {plural(c.rowCount, 'row')}? Its files are removed from this
            computer; this cannot be undone.
          </span>
          <button
            type="button"
            className="button danger"
            disabled={busy}
            onClick={act(async () => {
              await desk.call('campaigns.delete', { id: c.id });
              onDeleted();
            })}
          >
            Yes, delete
          </button>
          <button type="button" className="button" onClick={() => setMode('idle')}>
            Keep it
          </button>
        </div>
      ) : (
        <div className="actions">
          <button
            type="button"
            className="button small-button"
            aria-label={`Rename ${c.name}`}
            onClick={() => {
              setName(c.name);
              setMode('rename');
            }}
          >
            Rename
          </button>
          <button
            type="button"
            className="button small-button"
            aria-label={`Duplicate ${c.name}`}
            disabled={busy}
            onClick={act(async () => onCreated(await desk.call('campaigns.duplicate', { id: c.id })))}
          >
            Duplicate
          </button>
          {DONE.includes(c.state) && failed > 0 && (
            <button
              type="button"
              className="button small-button"
              aria-label={`Send again to the rows that failed in ${c.name}`}
              disabled={busy}
              onClick={act(async () => onCreated(await desk.call('campaigns.sendAgainFailed', { id: c.id })))}
            >
              Send again to the {plural(failed, 'row')} that failed
            </button>
          )}
          <button
            type="button"
            className="button small-button"
            aria-label={`${c.archived ? 'Unarchive' : 'Archive'} ${c.name}`}
            disabled={busy}
            onClick={act(async () =>
              onChanged(await desk.call('campaigns.archive', { id: c.id, archived: !c.archived })),
            )}
          >
            {c.archived ? 'Unarchive' : 'Archive'}
          </button>
          <button
            type="button"
            className="button small-button danger-outline"
            aria-label={`Delete ${c.name}`}
            onClick={() => setMode('delete')}
          >
            Delete
          </button>
        </div>
      )}
      <ErrorNote error={error} />
    </div>
  );
}
