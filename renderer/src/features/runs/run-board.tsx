import { memo, useEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { ACTION_LABELS, describeBatch } from '../../../../shared/batch-words';
import type { BatchView, RunSummary, TradeView } from '../../../../shared/contract';
import {
  ENVIRONMENT_NAMES,
  FAILED_TRADE_STATUSES,
  TRADE_STATUS_RANK,
  type TradeStatus,
} from '../../../../shared/domain';
import { useConnectivity } from '../../app/connectivity-store';
import { useNav } from '../../app/nav-store';
import { call } from '../../api/client';
import { accountLabel, useAccounts } from '../accounts/accounts-store';
import { EmptyState } from '../../ui/empty-state';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { Icon } from '../../ui/icons';
import { Money } from '../../ui/money';
import { BatchChip, RunChip, TradeChip } from '../../ui/status';
import { count, dateTime, gameName, plural } from '../../ui/format';
import { useNow } from '../../ui/use-now';
import { BatchReviewDialog } from './batch-review-dialog';
import { isActiveRun, useRuns } from './runs-store';
import { usePlan } from '../plans/plan-store';
import { UnsoldButton } from '../plans/plan-banners';
import { tradeOfferUrl } from './trade-offer';
import { OffersPanel } from './offers-panel';
import './runs.css';
import { paceWords } from './pace';

/** While a run is live the board also rereads it now and then, in case an event was missed. */
const SAFETY_RELOAD_MS = 4_000;

export function RunBoard() {
  const runs = useRuns((s) => s.runs);
  const runId = useRuns((s) => s.runId);
  const loaded = useRuns((s) => s.runsLoaded);
  const reconnects = useConnectivity((s) => s.reconnects);
  const go = useNav((s) => s.go);
  const run = runs.find((r) => r.id === runId);
  const live = run ? isActiveRun(run) : false;

  // On mount and after every reconnect: reread from main (it survives restarts).
  useEffect(() => {
    void useRuns
      .getState()
      .loadRuns()
      .then(() => useRuns.getState().show(useRuns.getState().runId ?? undefined));
  }, [reconnects]);

  useEffect(() => {
    if (!live) return;
    const t = setInterval(() => void useRuns.getState().reload(), SAFETY_RELOAD_MS);
    return () => clearInterval(t);
  }, [live, runId]);

  return (
    <section className="screen runs-screen">
      <header className="screen-header">
        <div>
          <h1>Run board</h1>
          <p className="subtitle">
            Every batch of a run, live. Accept each trade offer in Steam when it shows up here.
          </p>
        </div>
        {runs.length > 0 && (
          <select
            value={runId ?? ''}
            onChange={(e) => void useRuns.getState().show(e.target.value)}
            aria-label="Run"
            className="run-picker"
          >
            {runs.map((r) => (
              <option key={r.id} value={r.id}>
                {r.planName} · {r.state} · {r.state === 'armed' ? 'armed' : 'started'}{' '}
                {dateTime(r.createdAt)} · {ENVIRONMENT_NAMES[r.environment]}
              </option>
            ))}
          </select>
        )}
      </header>
      <OffersPanel />
      {loaded && runs.length === 0 ? (
        <EmptyState
          title="No runs yet"
          actions={
            <button type="button" className="primary" onClick={() => go('plans')}>
              Go to Plans
            </button>
          }
        >
          A run starts when you confirm a plan. Build one in Plans, check its prices and confirm.
        </EmptyState>
      ) : run ? (
        <>
          <RunHeader run={run} />
          <BatchList />
        </>
      ) : (
        <p className="muted pad">Loading…</p>
      )}
    </section>
  );
}

function RunHeader({ run }: { run: RunSummary }) {
  const { pause, resume, cancel } = useRuns.getState();
  const [confirmCancel, setConfirmCancel] = useState(false);
  const t = run.totals;
  const pct = (cents: number) => (t.totalCents > 0 ? (cents / t.totalCents) * 100 : 0);
  const finishedPct = t.batches > 0 ? Math.round((t.finishedBatches / t.batches) * 100) : 0;
  const live = isActiveRun(run);
  return (
    <div className="run-header card" data-testid="run-header" data-run-state={run.state}>
      <div className="run-title">
        <h2>{run.planName}</h2>
        <RunChip state={run.state} />
        <span className="chip chip-neutral small" data-testid="run-environment">
          {ENVIRONMENT_NAMES[run.environment]}
        </span>
        {run.message && <span className="run-message">{run.message}</span>}
        <div className="row-actions push">
          {(run.state === 'running' || run.state === 'waiting' || run.state === 'attention') && (
            <button type="button" onClick={() => void pause()}>
              Pause
            </button>
          )}
          {run.state === 'paused' && (
            <button type="button" className="primary" onClick={() => void resume()}>
              Resume
            </button>
          )}
          {live && (
            <button type="button" className="danger-quiet" onClick={() => setConfirmCancel(true)}>
              Cancel run
            </button>
          )}
          {(run.state === 'finished' || run.state === 'canceled') && run.started && (
            <UnsoldButton planId={run.planId} onDone={() => useNav.getState().go('plans')} />
          )}
          {run.state === 'canceled' && !run.started && <OpenPlanButton planId={run.planId} />}
        </div>
      </div>
      <div
        className="progress"
        role="progressbar"
        aria-label="Batches finished"
        aria-valuemin={0}
        aria-valuemax={t.batches}
        aria-valuenow={t.finishedBatches}
        data-testid="run-progress"
      >
        <span className="seg seg-ok" style={{ width: `${pct(t.creditedCents)}%` }} />
        <span
          className="seg seg-info"
          style={{
            width: `${pct(Math.max(0, t.submittedCents - t.creditedCents - t.failedCents))}%`,
          }}
        />
        <span className="seg seg-err" style={{ width: `${pct(t.failedCents)}%` }} />
      </div>
      {run.pace && (
        <p className="run-pace" data-testid="run-pace">
          {paceWords(run.pace, run.state === 'paused').join(' · ')}
        </p>
      )}
      <dl className="run-totals">
        <div>
          <dt>Batches finished</dt>
          <dd
            data-testid="finished-batches"
            title={`${count(t.settledBatches)} settled (every trade final), the rest skipped or canceled`}
          >
            {count(t.finishedBatches)} / {count(t.batches)} <small>({finishedPct} %)</small>
          </dd>
        </div>
        <div>
          <dt>Items</dt>
          <dd>{count(t.items)}</dd>
        </div>
        <div>
          <dt>Submitted</dt>
          <dd>
            <Money cents={t.submittedCents} />
          </dd>
        </div>
        <div>
          <dt>Credited</dt>
          <dd className="tone-ok">
            <Money cents={t.creditedCents} />
          </dd>
        </div>
        <div>
          <dt>Pending</dt>
          <dd>
            <Money cents={t.pendingCents} />
          </dd>
        </div>
        <div>
          <dt>Failed</dt>
          <dd className={t.failedCents > 0 ? 'tone-err' : ''}>
            <Money cents={t.failedCents} />
          </dd>
        </div>
        <div>
          <dt>Plan total</dt>
          <dd>
            <Money cents={t.totalCents} />
          </dd>
        </div>
      </dl>
      <ConfirmDialog
        open={confirmCancel}
        title="Cancel this run?"
        keepLabel="Keep running"
        confirmLabel="Cancel unsent batches"
        onConfirm={() => void cancel()}
        onClose={() => setConfirmCancel(false)}
      >
        <p>
          Batches not yet sent are canceled. Trades already created with AssetPay cannot be canceled
          from here; they keep being tracked until they finish.
        </p>
      </ConfirmDialog>
    </div>
  );
}

/** How often the board re-derives its words as time passes (a hold ends, a retry time passes). */
const WORDS_TICK_MS = 2_000;

function BatchList() {
  const batches = useRuns((s) => s.batches);
  const accounts = useAccounts((s) => s.accounts);
  const now = useNow(WORDS_TICK_MS);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: batches.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 132,
    overscan: 4,
    getItemKey: (i) => batches[i]!.id,
  });
  if (batches.length === 0) return <p className="muted pad">No batches yet.</p>;
  return (
    <div
      ref={scrollRef}
      className="batch-scroll"
      role="list"
      aria-label="Batches"
      data-testid="batch-list"
    >
      <div className="vlist-canvas" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((v) => (
          <div
            key={v.key}
            ref={virtualizer.measureElement}
            data-index={v.index}
            className="batch-slot"
            role="listitem"
            style={{ transform: `translateY(${v.start}px)` }}
          >
            <BatchCard
              batch={batches[v.index]!}
              account={accountLabel(accounts, batches[v.index]!.accountId)}
              now={now}
            />
          </div>
        ))}
      </div>
    </div>
  );
}

const BatchCard = memo(function BatchCard({
  batch,
  account,
  now,
}: {
  batch: BatchView;
  account: string;
  now: number;
}) {
  const { retryBatch, skipBatch } = useRuns.getState();
  const go = useNav((s) => s.go);
  const [review, setReview] = useState(false);
  // Derived from what the batch and its trades are now, at this moment: never kept (issue 14).
  const words = describeBatch(batch, now);
  const problem =
    batch.state === 'needs-review' || batch.state === 'blocked' || batch.state === 'unknown';
  // "Waiting to be sent" on 400 queued cards is noise; the chip says it.
  const quiet = batch.state === 'queued' || batch.state === 'draft' || batch.state === 'sending';
  const act: Record<BatchView['nextActions'][number], () => void> = {
    'review-prices': () => setReview(true),
    'review-items': () => setReview(true),
    retry: () => void retryBatch(batch.id),
    skip: () => void skipBatch(batch.id),
    'fix-account': () => go('accounts'),
    'fix-key': () => go('settings'),
  };
  return (
    <article
      className={`batch-card card state-${batch.state}`}
      data-testid="batch-card"
      data-batch-state={batch.state}
      data-external-id={batch.externalId}
      aria-label={`Batch ${batch.seq}: ${batch.state}`}
    >
      <div className="batch-top">
        <span className="batch-seq">#{batch.seq}</span>
        <span className="batch-who">
          {account} · {gameName(batch.game)}
        </span>
        <BatchChip state={batch.state} />
        {batch.attempt > 1 && <span className="muted small">attempt {batch.attempt}</span>}
        <span className="batch-amount">
          {plural(batch.itemCount, 'item')} · <Money cents={batch.totalCents} className="strong" />
        </span>
      </div>
      <div className="batch-ids">
        <span className="muted small">externalId</span>{' '}
        <code className="mono small">{batch.externalId}</code>
      </div>
      {batch.trades.length > 0 && (
        <ul className="trade-list">
          {batch.trades.map((t) => (
            <TradeLine key={t.tradeId} trade={t} />
          ))}
        </ul>
      )}
      {(!quiet || batch.nextActions.length > 0) && (
        <div
          className={`batch-problem${problem ? ' is-problem' : ''}`}
          role={problem ? 'alert' : undefined}
        >
          {!quiet && <p>{words}</p>}
          <div className="row-actions">
            {batch.nextActions.map((a) => (
              <button
                key={a}
                type="button"
                className={
                  a === 'review-prices' || a === 'review-items'
                    ? 'primary small'
                    : a === 'skip'
                      ? 'small danger-quiet'
                      : 'small'
                }
                onClick={act[a]}
              >
                {ACTION_LABELS[a]}
              </button>
            ))}
          </div>
        </div>
      )}
      {review && (
        <BatchReviewDialog
          batch={batch}
          words={words}
          open={review}
          onClose={() => setReview(false)}
        />
      )}
    </article>
  );
});

const LIFECYCLE: TradeStatus[] = ['initiated', 'active', 'hold', 'completed'];

function TradeLine({ trade }: { trade: TradeView }) {
  const failed = FAILED_TRADE_STATUSES.includes(trade.status);
  const rank = TRADE_STATUS_RANK[trade.status];
  return (
    <li className="trade-line" data-trade-status={trade.status}>
      <ol className="lifecycle" aria-label={`Trade ${trade.tradeId}: ${trade.status}`}>
        {LIFECYCLE.map((s) => (
          <li
            key={s}
            className={
              failed
                ? 'step'
                : trade.status === 'completed'
                  ? 'step done'
                  : trade.status === s || (trade.status === 'pending' && s === 'initiated')
                    ? 'step current'
                    : TRADE_STATUS_RANK[s] < rank
                      ? 'step done'
                      : 'step'
            }
            title={s}
          />
        ))}
      </ol>
      <TradeChip status={trade.status} />
      <code className="mono small trade-id" title="Trade id">
        {trade.tradeId}
      </code>
      {trade.holdEndDate && trade.status === 'hold' && (
        <span className="muted small">hold until {dateTime(trade.holdEndDate)}</span>
      )}
      {trade.offerId && (
        <span className="small">
          Steam offer <code className="mono">{trade.offerId}</code>
        </span>
      )}
      {/* Only an offer that waits for the trader is worth opening. */}
      {trade.offerId && trade.status === 'active' && (
        <button
          type="button"
          className="primary small"
          onClick={() =>
            call(
              'openExternal',
              { url: tradeOfferUrl(trade.offerId!) },
              { context: 'Could not open Steam' },
            ).catch(() => undefined /* the toast says why */)
          }
        >
          <Icon name="external" /> Open trade offer
        </button>
      )}
    </li>
  );
}

/** A run that ended before it started (disarmed, or not submitted): its plan is where to go on. */
function OpenPlanButton({ planId }: { planId: string }) {
  return (
    <button
      type="button"
      className="primary"
      onClick={async () => {
        useNav.getState().go('plans');
        await usePlan.getState().open(planId);
      }}
    >
      Open the plan
    </button>
  );
}
