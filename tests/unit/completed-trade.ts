import type { Trade } from '../../shared/api/schemas';

const TRADE_URL = 'https://steamcommunity.com/tradeoffer/new/?partner=12345&token=ABCDEFGH';

/** A completed AssetPay trade of no items worth `usd`, created and updated at `at` (store tests). */
export function completedTrade(id: string, at: string, usd: number): Trade {
  return {
    id,
    type: 'deposit',
    source: 'client',
    status: 'completed',
    game: 'csgo',
    merchantId: 'm',
    clientSteamID: '76561198000000000',
    clientTradeUrl: TRADE_URL,
    items: [],
    totalPrice: usd,
    createdAt: at,
    updatedAt: at,
  };
}
