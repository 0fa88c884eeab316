import { ACTIVE_RUN_STATES, type BatchState } from '../../../../shared/domain';

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
export const LIVE_BATCH_STATES_SQL = sqlList(LIVE_BATCH_STATES);
/** Runs that may still send (shared/domain.ts). */
export const ACTIVE_RUN_STATES_SQL = sqlList(ACTIVE_RUN_STATES);

/**
 * The environment a run sells in (its plan's), for the run id in `runIdColumn`.
 * The engine only works on the selected environment's batches and trades: another
 * environment's AssetPay has never heard of them, and its "not found" proves nothing.
 */
export function environmentOfRun(runIdColumn: string): string {
  return `(SELECT p.environment FROM runs r JOIN plans p ON p.id = r.plan_id WHERE r.id = ${runIdColumn})`;
}

/** A constant list of names as an SQL `IN` list: `('a','b')`. */
export function sqlList(values: readonly string[]): string {
  return `(${values.map((v) => `'${v}'`).join(',')})`;
}

export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(',');
}
