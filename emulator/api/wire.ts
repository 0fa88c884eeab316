import type { GameId } from './games';
import type { TradeStatus } from './trade-statuses';

/*
 * The shapes the emulator puts on the wire, written from api §4.1 (inventory
 * rows) and §5 (trades). Type aliases, not interfaces, so a value of these
 * types also fits a client's loose "unknown fields allowed" schema types.
 */

/** An inventory row exactly as GET /secure/inventory sends it (api §4.1). */
export type WireInventoryItem = {
  id: string;
  assetId: string;
  name: string;
  marketHashName: string;
  type: string;
  iconUrl: string;
  appid: number;
  tradable: boolean;
  amount: number;
  marketPrice: number;
  offer: { price: number; reference: string; accepted: boolean; maxAmount: number };
  exterior?: string;
  wear?: string;
  rarity?: string;
  color: string;
  paintSeed?: number;
};

/** A sell (deposit) trade exactly as the API sends it (api §5 "Fields"). */
export type WireTrade = {
  id: string;
  type: 'deposit';
  source: 'self';
  status: TradeStatus;
  game: GameId;
  externalId?: string;
  merchantId: string;
  clientUserId: string;
  clientSteamID: string;
  clientTradeUrl: string;
  items: WireInventoryItem[];
  totalPrice: number;
  preCredit: number;
  pendingCredit: number;
  isInstant: boolean;
  collateral: { merchant: number; provider: number };
  offerID?: string;
  botInfo?: { name: string; steamId: string };
  activeAt?: string;
  holdEndDate?: string;
  revertedBy?: 'supplier' | 'user';
  error?: string;
  createdAt: string;
  updatedAt: string;
};

/** The create answer of POST /secure/sell: the primary trade plus a split basket's other trades (api §4.2). */
export type WireCreatedTrade = WireTrade & { relatedTrades: WireTrade[] };
