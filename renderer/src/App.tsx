import { useCallback, useEffect, useRef, useState, useSyncExternalStore, type KeyboardEvent } from 'react';
import type { CampaignView, ServiceView } from '../../shared/api';
import type { ChosenFile } from './api/desk-client';
import { CampaignWorkspace } from './CampaignWorkspace';
import { errorText } from './format';
import { HistoryPanel } from './HistoryPanel';
import { useDesk, useDeskEvent } from './hooks/useDesk';
import { KeepAwakeNote } from './KeepAwakeNote';
import { MissedStartsBanner } from './MissedStartsBanner';
import { useFocusRequest } from './hooks/useFocusOnChange';
import { ImportPanel } from './ImportPanel';
import { InboxPanel } from './InboxPanel';
import { ReceiverStatsView } from './ReceiverStatsView';
import { ServicesPanel } from './ServicesPanel';
import { SuppressionPanel } from './SuppressionPanel';
import { ErrorNote } from './ErrorNote';
import { CampaignsStore } from './stores/campaigns-store';

const TABS = [
  { id: 'campaign', label: 'Campaign' },
  { id: 'history', label: 'History' },
  { id: 'replies', label: 'Replies' },
  { id: 'opt-outs', label: 'Opt-outs' },
  { id: 'services', label: 'Services' },
] as const;
type Tab = (typeof TABS)[number]['id'];

/** The tab a key moves to in the WAI-ARIA tabs pattern: arrows go round, Home and End to either end. */
function tabAfterKey(key: string, current: Tab): Tab | null {
  const at = TABS.findIndex((t) => t.id === current);
  const to: Record<string, number> = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: TABS.length - 1 };
  const index = to[key];
  return index === undefined ? null : (TABS[(index + TABS.length) % TABS.length]?.id ?? null);
}

export function App() {
  const desk = useDesk();
  const [tab, setTab] = useState<Tab>('campaign');
  const [campaigns] = useState(() => new CampaignsStore());
  // The campaign of the Campaign tab, by id; its view is the store's.
  const [openId, setOpenId] = useState<string | null>(null);
  const campaign = useSyncExternalStore(campaigns.subscribe, () => campaigns.get(openId));
  // The workbook just imported, kept so that another of its sheets can be imported instead.
  const [workbook, setWorkbook] = useState<{ campaignId: string; file: ChosenFile } | null>(null);
  const [services, setServices] = useState<ServiceView[]>([]);
  const [error, setError] = useState<string | null>(null);
  // Opening a campaign or starting a new one replaces the Campaign tab's view: focus goes to its heading.
  const [arrival, requestArrivalFocus] = useFocusRequest();
  const tabButtons = useRef(new Map<Tab, HTMLButtonElement>());

  const loadServices = useCallback(() => {
    desk.call('services.list', {}).then(setServices, (e: unknown) => setError(errorText(e)));
  }, [desk]);
  useEffect(loadServices, [loadServices]);

  const applyView = campaigns.put;
  // The answer to `campaigns.send` can arrive after views pushed since (progress, or a start that was withdrawn
  // at once): it is taken only while the campaign shown is still the one the send was asked from.
  const applySent = useCallback(
    (view: CampaignView, before: CampaignView) => {
      if (campaigns.get(view.id) === before) campaigns.put(view);
    },
    [campaigns],
  );
  useDeskEvent('campaign.updated', applyView);

  // A file dropped outside the drop zone would otherwise replace the app with the file's contents. In the
  // desktop app the main process stops that itself, and needs the drop left unhandled to see the file.
  const pageHandlesDrops = desk.files.by === 'page';
  useEffect(() => {
    if (!pageHandlesDrops) return;
    const ignore = (e: DragEvent) => {
      if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
    };
    window.addEventListener('dragover', ignore);
    window.addEventListener('drop', ignore);
    return () => {
      window.removeEventListener('dragover', ignore);
      window.removeEventListener('drop', ignore);
    };
  }, [pageHandlesDrops]);

  function onServicesChanged() {
    loadServices();
    // A new price changes the open campaign's estimated cost.
    if (campaign) {
      desk.call('campaigns.get', { id: campaign.id }).then(applyView, (e: unknown) => setError(errorText(e)));
    }
  }

  function open(view: CampaignView, file?: ChosenFile) {
    campaigns.put(view);
    setOpenId(view.id);
    setWorkbook(file && view.sheets.length > 1 ? { campaignId: view.id, file } : null);
    setTab('campaign');
    requestArrivalFocus();
  }

  /** A campaign from History's list, which leaves out what the clock makes of it: shown, then asked for whole. */
  function openListed(view: CampaignView) {
    open(view);
    desk.call('campaigns.get', { id: view.id }).then(applyView, (e: unknown) => setError(errorText(e)));
  }

  function onTabKey(e: KeyboardEvent) {
    const next = tabAfterKey(e.key, tab);
    if (next === null) return;
    e.preventDefault();
    setTab(next);
    tabButtons.current.get(next)?.focus();
  }

  return (
    <div className="app">
      <header className="topbar">
        <h1>Campaign Desk</h1>
        <div role="tablist" aria-label="Sections" onKeyDown={onTabKey}>
          {TABS.map((t) => (
            <button
              key={t.id}
              ref={(button) => {
                if (button) tabButtons.current.set(t.id, button);
                else tabButtons.current.delete(t.id);
              }}
              type="button"
              role="tab"
              id={`tab-${t.id}`}
              tabIndex={tab === t.id ? 0 : -1}
              aria-selected={tab === t.id}
              aria-controls={`panel-${t.id}`}
              className="tab"
              onClick={() => setTab(t.id)}
            >
              {t.label}
            </button>
          ))}
        </div>
      </header>
      <ErrorNote error={error} />
      <KeepAwakeNote />
      <MissedStartsBanner shown={tab === 'campaign' ? (campaign?.id ?? null) : null} onOpen={open} />
      <main>
        <section
          role="tabpanel"
          id="panel-campaign"
          aria-labelledby="tab-campaign"
          hidden={tab !== 'campaign'}
        >
          {campaign ? (
            <CampaignWorkspace
              key={campaign.id}
              campaign={campaign}
              services={services}
              onSaved={applyView}
              onSent={applySent}
              focusKey={arrival}
              onNew={() => {
                setOpenId(null);
                requestArrivalFocus();
              }}
              workbook={workbook?.campaignId === campaign.id ? workbook.file : undefined}
              onImported={open}
            />
          ) : (
            <ImportPanel focusKey={arrival} onImported={open} />
          )}
        </section>
        <section role="tabpanel" id="panel-history" aria-labelledby="tab-history" hidden={tab !== 'history'}>
          {tab === 'history' && (
            <HistoryPanel
              campaigns={campaigns}
              onOpen={openListed}
              onDeleted={(id) => {
                campaigns.remove(id);
                setOpenId((current) => (current === id ? null : current));
              }}
            />
          )}
        </section>
        <section role="tabpanel" id="panel-replies" aria-labelledby="tab-replies" hidden={tab !== 'replies'}>
          {tab === 'replies' && <InboxPanel services={services} onOpen={open} />}
        </section>
        <section
          role="tabpanel"
          id="panel-opt-outs"
          aria-labelledby="tab-opt-outs"
          hidden={tab !== 'opt-outs'}
        >
          {tab === 'opt-outs' && <SuppressionPanel defaultCountry={campaign?.defaultCountry ?? 'US'} />}
        </section>
        <section
          role="tabpanel"
          id="panel-services"
          aria-labelledby="tab-services"
          hidden={tab !== 'services'}
        >
          <ServicesPanel services={services} onChanged={onServicesChanged} />
          {/* Polled while shown only. */}
          {tab === 'services' && <ReceiverStatsView />}
        </section>
      </main>
    </div>
  );
}
