import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { CampaignView, ServiceView } from '../../shared/api';
import { downloadCsv, formatDate, formatSize, plural } from './format';
import { useAction } from './hooks/useAction';
import { usePagedList, type PageQuery } from './hooks/usePagedList';
import { useDesk, useDeskEvent } from './hooks/useDesk';
import { OptOutKeywordsEditor } from './OptOutKeywordsEditor';
import { Pager } from './Pager';
import { StoredFileDamageNotice } from './StoredFileDamageNotice';
import { ErrorNote } from './ErrorNote';

const PAGE_SIZE = 50;
/** Replies can come by the hundred; the page shown is fetched again at most this often. */
const REFRESH_EVERY_MS = 300;

interface Props {
  services: ServiceView[];
  onOpen: (campaign: CampaignView) => void;
}

/** Every reply to every campaign, newest first, with the campaign row it answers. */
export function InboxPanel({ services, onOpen }: Props) {
  const desk = useDesk();
  const id = useId();
  const [serviceId, setServiceId] = useState('');
  const { busy, error, setError, run } = useAction();
  const fetchPage = useCallback(
    (query: PageQuery) =>
      desk.call('inbox.list', { ...query, serviceId: serviceId === '' ? undefined : serviceId }),
    [desk, serviceId],
  );
  const { list, search, searchInput, searchFor, offset, setOffset, refresh } = usePagedList(
    fetchPage,
    PAGE_SIZE,
    setError,
  );
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const refreshSoon = useCallback(() => {
    refreshTimer.current ??= setTimeout(() => {
      refreshTimer.current = null;
      refresh();
    }, REFRESH_EVERY_MS);
  }, [refresh]);
  useEffect(() => () => clearTimeout(refreshTimer.current ?? undefined), []);
  useDeskEvent('inbox.received', refreshSoon);

  const serviceName = (sid: string) => services.find((s) => s.id === sid)?.name ?? 'a removed service';

  const exportCsv = () =>
    run(async () => {
      const { fileName, csv } = await desk.call('inbox.export', {
        serviceId: serviceId === '' ? undefined : serviceId,
      });
      downloadCsv(fileName, csv);
    });

  const openCampaign = (campaignId: string) =>
    run(async () => onOpen(await desk.call('campaigns.get', { id: campaignId })));

  const total = list?.total ?? 0;
  const dropped = list?.dropped ?? null;

  return (
    <div className="inbox">
      <div className="workspace-head">
        <div>
          <h2>Replies</h2>
          <p className="muted small">
            What people answered. A reply is linked to the campaign that last messaged its number through the
            same service; an opt-out keyword adds the number to the opt-outs at once.
          </p>
        </div>
      </div>
      <section className="card" aria-labelledby={`${id}-list`}>
        <div className="table-title">
          <h3 id={`${id}-list`}>Inbox</h3>
          <span className="muted small" data-testid="inbox-total">
            {list === null ? 'Loading…' : plural(total, 'reply', 'replies')}
          </span>
        </div>
        <StoredFileDamageNotice damage={list?.damage ?? null} />
        {dropped && (
          <p className="notice small" data-testid="inbox-dropped">
            {dropped.keptSince
              ? `Replies received before ${formatDate(dropped.keptSince)}`
              : 'The oldest replies'}{' '}
            ({dropped.count.toLocaleString()}) were deleted to keep the inbox under{' '}
            {formatSize(dropped.limitBytes)} on this computer. Export the replies to CSV now and then to keep
            them all.
          </p>
        )}
        <div className="inbox-tools">
          <select
            aria-label="Service"
            value={serviceId}
            onChange={(e) => {
              setServiceId(e.target.value);
              setOffset(0);
            }}
          >
            <option value="">All services</option>
            {services.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
          <input
            type="search"
            className="table-search"
            aria-label="Search replies"
            placeholder="Search numbers or text…"
            maxLength={100}
            value={searchInput}
            onChange={(e) => searchFor(e.target.value)}
          />
          <button
            type="button"
            className="button"
            disabled={busy || total === 0}
            onClick={() => void exportCsv()}
          >
            Export CSV
          </button>
        </div>
        {list !== null && total === 0 && (
          <p className="muted">{search || serviceId ? 'No reply matches.' : 'No replies yet.'}</p>
        )}
        <ul className="reply-list" aria-label="Replies">
          {list?.entries.map(({ match, ...entry }) => (
            <li key={entry.id} aria-label={`Reply from ${entry.msisdn ?? entry.from}`}>
              <div className="reply-head">
                <span className="msisdn">{entry.msisdn ?? entry.from}</span>
                <span className="muted small">
                  {formatDate(entry.receivedAt)}
                  {serviceId === '' && ` · ${serviceName(entry.serviceId)}`}
                </span>
                {entry.action === 'opted-out' && <span className="badge">opted out</span>}
              </div>
              <p className="reply-text">{entry.text}</p>
              {match?.deleted ? (
                <span className="muted small">
                  {match.campaignName} · row {(match.row + 1).toLocaleString()} (deleted campaign)
                </span>
              ) : match ? (
                <button
                  type="button"
                  className="link-button small"
                  disabled={busy}
                  onClick={() => void openCampaign(match.campaignId)}
                >
                  {match.campaignName} · row {(match.row + 1).toLocaleString()}
                </button>
              ) : (
                <span className="muted small">No campaign messaged this number through this service.</span>
              )}
            </li>
          ))}
        </ul>
        <Pager
          offset={offset}
          pageSize={PAGE_SIZE}
          total={total}
          onOffset={setOffset}
          labels={{ back: 'Newer', forward: 'Older' }}
        />
        <ErrorNote error={error} />
      </section>
      <OptOutKeywordsEditor />
    </div>
  );
}
