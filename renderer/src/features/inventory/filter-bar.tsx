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
        <TypedNumber
          className="price-input"
          placeholder="Min $"
          label="Minimum offer price in USD"
          value={filter.minCents}
          show={formatCentsPlain}
          read={parseUsdToCents}
          onValue={(minCents) => setFilter({ minCents })}
        />
        <span aria-hidden="true">–</span>
        <TypedNumber
          className="price-input"
          placeholder="Max $"
          label="Maximum offer price in USD"
          value={filter.maxCents}
          show={formatCentsPlain}
          read={parseUsdToCents}
          onValue={(maxCents) => setFilter({ maxCents })}
        />
      </span>
      <TypedNumber
        className="share-input"
        placeholder="≥ % mkt"
        title="Only items whose offer is at least this share of the market price"
        label="At least this % of market"
        testId="min-share"
        value={filter.minShareBp}
        show={(bp) => String(bp / 100)}
        read={parsePercentToBp}
        onValue={(minShareBp) => setFilter({ minShareBp })}
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

/**
 * A filter number the trader types: the text is theirs while they type, and
 * only a value that reads (or an empty box = no filter) reaches the filter.
 */
function TypedNumber({
  value,
  show,
  read,
  onValue,
  label,
  placeholder,
  className,
  title,
  testId,
}: {
  value: number | null;
  show: (value: number) => string;
  read: (text: string) => number | null;
  onValue: (value: number | null) => void;
  label: string;
  placeholder: string;
  className: string;
  title?: string;
  testId?: string;
}) {
  const [text, setText] = useState(value === null ? '' : show(value));
  const empty = text.trim() === '';
  return (
    <input
      className={className}
      inputMode="decimal"
      placeholder={placeholder}
      title={title}
      value={text}
      aria-label={label}
      aria-invalid={!empty && read(text) === null}
      data-testid={testId}
      onChange={(e) => {
        setText(e.target.value);
        const typed = e.target.value.trim();
        const next = typed === '' ? null : read(typed);
        if (typed === '' || next !== null) onValue(next);
      }}
    />
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
