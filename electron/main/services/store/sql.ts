import type { BatchState } from '../../../../shared/domain';

/**
 * Batch states whose items are spoken for: a live batch's items may not go into
 * another batch (design §5; `unknown` above all: the trade may exist).
 */
export const LIVE_BATCH_STATES: readonly BatchState[] = [
  'queued',
  'sending',
  'unknown',
  'created',
  'tracking',
  'needs-review',
  'blocked',
];
export const LIVE_BATCH_STATES_SQL = `(${LIVE_BATCH_STATES.map((s) => `'${s}'`).join(',')})`;

export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(',');
}
