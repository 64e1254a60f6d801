import type { CampaignView, PhoneColumnScore } from '../../shared/api';
import { countryName } from './countries';

interface Props {
  campaign: CampaignView;
  column: number | null;
  choose: (column: number) => void;
}

const percent = (share: number) => `${Math.round(share * 100)} %`;

function numbers(score: PhoneColumnScore): string {
  const mobiles = score.mobileShare === undefined ? '' : `, ${percent(score.mobileShare)} mobiles`;
  return `${percent(score.share)} numbers${mobiles}`;
}

/** Which column the numbers are read from, what it holds, and the other column worth a look. */
export function PhoneColumnNote({ campaign, column, choose }: Props) {
  const choice = campaign.phoneColumnChoice;
  const name = (score: PhoneColumnScore) => `‘${campaign.columns[score.column]}’`;
  if (!choice) {
    return (
      <p className="muted small" data-testid="phone-column-note">
        No column holds {countryName(campaign.defaultCountry)} or international phone numbers; choose the
        column or the default country.
      </p>
    );
  }
  const scores = choice.runnerUp ? [choice, choice.runnerUp] : [choice];
  const used = scores.find((s) => s.column === column);
  const other = scores.find((s) => s.column !== column);
  return (
    <p className="muted small" data-testid="phone-column-note">
      {used ? `Using ${name(used)} (${numbers(used)}).` : null}
      {other && (
        <>
          {' '}
          {name(other)} {used ? 'also has' : 'has'} numbers ({numbers(other)}).{' '}
          <button type="button" className="link-button" onClick={() => choose(other.column)}>
            Use {name(other)}
          </button>
        </>
      )}
    </p>
  );
}
