import { z } from 'zod';

/** AssetPay game ids: strings in request bodies and trades (api §1 "Units"). */
export const GAMES = { cs2: '730', rust: '252490' } as const;
export const gameIdSchema = z.enum([GAMES.cs2, GAMES.rust]);
export type GameId = z.infer<typeof gameIdSchema>;

export const GAME_NAMES: Record<GameId, string> = { '730': 'CS2', '252490': 'Rust' };
