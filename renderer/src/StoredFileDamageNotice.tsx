import type { StoredFileDamage } from '../../shared/api';

const INTRO: Record<StoredFileDamage['file'], string> = {
  Inbox: 'Part of the inbox on disk is damaged. This is what was assumed:',
  'Opt-out list': 'Part of the opt-out list on disk is damaged. This is what was assumed:',
};

/** Where a log on disk is damaged and what Campaign Desk assumed about the lines it could not read. */
export function StoredFileDamageNotice({ damage }: { damage: StoredFileDamage | null }) {
  if (damage === null) return null;
  return (
    <div className="warning journal-damage stored-file-damage" role="status" data-testid="stored-file-damage">
      <p>{INTRO[damage.file]}</p>
      <ul>
        {damage.notes.map((note) => (
          <li key={note}>{note}</li>
        ))}
      </ul>
    </div>
  );
}
