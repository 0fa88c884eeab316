import { GAMES, type GameId } from '../../../../shared/api/games';
import { TRADE_STATUSES, type TradeStatus } from '../../../../shared/api/schemas';
import {
  BATCH_STATES,
  ENVIRONMENTS,
  RUN_STATES,
  type BatchState,
  type Environment,
  type RunState,
} from '../../../../shared/domain';

/*
 * Enum columns are checked on read with a set lookup (the row mappers run in
 * the engine's hot path; a zod parse per row costs ~20× more). A value outside
 * the union is a bug or a foreign database: said loudly.
 */
function checker<T extends string>(values: readonly T[], what: string): (value: string) => T {
  const set = new Set<string>(values);
  return (value) => {
    if (!set.has(value))
      throw new Error(`Unknown ${what} in the database: ${JSON.stringify(value)}`);
    return value as T;
  };
}

export const asGame: (v: string) => GameId = checker(Object.values(GAMES), 'game');
export const asBatchState: (v: string) => BatchState = checker(BATCH_STATES, 'batch state');
export const asRunState: (v: string) => RunState = checker(RUN_STATES, 'run state');
export const asTradeStatus: (v: string) => TradeStatus = checker(TRADE_STATUSES, 'trade status');
export const asEnvironment: (v: string) => Environment = checker(ENVIRONMENTS, 'environment');
