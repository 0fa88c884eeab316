/*
 * Games as the API writes them in bodies and answers: strings, "730" for CS2
 * and "252490" for Rust (api §1 "Units", §4.2 `game`).
 */

export const GAMES = { cs2: '730', rust: '252490' } as const;

export type GameId = (typeof GAMES)[keyof typeof GAMES];

export const GAME_IDS: readonly GameId[] = [GAMES.cs2, GAMES.rust];

export function isGameId(value: unknown): value is GameId {
  return value === GAMES.cs2 || value === GAMES.rust;
}
