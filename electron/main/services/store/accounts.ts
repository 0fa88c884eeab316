import { z } from 'zod';
import { parseTradeUrl } from '../../../../shared/api/trade-url';
import type { Environment } from '../../../../shared/domain';
import type { Account } from '../../../../shared/model';
import { conflict, invalid, notFound, type StoreContext } from './context';
import { parseJsonColumn, toJson } from './json';
import { LIVE_BATCH_STATES_SQL } from './sql';
import { plural } from '../../../../shared/words';

const checkSchema = z.strictObject({
  at: z.string(),
  state: z.number().int(),
  canTrade: z.boolean().nullable(),
  message: z.string(),
});
export type AccountCheck = z.infer<typeof checkSchema>;

interface AccountRow {
  id: string;
  label: string;
  trade_url: string;
  steam_id64: string;
  created_at: string;
  removed_at: string | null;
  /** account_checks.result of the selected environment. */
  check_result: string | null;
}

/** An account with its last check in `environment` (each environment keeps its own). */
function toAccount(row: AccountRow, environment: Environment): Account {
  const check =
    row.check_result === null
      ? null
      : parseJsonColumn(checkSchema, row.check_result, 'account_checks.result');
  return {
    id: row.id,
    label: row.label,
    tradeUrl: row.trade_url,
    steamId64: row.steam_id64,
    createdAt: row.created_at,
    lastCheck: check === null ? null : { environment, ...check },
  };
}

const SELECT_ACCOUNT = `SELECT a.id, a.label, a.trade_url, a.steam_id64, a.created_at, a.removed_at, c.result AS check_result
  FROM accounts a LEFT JOIN account_checks c ON c.account_id = a.id AND c.environment = @environment`;

/** Selling Steam accounts, identified by their trade URL (api §7). */
export class AccountsRepo {
  constructor(
    private readonly ctx: StoreContext,
    private readonly environment: () => Environment,
  ) {}

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
          'INSERT INTO accounts (id, label, trade_url, steam_id64, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(id, label, url.url, url.steamId64, at, at);
    })();
    return this.require(id);
  }

  /** Active accounts, oldest first. */
  list(): Account[] {
    const environment = this.environment();
    const rows = this.ctx
      .stmt(`${SELECT_ACCOUNT} WHERE a.removed_at IS NULL ORDER BY a.created_at, a.id`)
      .all({ environment }) as AccountRow[];
    return rows.map((row) => toAccount(row, environment));
  }

  /** An account, removed ones included (history still points at them). */
  get(id: string): Account | null {
    const environment = this.environment();
    const row = this.ctx.stmt(`${SELECT_ACCOUNT} WHERE a.id = @id`).get({ environment, id }) as
      AccountRow | undefined;
    return row ? toAccount(row, environment) : null;
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

  /** Changing the trade URL clears the last checks (they were about the old URL). */
  update(id: string, patch: { label?: string; tradeUrl?: string }): Account {
    this.ctx.db.transaction(() => {
      const current = this.ctx
        .stmt(
          'SELECT label, trade_url, steam_id64 FROM accounts WHERE id = ? AND removed_at IS NULL',
        )
        .get(id) as Pick<AccountRow, 'label' | 'trade_url' | 'steam_id64'> | undefined;
      if (!current) throw notFound('Account', id);
      let label = current.label;
      if (patch.label !== undefined) {
        label = patch.label.trim();
        if (label.length === 0 || label.length > 100)
          throw invalid('invalid-label', 'Account label must be 1–100 characters.');
      }
      let tradeUrl = current.trade_url;
      let steamId64 = current.steam_id64;
      if (patch.tradeUrl !== undefined) {
        const url = parseTradeUrl(patch.tradeUrl);
        if (!url.ok) throw invalid('invalid-trade-url', url.reason);
        if (url.url !== current.trade_url) {
          this.assertUrlFree(url.url, id);
          tradeUrl = url.url;
          steamId64 = url.steamId64;
          this.ctx.stmt('DELETE FROM account_checks WHERE account_id = ?').run(id);
        }
      }
      this.ctx
        .stmt(
          'UPDATE accounts SET label = ?, trade_url = ?, steam_id64 = ?, updated_at = ? WHERE id = ?',
        )
        .run(label, tradeUrl, steamId64, this.ctx.iso(), id);
    })();
    return this.require(id);
  }

  /** Keeps a check as the last one of the selected environment. */
  setLastCheck(id: string, check: AccountCheck): Account {
    const parsed = checkSchema.parse(check);
    this.ctx.db.transaction(() => {
      if (!this.isActive(id)) throw notFound('Account', id);
      this.ctx
        .stmt(
          `INSERT INTO account_checks (account_id, environment, result) VALUES (?, ?, ?)
           ON CONFLICT(account_id, environment) DO UPDATE SET result = excluded.result`,
        )
        .run(id, this.environment(), toJson(parsed));
      this.ctx.stmt('UPDATE accounts SET updated_at = ? WHERE id = ?').run(this.ctx.iso(), id);
    })();
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
