import { useEffect, useState } from 'react';
import { GAME_NAMES, type GameId } from '../../../../shared/api/games';
import { TRADE_STATUSES } from '../../../../shared/api/schemas';
import type { TradeView } from '../../../../shared/contract';
import { ENVIRONMENT_NAMES, ENVIRONMENTS } from '../../../../shared/domain';
import { formatUsd } from '../../../../shared/money';
import { tradeOutcomeWords } from '../../../../shared/trade-words';
import { someNames } from '../../../../shared/words';
import { accountLabel, useAccounts } from '../accounts/accounts-store';
import { useNav } from '../../app/nav-store';
import { EmptyState } from '../../ui/empty-state';
import { TradeChip } from '../../ui/status';
import { VirtualList } from '../../ui/virtual-list';
import { count, dateTime, gameName } from '../../ui/format';
import { downloadText } from '../../ui/download';
import { EMPTY_HISTORY_FILTER, useHistory } from './history-store';
import { HistoryTotalsPanel } from './history-totals';
import './history.css';

export function HistoryScreen() {
  const trades = useHistory((s) => s.trades);
  const total = useHistory((s) => s.total);
  const loading = useHistory((s) => s.loading);
  const error = useHistory((s) => s.error);
  const filter = useHistory((s) => s.filter);
  const { load, loadMore, exportCsv } = useHistory.getState();
  const accounts = useAccounts((s) => s.accounts);
  const go = useNav((s) => s.go);
  const [open, setOpen] = useState<string | null>(null);
  const filtered = JSON.stringify(filter) !== JSON.stringify(EMPTY_HISTORY_FILTER);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="screen history-screen">
      <header className="screen-header">
        <div>
          <h1>History</h1>
          <p className="subtitle">
            Every trade of every run. Search by externalId, trade id or item name.
          </p>
        </div>
        <button
          type="button"
          disabled={total === 0}
          onClick={async () => {
            const file = await exportCsv();
            if (file) downloadText(file.fileName, file.text, 'text/csv');
          }}
          data-testid="export-history"
        >
          Export CSV
        </button>
      </header>
      <HistoryFilters />
      <HistoryTotalsPanel />
      {error && (
        <p className="banner banner-err" role="alert">
          {error}
        </p>
      )}
      {trades.length === 0 && !loading ? (
        filtered ? (
          <EmptyState
            title="No trades match"
            actions={
              <button onClick={() => useHistory.getState().setFilter(EMPTY_HISTORY_FILTER)}>
                Clear filters
              </button>
            }
          />
        ) : (
          <EmptyState
            title="Nothing sold yet"
            actions={
              <button type="button" className="primary" onClick={() => go('plans')}>
                Go to Plans
              </button>
            }
          >
            Trades appear here as soon as a run creates them, and stay after they finish.
          </EmptyState>
        )
      ) : (
        <div className="history-table">
          <div className="hist-cols hist-head" role="row">
            <span>Created</span>
            <span>Status</span>
            <span>Account · game</span>
            <span>Items</span>
            <span>externalId</span>
            <span className="num">Count</span>
            <span className="num">Total</span>
          </div>
          <VirtualList
            items={trades}
            rowHeight={56}
            label="Trades"
            className="hist-list"
            testId="history-list"
            getKey={(t) => t.tradeId}
            renderRow={(t) => (
              <div
                className={`hist-cols hist-row${open === t.tradeId ? ' open' : ''}`}
                tabIndex={0}
                role="button"
                aria-expanded={open === t.tradeId}
                title={t.itemNames.slice(0, 20).join('\n')}
                onClick={() => setOpen(open === t.tradeId ? null : t.tradeId)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    setOpen(open === t.tradeId ? null : t.tradeId);
                  }
                }}
                data-trade-id={t.tradeId}
                data-trade-status={t.status}
                data-game={t.game}
              >
                <span className="muted">{dateTime(t.createdAt)}</span>
                <span>
                  <TradeChip status={t.status} />
                </span>
                <span>
                  {accountLabel(accounts, t.accountId)} · {gameName(t.game)}
                </span>
                <span className="ellipsis">{someNames(t.itemNames, 2)}</span>
                <code className="mono small ellipsis">{t.externalId ?? '—'}</code>
                <span className="num">{count(t.itemCount)}</span>
                <span className="num money">{formatUsd(t.totalCents)}</span>
                <TradeNote trade={t} />
              </div>
            )}
          />
          {open && <TradeDetail tradeId={open} onClose={() => setOpen(null)} />}
          <div className="hist-foot">
            <span className="muted">
              {count(trades.length)} of {count(total)} trades
            </span>
            {trades.length < total && (
              <button type="button" onClick={() => void loadMore()} disabled={loading}>
                Load more
              </button>
            )}
          </div>
        </div>
      )}
    </section>
  );
}

/** Why a trade did not sell, and the other attempts of its batch (the one that sold, or the one before). */
function TradeNote({ trade }: { trade: TradeView }) {
  const setFilter = useHistory((s) => s.setFilter);
  const why = tradeOutcomeWords(trade.status, trade.error);
  return (
    <span className="hist-note small">
      {trade.environment && (
        <span className="chip chip-neutral small" data-testid="trade-environment">
          {ENVIRONMENT_NAMES[trade.environment]}
        </span>
      )}
      {trade.attempt !== null && (
        <span className="muted">
          attempt {trade.attempt}
          {trade.batchSeq !== null && ` of batch #${trade.batchSeq}`}
        </span>
      )}
      {why && <span className="tone-err">{why}</span>}
      {trade.otherAttempts.map((a) => (
        <button
          key={a.tradeId}
          type="button"
          className="link small"
          title={`Show trade ${a.tradeId}`}
          onClick={(e) => {
            e.stopPropagation();
            setFilter({ search: a.tradeId });
          }}
        >
          attempt {a.attempt}: {a.status} →
        </button>
      ))}
    </span>
  );
}

function TradeDetail({ tradeId, onClose }: { tradeId: string; onClose: () => void }) {
  const trade = useHistory((s) => s.trades.find((t) => t.tradeId === tradeId));
  if (!trade) return null;
  const why = tradeOutcomeWords(trade.status, trade.error);
  return (
    <div className="trade-detail card" role="region" aria-label="Trade details">
      <div className="card-head">
        <h2>
          Trade <code className="mono">{trade.tradeId}</code>
        </h2>
        <TradeChip status={trade.status} />
        <button
          type="button"
          className="icon-button push"
          aria-label="Close details"
          onClick={onClose}
        >
          ×
        </button>
      </div>
      {why && <p className="small tone-err">{why}</p>}
      <p className="small">
        externalId <code className="mono">{trade.externalId ?? '—'}</code>
        {trade.offerId && (
          <>
            {' '}
            · Steam offer <code className="mono">{trade.offerId}</code>
          </>
        )}
        {trade.holdEndDate && <> · hold until {dateTime(trade.holdEndDate)}</>} · updated{' '}
        {dateTime(trade.updatedAt)}
      </p>
      <p className="small muted">
        {trade.itemNames.slice(0, 40).join(' · ')}
        {trade.itemNames.length > 40 ? ` … and ${trade.itemNames.length - 40} more` : ''}
      </p>
    </div>
  );
}

function HistoryFilters() {
  const filter = useHistory((s) => s.filter);
  const setFilter = useHistory((s) => s.setFilter);
  const accounts = useAccounts((s) => s.accounts);
  const [search, setSearch] = useState(filter.search);
  // A search set elsewhere (an attempt link) shows in the box.
  useEffect(() => setSearch(filter.search), [filter.search]);
  // Typing does not query main on every key: a short pause first.
  useEffect(() => {
    if (search === filter.search) return;
    const t = setTimeout(() => setFilter({ search }), 250);
    return () => clearTimeout(t);
  }, [search, filter.search, setFilter]);
  return (
    <div className="filter-bar" role="search">
      <input
        type="search"
        className="search"
        placeholder="externalId, trade id or item name   ( / )"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        aria-label="Search trades"
        data-search
      />
      <FilterSelect
        label="Environment"
        any="All environments"
        value={filter.environment}
        options={ENVIRONMENTS.map((env) => [env, ENVIRONMENT_NAMES[env]])}
        onChange={(environment) => setFilter({ environment })}
      />
      <FilterSelect
        label="Status"
        any="Any status"
        value={filter.status}
        options={TRADE_STATUSES.map((s) => [s, s])}
        onChange={(status) => setFilter({ status })}
      />
      <FilterSelect
        label="Game"
        any="All games"
        value={filter.game}
        options={(Object.keys(GAME_NAMES) as GameId[]).map((g) => [g, GAME_NAMES[g]])}
        onChange={(game) => setFilter({ game })}
      />
      <FilterSelect
        label="Account"
        any="All accounts"
        value={filter.accountId}
        options={accounts.map((a) => [a.id, a.label])}
        onChange={(accountId) => setFilter({ accountId })}
      />
      <label className="check-inline">
        From
        <input
          type="date"
          value={filter.from}
          onChange={(e) => setFilter({ from: e.target.value })}
          aria-label="From date"
        />
      </label>
      <label className="check-inline">
        To
        <input
          type="date"
          value={filter.to}
          onChange={(e) => setFilter({ to: e.target.value })}
          aria-label="To date"
        />
      </label>
    </div>
  );
}

/** One of the filter bar's pickers: '' is "any", the others are `options` as [value, words]. */
function FilterSelect<V extends string>({
  label,
  any,
  value,
  options,
  onChange,
}: {
  label: string;
  any: string;
  value: V | '';
  options: [V, string][];
  onChange: (value: V | '') => void;
}) {
  return (
    <select value={value} onChange={(e) => onChange(e.target.value as V | '')} aria-label={label}>
      <option value="">{any}</option>
      {options.map(([v, words]) => (
        <option key={v} value={v}>
          {words}
        </option>
      ))}
    </select>
  );
}
