import type { CampaignView } from '../../shared/api';

/** What Campaign Desk assumed where the campaign's journal is damaged: which line, which rows, counted how. */
export function JournalDamageNotice({ campaign }: { campaign: CampaignView }) {
  if (campaign.journalDamage.length === 0) return null;
  return (
    <div className="warning journal-damage" role="status" data-testid="journal-damage">
      <p>
        Part of this campaign&apos;s record on disk is damaged. No message is sent twice because of it; this
        is what was assumed:
      </p>
      <ul>
        {campaign.journalDamage.map((note) => (
          <li key={note}>{note}</li>
        ))}
      </ul>
    </div>
  );
}
