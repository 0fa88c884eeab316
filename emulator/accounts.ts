import type { GameId } from './api/games';

/*
 * Simulated Steam account conditions, chosen by how the trade URL's
 * `partner` ends (as written without leading zeros; so only partners of five
 * digits or more, e.g. 10004), so tests can reach every check-tradeurl state
 * (api §4.7) without configuration. Any other partner is a normal account.
 *
 *   …0002  state 2 CS2Banned        CS2 sells → USER_NOT_TRADEABLE, Rust fine
 *   …0003  state 3 RustBanned       Rust sells → USER_NOT_TRADEABLE, CS2 fine
 *   …0004  state 4 Banned           inventory and sells → USER_NOT_TRADEABLE
 *   …0005  state 5 InventoryPrivate inventory and sells → USER_NOT_TRADEABLE
 *   …0006  state 1, canTrade false, reason.escrowDays 15 (no mobile authenticator); sells still allowed
 *   …0007  state 7 UserNotFound     inventory and sells → INVALID_TRADEURL
 *   …0009  state 9 UserNotTradeable inventory and sells → USER_NOT_TRADEABLE
 */

export interface AccountCheck {
  state: number;
  message: string;
  canTrade?: boolean;
  reason?: { escrowDays: number; probation: boolean };
  bans?: { vacBanned: boolean; gameBans: number; economyBan: 'none' | 'probation' | 'banned' };
}

const CLEAN = { vacBanned: false, gameBans: 0, economyBan: 'none' as const };

export function accountCheck(partner: string): AccountCheck {
  const suffix = /0{3}(\d)$/.exec(String(Number(partner)))?.[1];
  switch (suffix === undefined ? 0 : Number(suffix)) {
    case 2:
      return {
        state: 2,
        message: 'CS2 trading is banned (VAC)',
        canTrade: true,
        bans: { ...CLEAN, vacBanned: true },
      };
    case 3:
      return {
        state: 3,
        message: 'Rust trading is banned',
        canTrade: true,
        bans: { ...CLEAN, gameBans: 1 },
      };
    case 4:
      return {
        state: 4,
        message: 'The account is trade banned',
        canTrade: false,
        reason: { escrowDays: 0, probation: false },
        bans: { ...CLEAN, economyBan: 'banned' },
      };
    case 5:
      return { state: 5, message: 'The inventory is private' };
    case 6:
      return {
        state: 1,
        message: 'Trade URL is valid, but trades are held in escrow',
        canTrade: false,
        reason: { escrowDays: 15, probation: false },
        bans: CLEAN,
      };
    case 7:
      return { state: 7, message: 'No Steam user with this trade URL' };
    case 9:
      return { state: 9, message: 'The user cannot trade' };
    default:
      return { state: 1, message: 'Trade URL is valid', canTrade: true, bans: CLEAN };
  }
}

/** What the inventory and sell endpoints answer for this account, if not "go ahead". */
export function accountRefusal(
  partner: string,
  game: GameId,
  forSell: boolean,
): 'USER_NOT_TRADEABLE' | 'INVALID_TRADEURL' | undefined {
  const { state } = accountCheck(partner);
  if (state === 7) return 'INVALID_TRADEURL';
  if (state === 4 || state === 5 || state === 9) return 'USER_NOT_TRADEABLE';
  if (forSell && state === 2 && game === '730') return 'USER_NOT_TRADEABLE';
  if (forSell && state === 3 && game === '252490') return 'USER_NOT_TRADEABLE';
  return undefined;
}
