import { useRef, useState } from 'react';
import type { ImportPriceDiff } from '../../../../shared/contract';
import { formatUsd } from '../../../../shared/money';
import { GAMES, type GameId } from '../../../../shared/api/games';
import { useAccounts } from '../accounts/accounts-store';
import { useSettings } from '../settings/settings-store';
import { count, gameName, plural } from '../../ui/format';
import { detectFormat } from './import-format';
import { usePlan } from './plan-store';

/** 20 MiB: the contract's ceiling on an import text. */
const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

/**
 * Import of an itemId,price[,amount] list, checked by main against the cached
 * inventory. Every refused row is listed with its row number and reason — a
 * bad row is never dropped silently.
 */
export function ImportPanel() {
  const accounts = useAccounts((s) => s.accounts);
  const defaultGame = useSettings((s) => s.settings?.defaultGame) ?? GAMES.cs2;
  const report = usePlan((s) => s.importReport);
  const { importText, dismissImportReport } = usePlan.getState();
  const [accountId, setAccountId] = useState('');
  const [game, setGame] = useState<GameId>(defaultGame);
  const [pasted, setPasted] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const target = accountId || accounts[0]?.id || '';

  const run = async (source: string, text: string, format: 'csv' | 'json') => {
    if (!target) return setProblem('Add a Steam account first: imported items are sold from one.');
    if (!text.trim()) return setProblem('The list is empty.');
    if (text.length > MAX_IMPORT_BYTES)
      return setProblem('The list is larger than 20 MB; split it.');
    setProblem(null);
    setBusy(true);
    const result = await importText({ source, format, text, accountId: target, game });
    setBusy(false);
    if (result && source === 'pasted text') setPasted('');
  };

  return (
    <div className="card import-card">
      <h2>Import a list</h2>
      <p className="muted small">
        CSV with a header <code>itemId,price,amount</code> (amount optional, for Rust stacks) or a
        JSON array of <code>{'{ itemId, price, amount? }'}</code>. Items are matched against the
        cached inventory. Rows that name their account and game (as the plan export writes them)
        keep them; the pickers below are for rows that do not.
      </p>
      <div className="form-grid two">
        <label className="field">
          <span>Sell from (rows without an account)</span>
          <select
            value={target}
            onChange={(e) => setAccountId(e.target.value)}
            aria-label="Import account"
          >
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Game (rows without a game)</span>
          <select
            value={game}
            onChange={(e) => setGame(e.target.value as GameId)}
            aria-label="Import game"
          >
            <option value={GAMES.cs2}>{gameName(GAMES.cs2)}</option>
            <option value={GAMES.rust}>{gameName(GAMES.rust)}</option>
          </select>
        </label>
      </div>
      <div className="row-actions">
        <input
          ref={fileRef}
          type="file"
          accept=".csv,.json,text/csv,application/json,text/plain"
          className="sr-only"
          data-testid="import-file"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (!file) return;
            if (file.size > MAX_IMPORT_BYTES)
              return setProblem('The file is larger than 20 MB; split it.');
            const text = await file.text();
            await run(file.name, text, detectFormat(file.name, text));
          }}
        />
        <button type="button" disabled={busy} onClick={() => fileRef.current?.click()}>
          Choose file…
        </button>
      </div>
      <label className="field">
        <span>…or paste it</span>
        <textarea
          rows={4}
          spellCheck={false}
          value={pasted}
          placeholder={'itemId,price,amount\n0f1e2d3c…,12.50,1'}
          onChange={(e) => setPasted(e.target.value)}
          data-testid="import-paste"
        />
      </label>
      <div className="row-actions">
        <button
          type="button"
          className="primary"
          disabled={busy || !pasted.trim()}
          onClick={() => void run('pasted text', pasted, detectFormat('', pasted))}
          data-testid="import-paste-button"
        >
          {busy ? 'Importing…' : 'Import pasted list'}
        </button>
      </div>
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
      {report && (
        <div
          className={`import-report${report.errors.length ? ' has-errors' : ''}${report.priceDiffers.length ? ' has-price-differs' : ''}`}
          role="status"
          data-testid="import-report"
        >
          <p>
            <strong>
              {report.source}: imported {plural(report.imported, 'item')}
            </strong>
            {report.imported > 0 && (
              <>
                : {count(report.added)} new
                {report.updated > 0 && `, ${count(report.updated)} already in the plan (updated)`}
              </>
            )}
            {report.errors.length > 0 && <>, {plural(report.errors.length, 'row')} not imported:</>}
          </p>
          {report.priceDiffers.length > 0 && <PriceDiffers diffs={report.priceDiffers} />}
          {report.errors.length > 0 && (
            <table className="import-errors">
              <thead>
                <tr>
                  <th className="num">Row</th>
                  <th>Reason</th>
                </tr>
              </thead>
              <tbody>
                {report.errors.slice(0, 500).map((e) => (
                  <tr key={`${e.row}-${e.reason}`} data-testid="import-error-row">
                    <td className="num">{e.row}</td>
                    <td>{e.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {report.errors.length > 500 && (
            <p className="muted small">
              …and {count(report.errors.length - 500)} more rows. Fix the file and import again.
            </p>
          )}
          <button type="button" className="link" onClick={dismissImportReport}>
            Dismiss
          </button>
        </div>
      )}
    </div>
  );
}

/**
 * Rows kept at the file's price although AssetPay offers another: the plan's
 * total counts the file's prices, and the pre-flight asks about each one.
 */
function PriceDiffers({ diffs }: { diffs: ImportPriceDiff[] }) {
  return (
    <div className="import-price-differs" data-testid="import-price-differs">
      <p>
        {plural(diffs.length, 'item')} {diffs.length === 1 ? 'keeps' : 'keep'} the file’s price, not
        AssetPay’s offer. The plan’s total counts the file’s prices; the price check asks about each
        before anything is sold.
      </p>
      <ul>
        {diffs.slice(0, 5).map((d) => (
          <li key={d.itemId}>
            Row {d.row}, {d.name}: {formatUsd(d.fileCents)} in the file, AssetPay offers{' '}
            {formatUsd(d.offerCents)}
          </li>
        ))}
      </ul>
      {diffs.length > 5 && <p className="muted small">…and {count(diffs.length - 5)} more.</p>}
    </div>
  );
}
