import { useState } from 'react';
import { formatCentsPlain, parseUsdToCents } from '../../../../shared/money';
import { count, parsePercentToBp } from '../../ui/format';
import { useInventory, type InventoryMode } from './inventory-store';
import { NO_EXTERIOR, type InventorySort } from './inventory-view';

/** Search, filters, sort and the items/groups switch: the same for both modes. */
export function FilterBar({
  types,
  exteriors,
  shown,
  total,
}: {
  types: readonly string[];
  exteriors: readonly string[];
  /** Items that pass the filter, and how many groups they make in groups mode. */
  shown: { items: number; groups: number | null };
  total: number;
}) {
  const filter = useInventory((s) => s.filter);
  const setFilter = useInventory((s) => s.setFilter);
  const [minText, setMinText] = useState(
    filter.minCents === null ? '' : formatCentsPlain(filter.minCents),
  );
  const [maxText, setMaxText] = useState(
    filter.maxCents === null ? '' : formatCentsPlain(filter.maxCents),
  );
  const [shareText, setShareText] = useState(
    filter.minShareBp === null ? '' : String(filter.minShareBp / 100),
  );
  const minBad = minText.trim() !== '' && parseUsdToCents(minText) === null;
  const maxBad = maxText.trim() !== '' && parseUsdToCents(maxText) === null;
  const shareBad = shareText.trim() !== '' && parsePercentToBp(shareText) === null;
  const price = (set: (text: string) => void, key: 'minCents' | 'maxCents') => (text: string) => {
    set(text);
    const v = text.trim() === '' ? null : parseUsdToCents(text);
    if (text.trim() === '' || v !== null) setFilter({ [key]: v });
  };
  return (
    <div className="filter-bar" role="search">
      <ModeSwitch />
      <input
        type="search"
        className="search"
        placeholder="Search name or item id   ( / )"
        value={filter.search}
        onChange={(e) => setFilter({ search: e.target.value })}
        aria-label="Search items"
        data-search
        data-testid="inventory-search"
      />
      <select
        value={filter.type}
        onChange={(e) => setFilter({ type: e.target.value })}
        aria-label="Type"
      >
        <option value="">All types</option>
        {types.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </select>
      <select
        value={filter.exterior}
        onChange={(e) => setFilter({ exterior: e.target.value })}
        aria-label="Exterior"
      >
        <option value="">Any exterior</option>
        {exteriors.map((x) => (
          <option key={x} value={x}>
            {x === NO_EXTERIOR ? 'No exterior' : x}
          </option>
        ))}
      </select>
      <span className="price-range">
        <input
          className="price-input"
          inputMode="decimal"
          placeholder="Min $"
          value={minText}
          aria-label="Minimum offer price in USD"
          aria-invalid={minBad}
          onChange={(e) => price(setMinText, 'minCents')(e.target.value)}
        />
        <span aria-hidden="true">–</span>
        <input
          className="price-input"
          inputMode="decimal"
          placeholder="Max $"
          value={maxText}
          aria-label="Maximum offer price in USD"
          aria-invalid={maxBad}
          onChange={(e) => price(setMaxText, 'maxCents')(e.target.value)}
        />
      </span>
      <input
        className="share-input"
        inputMode="decimal"
        placeholder="≥ % mkt"
        title="Only items whose offer is at least this share of the market price"
        value={shareText}
        aria-label="At least this % of market"
        aria-invalid={shareBad}
        data-testid="min-share"
        onChange={(e) => {
          setShareText(e.target.value);
          const text = e.target.value.trim();
          const bp = text === '' ? null : parsePercentToBp(text);
          if (text === '' || bp !== null) setFilter({ minShareBp: bp });
        }}
      />
      <label className="check-inline">
        <input
          type="checkbox"
          checked={filter.sellableOnly}
          onChange={(e) => setFilter({ sellableOnly: e.target.checked })}
        />
        Sellable only
      </label>
      <select
        value={filter.sort}
        onChange={(e) => setFilter({ sort: e.target.value as InventorySort })}
        aria-label="Sort"
      >
        <option value="name">Name A–Z</option>
        <option value="priceDesc">Price high–low</option>
        <option value="priceAsc">Price low–high</option>
        <option value="shareDesc">% of market high–low</option>
        <option value="shareAsc">% of market low–high</option>
        <option value="type">Type</option>
      </select>
      <span className="muted shown-count" data-testid="shown-count" data-search={filter.search}>
        {shown.items === total
          ? `${count(total)} items`
          : `${count(shown.items)} of ${count(total)}`}
        {shown.groups !== null && ` · ${count(shown.groups)} groups`}
      </span>
    </div>
  );
}

function ModeSwitch() {
  const mode = useInventory((s) => s.mode);
  const setMode = useInventory((s) => s.setMode);
  const modes: { id: InventoryMode; label: string }[] = [
    { id: 'items', label: 'Items' },
    { id: 'groups', label: 'Groups' },
  ];
  return (
    <div className="segmented" role="radiogroup" aria-label="Show">
      {modes.map((m) => (
        <button
          key={m.id}
          type="button"
          role="radio"
          aria-checked={mode === m.id}
          className={mode === m.id ? 'on' : ''}
          onClick={() => setMode(m.id)}
          data-testid={`mode-${m.id}`}
        >
          {m.label}
        </button>
      ))}
    </div>
  );
}
