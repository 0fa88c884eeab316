import { useEffect, useMemo, useState } from 'react';
import { GAMES } from '../../../../shared/api/games';
import { reviewItemWords, reviewTitle } from '../../../../shared/batch-words';
import type { BatchReview, BatchView, ReviewItem } from '../../../../shared/contract';
import { formatUsd } from '../../../../shared/money';
import { attempt } from '../../api/client';
import { Dialog } from '../../ui/dialog';
import { percentFromBp, plural } from '../../ui/format';
import { perUnit, StackUnits } from '../../ui/stack-units';
import { decidable, initiallyTicked, saleOf } from './review-choices';
import { useRuns } from './runs-store';

/**
 * A refused batch, item by item, against AssetPay's offers now (issue 14):
 * each changed item with its old → new price and the change in $ and %, or
 * why AssetPay refuses it. The trader ticks what to sell at the current offer;
 * everything else is left out. "Sell" retries with exactly those choices, at
 * the prices shown here.
 */
export function BatchReviewDialog({
  batch,
  words,
  open,
  onClose,
}: {
  batch: BatchView;
  words: string;
  open: boolean;
  onClose: () => void;
}) {
  const [review, setReview] = useState<BatchReview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [ticked, setTicked] = useState<ReadonlySet<string>>(new Set());
  const { retryBatch, skipBatch } = useRuns.getState();

  useEffect(() => {
    if (!open) return;
    let live = true;
    setReview(null);
    setError(null);
    void attempt('reviewBatch', { batchId: batch.id }).then((result) => {
      if (!live) return;
      if (!result.ok) return setError(result.error.message);
      setReview(result.data);
      setTicked(initiallyTicked(result.data));
    });
    return () => {
      live = false;
    };
  }, [open, batch.id]);

  const sale = useMemo(() => (review ? saleOf(review, ticked) : null), [review, ticked]);
  const toggle = (itemId: string) => {
    const next = new Set(ticked);
    if (!next.delete(itemId)) next.add(itemId);
    setTicked(next);
  };

  return (
    <Dialog
      open={open}
      wide
      title={reviewTitle(batch.lastErrorKey, batch.seq)}
      onClose={onClose}
      footer={
        <>
          <button type="button" onClick={onClose}>
            Later
          </button>
          <button
            type="button"
            className="danger-quiet"
            onClick={() => {
              onClose();
              void skipBatch(batch.id);
            }}
          >
            Skip this batch
          </button>
          <button
            type="button"
            className="primary"
            disabled={!sale || sale.count === 0}
            data-testid="review-sell"
            onClick={() => {
              if (!sale) return;
              onClose();
              void retryBatch(batch.id, { accept: sale.accept, leaveOut: sale.leaveOut });
            }}
          >
            {!sale
              ? 'Checking…'
              : sale.count === 0
                ? 'Nothing ticked to sell'
                : `Sell ${plural(sale.count, 'item')} for ${formatUsd(sale.totalCents)}`}
          </button>
        </>
      }
    >
      <p>{words}</p>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {!review && !error && <p className="muted">Checking AssetPay’s current offers…</p>}
      {review && (
        <>
          {review.items.length === 0 ? (
            <p>AssetPay’s offers match the planned prices now; the batch can go as it is.</p>
          ) : (
            <ul className="review-list" aria-label="Items to review">
              {review.items.map((item) => (
                <ReviewRow
                  key={item.itemId}
                  item={item}
                  stackable={review.game === GAMES.rust}
                  ticked={ticked.has(item.itemId)}
                  onToggle={() => toggle(item.itemId)}
                />
              ))}
            </ul>
          )}
          <p className="muted small">
            {review.unchanged.count > 0 &&
              `${plural(review.unchanged.count, 'other item')} (${formatUsd(review.unchanged.totalCents)}) ${review.unchanged.count === 1 ? 'goes' : 'go'} as planned. `}
            Unticked items are left out of this batch; they can go into a new plan. The batch is
            sent again under a new externalId.
          </p>
        </>
      )}
    </Dialog>
  );
}

function ReviewRow({
  item,
  stackable,
  ticked,
  onToggle,
}: {
  item: ReviewItem;
  stackable: boolean;
  ticked: boolean;
  onToggle: () => void;
}) {
  const why = reviewItemWords(item);
  const change = item.changeCents ?? 0;
  const label =
    change !== 0 && item.currentCents !== null
      ? `Sell ${item.name} at ${formatUsd(item.currentCents)}${perUnit(stackable)}`
      : `Sell the ${plural(item.units, 'unit')} AssetPay takes of ${item.name}`;
  return (
    <li className="review-row" data-testid="review-item" data-item-id={item.itemId}>
      <span>
        {decidable(item) ? (
          <input type="checkbox" checked={ticked} onChange={onToggle} aria-label={label} />
        ) : (
          <span className="chip chip-err small">left out</span>
        )}
      </span>
      <span className="review-name">
        <strong>{item.name}</strong>
        <span className="muted small">
          {[item.exterior, item.wear !== null ? `float ${item.wear}` : null]
            .filter(Boolean)
            .join(' · ')}
          {stackable && (
            <StackUnits units={item.units} stack={item.stack} maxAmount={item.maxAmount} />
          )}
        </span>
        {why && <span className="review-why small">{why}</span>}
      </span>
      <span className="num money">
        <span className="muted">{formatUsd(item.plannedCents)}</span>
        {item.currentCents !== null && item.changeCents !== 0 && (
          <> → {formatUsd(item.currentCents)}</>
        )}
        {perUnit(stackable)}
      </span>
      <span className={`num money change ${change > 0 ? 'up' : change < 0 ? 'down' : ''}`}>
        {change !== 0 && (
          <>
            {change > 0 ? '+' : '−'}
            {formatUsd(Math.abs(change))}{' '}
            {item.changeBp !== null && <small>({percentFromBp(item.changeBp)})</small>}
          </>
        )}
      </span>
    </li>
  );
}
