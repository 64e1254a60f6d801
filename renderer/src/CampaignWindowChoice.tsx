import { useId, useState } from 'react';
import type { CampaignWindow, ServiceView } from '../../shared/api';
import { DEFAULT_SEND_WINDOW, describeSendWindow } from '../../shared/send-window';
import { SendWindowFields, windowFromDraft, type WindowDraft } from './SendWindowFields';

interface Props {
  value: CampaignWindow;
  /** The campaign's service; undefined when it was removed. */
  service: ServiceView | undefined;
  onChange: (value: CampaignWindow) => void;
}

function serviceLabel(service: ServiceView | undefined): string {
  if (!service) return "Service's";
  return service.sendWindow === null
    ? "Service's (none: any hour)"
    : `Service's (${describeSendWindow(service.sendWindow)})`;
}

/** Whose send window the campaign keeps: its service's, none, or one of its own. */
export function CampaignWindowChoice({ value, service, onChange }: Props) {
  const name = useId();
  // Kept while another choice is made, so that going back to "own" finds the times typed.
  const [own, setOwn] = useState<WindowDraft>(
    value.mode === 'own' ? value.window : (service?.sendWindow ?? DEFAULT_SEND_WINDOW),
  );

  function editOwn(draft: WindowDraft) {
    setOwn(draft);
    const window = windowFromDraft(draft);
    if (typeof window !== 'string') onChange({ mode: 'own', window });
  }

  function choose(mode: CampaignWindow['mode']) {
    if (mode === 'own') return editOwn(own);
    onChange({ mode });
  }

  const choices: { mode: CampaignWindow['mode']; label: string }[] = [
    { mode: 'service', label: serviceLabel(service) },
    { mode: 'off', label: 'None: send at any hour' },
    { mode: 'own', label: "This campaign's own" },
  ];

  return (
    <fieldset className="choice-fields send-window" data-testid="campaign-window">
      <legend>Send window</legend>
      <p className="muted small">
        When messages may reach a recipient, on the recipient&apos;s own clock; rows outside it wait.
      </p>
      {choices.map((choice) => (
        <label key={choice.mode} className="choice">
          <input
            type="radio"
            name={name}
            value={choice.mode}
            checked={value.mode === choice.mode}
            onChange={() => choose(choice.mode)}
          />
          {choice.label}
        </label>
      ))}
      {value.mode === 'own' && <SendWindowFields draft={own} onChange={editOwn} />}
    </fieldset>
  );
}
