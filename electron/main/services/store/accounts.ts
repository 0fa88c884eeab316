import { z } from 'zod';
import { parseTradeUrl } from '../../../../shared/api/trade-url';
import type { Account } from '../../../../shared/model';
import { conflict, invalid, notFound, type StoreContext } from './context';
import { parseJsonColumn, toJson } from './json';
import { LIVE_BATCH_STATES_SQL } from './sql';
import { plural } from '../../../../shared/words';

const lastCheckSchema = z
  .strictObject({
    at: z.string(),
    state: z.number().int(),
    canTrade: z.boolean().nullable(),
    message: z.string(),
  })
  .nullable();
export type AccountCheck = NonNullable<z.infer<typeof lastCheckSchema>>;

interface AccountRow {
  id: string;
  label: string;
  trade_url: string;
  steam_id64: string;
  created_at: string;
  last_check: string | null;
  removed_at: string | null;
}

function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    label: row.label,
    tradeUrl: row.trade_url,
    steamId64: row.steam_id64,
    createdAt: row.created_at,
    lastCheck: parseJsonColumn(lastCheckSchema, row.last_check, 'accounts.last_check'),
  };
}

/** Selling Steam accounts, identified by their trade URL (api §7). */
export class AccountsRepo {
  constructor(private readonly ctx: StoreContext) {}

  /** Adds an account; the trade URL is validated exactly as the server does (api §7). */
  add(input: { label: string; tradeUrl: string }): Account {
    const label = input.label.trim();
    if (label.length === 0 || label.length > 100)
      throw invalid('invalid-label', 'Account label must be 1–100 characters.');
    const url = parseTradeUrl(input.tradeUrl);
    if (!url.ok)
      throw invalid('invalid-trade-url', url.reason, {
        tradeUrl: input.tradeUrl.split('&token=')[0],
      });
    const id = this.ctx.newId();
    const at = this.ctx.iso();
    this.ctx.db.transaction(() => {
      this.assertUrlFree(url.url, null);
      this.ctx
        .stmt(
          'INSERT INTO accounts (id, label, trade_url, steam_id64, created_at, updated_at, last_check) VALUES (?, ?, ?, ?, ?, ?, NULL)',
        )
        .run(id, label, url.url, url.steamId64, at, at);
    })();
    return this.require(id);
  }

  /** Active accounts, oldest first. */
  list(): Account[] {
    const rows = this.ctx
      .stmt('SELECT * FROM accounts WHERE removed_at IS NULL ORDER BY created_at, id')
      .all() as AccountRow[];
    return rows.map(toAccount);
  }

  /** An account, removed ones included (history still points at them). */
  get(id: string): Account | null {
    const row = this.ctx.stmt('SELECT * FROM accounts WHERE id = ?').get(id) as
      AccountRow | undefined;
    return row ? toAccount(row) : null;
  }

  require(id: string): Account {
    const account = this.get(id);
    if (!account) throw notFound('Account', id);
    return account;
  }

  isActive(id: string): boolean {
    return (
      this.ctx.stmt('SELECT 1 FROM accounts WHERE id = ? AND removed_at IS NULL').get(id) !==
      undefined
    );
  }

  /** Changing the trade URL clears the last check (it was about the old URL). */
  update(id: string, patch: { label?: string; tradeUrl?: string }): Account {
    this.ctx.db.transaction(() => {
      const current = this.ctx
        .stmt('SELECT * FROM accounts WHERE id = ? AND removed_at IS NULL')
        .get(id) as AccountRow | undefined;
      if (!current) throw notFound('Account', id);
      let label = current.label;
      if (patch.label !== undefined) {
        label = patch.label.trim();
        if (label.length === 0 || label.length > 100)
          throw invalid('invalid-label', 'Account label must be 1–100 characters.');
      }
      let tradeUrl = current.trade_url;
      let steamId64 = current.steam_id64;
      let lastCheck = current.last_check;
      if (patch.tradeUrl !== undefined) {
        const url = parseTradeUrl(patch.tradeUrl);
        if (!url.ok) throw invalid('invalid-trade-url', url.reason);
        if (url.url !== current.trade_url) {
          this.assertUrlFree(url.url, id);
          tradeUrl = url.url;
          steamId64 = url.steamId64;
          lastCheck = null;
        }
      }
      this.ctx
        .stmt(
          'UPDATE accounts SET label = ?, trade_url = ?, steam_id64 = ?, last_check = ?, updated_at = ? WHERE id = ?',
        )
        .run(label, tradeUrl, steamId64, lastCheck, this.ctx.iso(), id);
    })();
    return this.require(id);
  }

  setLastCheck(id: string, check: AccountCheck): Account {
    const parsed = lastCheckSchema.parse(check);
    const res = this.ctx
      .stmt(
        'UPDATE accounts SET last_check = ?, updated_at = ? WHERE id = ? AND removed_at IS NULL',
      )
      .run(toJson(parsed), this.ctx.iso(), id);
    if (res.changes === 0) throw notFound('Account', id);
    return this.require(id);
  }

  /**
   * Removes an account from the app: refused while one of its batches is live;
   * otherwise its cached inventory and its items in draft plans go, and the row
   * stays (soft delete) so past batches and trades keep their account.
   */
  remove(id: string): void {
    this.ctx.db.transaction(() => {
      if (!this.isActive(id)) throw notFound('Account', id);
      const live = this.ctx
        .stmt(
          `SELECT COUNT(*) AS n FROM batches WHERE account_id = ? AND state IN ${LIVE_BATCH_STATES_SQL}`,
        )
        .get(id) as { n: number };
      if (live.n > 0) {
        throw conflict(
          'account-has-live-batches',
          `This account has ${plural(live.n, 'batch', 'batches')} still being sold or tracked; remove it once ${live.n === 1 ? 'it is' : 'they are'} settled.`,
        );
      }
      this.ctx
        .stmt(
          `DELETE FROM plan_items WHERE account_id = ? AND plan_id IN (SELECT id FROM plans WHERE status IN ('draft','armed'))`,
        )
        .run(id);
      this.ctx.stmt('DELETE FROM inventory_snapshots WHERE account_id = ?').run(id);
      this.ctx
        .stmt('UPDATE accounts SET removed_at = ?, updated_at = ? WHERE id = ?')
        .run(this.ctx.iso(), this.ctx.iso(), id);
    })();
  }

  private assertUrlFree(url: string, exceptId: string | null): void {
    const other = this.ctx
      .stmt(
        'SELECT id, label FROM accounts WHERE trade_url = ? AND removed_at IS NULL AND id IS NOT ?',
      )
      .get(url, exceptId) as { id: string; label: string } | undefined;
    if (other)
      throw conflict(
        'duplicate-account',
        `This trade URL is already used by the account "${other.label}".`,
        { accountId: other.id },
      );
  }
}
