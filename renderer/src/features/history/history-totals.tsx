import type { HistoryTotals } from '../../../../shared/contract';
import { ENVIRONMENT_NAMES } from '../../../../shared/domain';
import { formatUsd } from '../../../../shared/money';
import { plural } from '../../ui/format';
import { useHistory } from './history-store';

/*
 * Totals of the filtered trades per run and per local day and environment
 * (sandbox money never adds up with real money): what was credited
 * (held or completed), what still waits in Steam, and what failed. A run's
 * failed first attempt and its completed second one both count, each under
 * its own status.
 */

type Row = HistoryTotals['runs'][number] | HistoryTotals['days'][number];

export function HistoryTotalsPanel() {
  const totals = useHistory((s) => s.totals);
  if (!totals || (totals.runs.length === 0 && totals.days.length === 0)) return null;
  return (
    <details className="history-totals card" data-testid="history-totals" open>
      <summary>Totals</summary>
      <div className="totals-grid">
        <TotalsTable
          caption="Per run"
          rows={totals.runs.map((r) => ({
            key: r.runId ?? 'none',
            label: withEnvironment(r.planName ?? 'No run', r),
            row: r,
            testId: 'totals-run',
          }))}
        />
        <TotalsTable
          caption="Per day"
          rows={totals.days.map((d) => ({
            key: d.day,
            label: withEnvironment(d.day, d),
            row: d,
            testId: 'totals-day',
          }))}
        />
      </div>
    </details>
  );
}

const withEnvironment = (label: string, row: Row) =>
  row.environment ? `${label} · ${ENVIRONMENT_NAMES[row.environment]}` : label;

function TotalsTable({
  caption,
  rows,
}: {
  caption: string;
  rows: { key: string; label: string; row: Row; testId: string }[];
}) {
  return (
    <table className="totals-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col" />
          <th scope="col" className="num">
            Trades
          </th>
          <th scope="col" className="num">
            Credited
          </th>
          <th scope="col" className="num">
            Pending
          </th>
          <th scope="col" className="num">
            Failed
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ key, label, row, testId }) => (
          <tr key={key} data-testid={testId}>
            <th scope="row">{label}</th>
            <td className="num" title={plural(row.items, 'item')}>
              {row.trades}
            </td>
            <td className="num money tone-ok">{formatUsd(row.creditedCents)}</td>
            <td className="num money">{formatUsd(row.pendingCents)}</td>
            <td className={`num money${row.failedCents > 0 ? ' tone-err' : ''}`}>
              {formatUsd(row.failedCents)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
