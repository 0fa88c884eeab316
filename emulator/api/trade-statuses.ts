/* Trade statuses (api §5 "Status values"): lower-case, `canceled` with one "l". */

export const TRADE_STATUSES = [
  'initiated',
  'pending',
  'active',
  'hold',
  'completed',
  'failed',
  'canceled',
  'declined',
  'reverted',
] as const;

export type TradeStatus = (typeof TRADE_STATUSES)[number];

export function isTradeStatus(value: unknown): value is TradeStatus {
  return (TRADE_STATUSES as readonly unknown[]).includes(value);
}
