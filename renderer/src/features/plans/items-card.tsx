import { useMemo, useState } from 'react';
import type { PlanItem } from '../../../../shared/contract';
import { GAMES } from '../../../../shared/api/games';
import { formatShare, marketShareBp } from '../../../../shared/market-share';
import { formatUsd } from '../../../../shared/money';
import { useAccounts, accountLabel } from '../accounts/accounts-store';
import { useNav } from '../../app/nav-store';
import { itemKey } from '../inventory/inventory-view';
import { count, gameName } from '../../ui/format';
import { VirtualList } from '../../ui/virtual-list';
import { NumberField } from '../../ui/number-field';
import { ItemDetails } from './item-details';
import { perUnit, StackUnits } from '../../ui/stack-units';
import { MAX_UNITS, usePlan } from './plan-store';

const ITEM_ROW = 40;

export function ItemsCard({ items, editable }: { items: readonly PlanItem[]; editable: boolean }) {
  const accounts = useAccounts((s) => s.accounts);
  const maxUnits = usePlan((s) => s.maxUnits);
  const stacks = usePlan((s) => s.stacks);
  const { setAmount, removeItems, setFieldProblem } = usePlan.getState();
  const [query, setQuery] = useState('');
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (!q) return items;
    return items.filter(
      (i) => i.name.toLowerCase().includes(q) || i.itemId.toLowerCase().includes(q),
    );
  }, [items, query]);
  const go = useNav((s) => s.go);

  return (
    <div className="card items-card">
      <div className="card-head">
        <h2>
          Items <span className="muted">{count(items.length)}</span>
        </h2>
        <input
          type="search"
          className="search small"
          placeholder="Find in plan"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          aria-label="Find in plan"
        />
        {editable && query && shown.length > 0 && (
          <button
            type="button"
            className="danger-quiet"
            onClick={() => removeItems(new Set(shown.map(itemKey)))}
          >
            Remove {count(shown.length)} shown
          </button>
        )}
        {editable && (
          <button type="button" onClick={() => go('inventory')}>
            Add from inventory
          </button>
        )}
      </div>
      {items.length === 0 ? (
        <p className="muted pad">
          No items yet. Add them from the inventory or import a CSV/JSON list.
        </p>
      ) : (
        <>
          <div className="plan-cols plan-head-row" role="row">
            <span>Item</span>
            <span title="Account · game">Account · game</span>
            <span className="num">Price</span>
            <span className="num" title="The offer as a share of the market price">
              % mkt
            </span>
            <span className="num">Units</span>
            <span className="num">Total</span>
            <span />
          </div>
          <VirtualList
            items={shown}
            rowHeight={ITEM_ROW}
            label="Plan items"
            className="plan-items"
            testId="plan-items"
            getKey={(i) => itemKey(i)}
            renderRow={(i) => {
              const key = itemKey(i);
              const max = maxUnits[key] ?? (i.game === GAMES.rust ? MAX_UNITS : 1);
              return (
                <div className="plan-cols plan-row" data-item-id={i.itemId}>
                  <span className="name" title={i.itemId}>
                    {i.name}
                    <ItemDetails exterior={i.exterior ?? null} wear={i.wear ?? null} />
                    {i.game === GAMES.rust && stacks[key] && (
                      <StackUnits
                        units={null}
                        stack={stacks[key].amount}
                        maxAmount={stacks[key].maxAmount}
                      />
                    )}
                  </span>
                  <span className="muted">
                    {accountLabel(accounts, i.accountId)} · {gameName(i.game)}
                  </span>
                  <span className="num money">
                    {formatUsd(i.priceCents)}
                    {perUnit(i.game === GAMES.rust)}
                  </span>
                  <span className="num share">
                    {formatShare(marketShareBp(i.priceCents, i.marketPriceCents ?? null))}
                  </span>
                  <span className="num">
                    {i.game === GAMES.rust && editable && max > 1 ? (
                      <NumberField
                        className="units"
                        min={1}
                        max={max}
                        value={i.amount}
                        label={`Units of ${i.name} (1 – ${max})`}
                        boundHint="the units this stack can sell"
                        onCommit={(n) => setAmount(key, n)}
                        onProblem={(p) => setFieldProblem(`units of ${i.name}`, p)}
                      />
                    ) : (
                      i.amount
                    )}
                  </span>
                  <span className="num money">{formatUsd(i.priceCents * i.amount)}</span>
                  <span>
                    {editable && (
                      <button
                        type="button"
                        className="icon-button"
                        aria-label={`Remove ${i.name}`}
                        onClick={() => removeItems(new Set([key]))}
                      >
                        ×
                      </button>
                    )}
                  </span>
                </div>
              );
            }}
          />
        </>
      )}
    </div>
  );
}
