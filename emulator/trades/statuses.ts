import type { TradeStatus } from '../api/trade-statuses';

/*
 * Deposit (sell) status machine, api §5. Every edge a trade may take, forward
 * only; the lifecycle and setTradeStatus both go through `canMove`.
 * Reversal during `hold` is not documented (api §5 [INFERRED]) but allowed for tests.
 */
export const TRANSITIONS: Readonly<Record<TradeStatus, readonly TradeStatus[]>> = {
  initiated: ['pending', 'active', 'hold', 'completed', 'failed', 'canceled', 'declined'],
  pending: ['active', 'hold', 'completed', 'failed', 'canceled', 'declined'],
  active: ['hold', 'completed', 'failed', 'canceled', 'declined'],
  hold: ['completed', 'reverted'],
  completed: ['reverted'],
  failed: [],
  canceled: [],
  declined: [],
  reverted: [],
};

export function canMove(from: TradeStatus, to: TradeStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Statuses whose items are gone from the account (live or completed); the rest give items back. */
export function holdsItems(status: TradeStatus): boolean {
  return (
    status === 'initiated' ||
    status === 'pending' ||
    status === 'active' ||
    status === 'hold' ||
    status === 'completed'
  );
}
