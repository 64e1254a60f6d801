import type { CampaignPatch, CampaignView } from '../../shared/api';
import { PhoneColumnNote } from './PhoneColumnNote';
import { countryName, countryOptions } from './countries';
import { Field } from './Field';
import { plural } from './format';
import type { Draft } from './hooks/useCampaignEditor';

interface Props {
  campaign: CampaignView;
  draft: Draft;
  edit: (patch: CampaignPatch) => void;
  locked: boolean;
}

export function RecipientSettings({ campaign, draft, edit, locked }: Props) {
  return (
    <fieldset className="card" disabled={locked}>
      <legend>Recipient file</legend>
      <p data-testid="file-summary">
        <strong>{campaign.fileName}</strong> · {plural(campaign.rowCount, 'row')} ·{' '}
        {plural(campaign.columns.length, 'column')}: {campaign.columns.join(', ')}
      </p>
      <div className="field-row">
        <Field label="Phone column">
          {(control) => (
            <select
              {...control}
              value={draft.phoneColumn ?? ''}
              onChange={(e) => edit({ phoneColumn: Number(e.target.value) })}
            >
              {draft.phoneColumn === null && (
                <option value="" disabled>
                  Choose a column…
                </option>
              )}
              {columnOptions(campaign.columns)}
            </select>
          )}
        </Field>
        <Field
          label="Time zone column"
          hint="Where the file names each recipient's zone (such as America/New_York); without one, the zone comes from each number."
        >
          {(control) => (
            <select
              {...control}
              value={draft.timeZoneColumn ?? ''}
              onChange={(e) =>
                edit({ timeZoneColumn: e.target.value === '' ? null : Number(e.target.value) })
              }
            >
              <option value="">(none — from each number)</option>
              {columnOptions(campaign.columns)}
            </select>
          )}
        </Field>
        <Field
          label="Default country"
          hint={`Numbers written without a country code (no leading +) are read as ${countryName(draft.defaultCountry)} numbers.`}
        >
          {(control) => (
            <select
              {...control}
              value={draft.defaultCountry}
              onChange={(e) => edit({ defaultCountry: e.target.value })}
            >
              {countryOptions(draft.defaultCountry).map(({ code, name }) => (
                <option key={code} value={code}>
                  {name} ({code})
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <PhoneColumnNote
        campaign={campaign}
        column={draft.phoneColumn}
        choose={(phoneColumn) => edit({ phoneColumn })}
      />
      <CountrySuggestion campaign={campaign} current={draft.defaultCountry} choose={edit} />
    </fieldset>
  );
}

/** Offers the country of most of the file's + numbers, when numbers without a + are read as another's. */
function CountrySuggestion({
  campaign,
  current,
  choose,
}: {
  campaign: CampaignView;
  current: string;
  choose: (patch: CampaignPatch) => void;
}) {
  const suggested = campaign.plusCountry;
  if (!suggested || suggested.country === current || campaign.numbersWithoutPlus === 0) return null;
  return (
    <p className="muted" data-testid="country-suggestion">
      Your file&apos;s numbers are mostly +{suggested.callingCode} ({countryName(suggested.country)}):{' '}
      <button type="button" onClick={() => choose({ defaultCountry: suggested.country })}>
        use {suggested.country}?
      </button>
    </p>
  );
}

/** One option per column of the file, its position as the value. */
function columnOptions(columns: readonly string[]) {
  return columns.map((column, i) => (
    <option key={column} value={i}>
      {column}
    </option>
  ));
}
