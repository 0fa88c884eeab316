import type { MarketTotals } from '../../../../shared/market-share';
import { formatShare } from '../../../../shared/market-share';
import type { PlanPreview } from '../../../../shared/planner';
import { useAccounts, accountLabel } from '../accounts/accounts-store';
import { Money } from '../../ui/money';
import { count, gameName, plural } from '../../ui/format';

/** What the plan would send (batches) and what it is worth against the market. */
export function PreviewCard({ preview, value }: { preview: PlanPreview; value: MarketTotals }) {
  const accounts = useAccounts((s) => s.accounts);
  return (
    <div className="card preview-card" data-testid="batch-preview">
      <h2>Batch preview</h2>
      <div className="preview-totals">
        <div>
          <span className="stat" data-testid="preview-items">
            {count(preview.itemCount)}
          </span>
          <small>items</small>
        </div>
        <div>
          <span className="stat" data-testid="preview-batches">
            {count(preview.batchCount)}
          </span>
          <small>{preview.batchCount === 1 ? 'batch' : 'batches'}</small>
        </div>
        <div>
          <Money cents={preview.totalCents} className="stat" />
          <small>total</small>
        </div>
      </div>
      <p className="market-value" data-testid="plan-market-value">
        {value.shareBp === null ? (
          <span className="muted">No market prices to compare with.</span>
        ) : (
          <>
            Offer <Money cents={value.comparedOfferCents} /> vs market{' '}
            <Money cents={value.marketCents} /> ·{' '}
            <strong data-testid="plan-share">{formatShare(value.shareBp)}</strong> of market
            {value.withoutMarket > 0 && (
              <span className="muted"> ({count(value.withoutMarket)} without a market price)</span>
            )}
          </>
        )}
      </p>
      {preview.groups.length > 1 && (
        <ul className="preview-groups">
          {preview.groups.map((g) => (
            <li key={`${g.accountId}|${g.game}`}>
              {accountLabel(accounts, g.accountId)} · {gameName(g.game)}:{' '}
              {plural(g.itemCount, 'item')} in {plural(g.batchCount, 'batch', 'batches')} ·{' '}
              <Money cents={g.totalCents} />
            </li>
          ))}
        </ul>
      )}
      {preview.batches.length > 0 && (
        <ol className="preview-batches" aria-label="Batches">
          {preview.batches.map((b) => (
            <li key={b.seq}>
              <span className="muted">#{b.seq}</span>
              <span>
                {accountLabel(accounts, b.accountId)} · {gameName(b.game)}
              </span>
              <span className="num">{plural(b.itemCount, 'item')}</span>
              <Money cents={b.totalCents} className="num" />
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
