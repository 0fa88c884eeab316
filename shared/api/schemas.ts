import { z } from 'zod';
import { gameIdSchema } from './games';
import { TRADE_URL_PATTERN } from './trade-url';

/*
 * AssetPay wire schemas (api §2, §4, §5). Responses are parsed leniently
 * (unknown fields pass through, optional fields may be absent) because the
 * vendor adds fields; the sell request is strict because the server rejects
 * unknown fields (`additionalProperties: false`, api §4.2).
 */

// ── Envelope and error (api §2) ────────────────────────────────────────────
export const apiErrorSchema = z.looseObject({
  code: z.number().int(),
  key: z.string().min(1),
  message: z.union([z.string(), z.array(z.string())]),
  fields: z.record(z.string(), z.string()).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

export const errorEnvelopeSchema = z.looseObject({
  requestId: z.string(),
  success: z.literal(false),
  error: apiErrorSchema,
});

export function successEnvelopeSchema<T extends z.ZodType>(data: T) {
  return z.looseObject({ requestId: z.string(), success: z.literal(true), data });
}

// ── Trade (api §5) ─────────────────────────────────────────────────────────
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
export const tradeStatusSchema = z.enum(TRADE_STATUSES);
export type TradeStatus = z.infer<typeof tradeStatusSchema>;

export const tradeItemSchema = z.looseObject({
  id: z.string(),
  assetId: z.string().optional(),
  appid: z.number().int(),
  name: z.string().optional(),
  marketHashName: z.string().optional(),
  tradable: z.boolean(),
  amount: z.number().optional(),
  offer: z.looseObject({ price: z.number() }).optional(),
});

const tradeBaseSchema = z.looseObject({
  // A trade id is a lookup ref (api §4.5: comma-separated, URL-encoded): one with a comma could
  // never be looked up again, so it is refused at the door.
  id: z
    .string()
    .min(1)
    .max(128)
    .refine((id) => !id.includes(','), 'a trade id cannot contain a comma'),
  type: z.enum(['deposit', 'withdraw']),
  source: z.enum(['client', 'self']),
  status: tradeStatusSchema,
  game: z.string(),
  merchantId: z.string(),
  // Required by the OpenAPI schema but absent from the self-sell example (shared/docs/README).
  clientUserId: z.string().optional(),
  clientSteamID: z.string(),
  clientTradeUrl: z.string(),
  items: z.array(tradeItemSchema),
  totalPrice: z.number(),
  preCredit: z.number().optional(),
  pendingCredit: z.number().optional(),
  isInstant: z.boolean().optional(),
  collateral: z.looseObject({ merchant: z.number(), provider: z.number() }).optional(),
  externalId: z.string().optional(),
  offerID: z.string().optional(),
  holdEndDate: z.string().optional(),
  activeAt: z.string().optional(),
  revertedBy: z.enum(['supplier', 'user']).optional(),
  error: z.string().optional(),
  botInfo: z.looseObject({ name: z.string(), steamId: z.string().optional() }).optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const tradeSchema = tradeBaseSchema.extend({
  relatedTrades: z.array(tradeBaseSchema).optional(),
});
export type Trade = z.infer<typeof tradeSchema>;

// ── Inventory (api §4.1) ───────────────────────────────────────────────────
export const inventoryItemSchema = z.looseObject({
  id: z.string().min(1),
  assetId: z.string().optional(),
  name: z.string().optional(),
  marketHashName: z.string().optional(),
  type: z.string().optional(),
  iconUrl: z.string().optional(),
  appid: z.number().int(),
  tradable: z.boolean(),
  amount: z.number().optional(),
  marketPrice: z.number().optional(),
  offer: z
    .looseObject({
      price: z.number(),
      reference: z.string().optional(),
      accepted: z.boolean().optional(),
      maxAmount: z.number().optional(),
    })
    .optional(),
  exterior: z.string().optional(),
  wear: z.string().optional(),
  rarity: z.string().optional(),
  color: z.string().optional(),
});
export type InventoryItem = z.infer<typeof inventoryItemSchema>;

export const inventoryPageSchema = z.looseObject({
  inventory: z.array(inventoryItemSchema),
  count: z.number().int().nonnegative(),
  updatedAt: z.string(),
  collateral: z.number().optional(),
});
export type InventoryPage = z.infer<typeof inventoryPageSchema>;

// ── Sell request (api §4.2) — strict ───────────────────────────────────────
export const MAX_ITEMS_PER_SELL = 250;

export const sellItemSchema = z.strictObject({
  itemId: z.string().min(5).max(256),
  price: z.number().positive().finite(),
  amount: z.number().int().min(1).max(10_000).optional(),
});
export type SellItem = z.infer<typeof sellItemSchema>;

export const externalIdSchema = z
  .string()
  .min(1)
  .max(128)
  .refine((id) => !id.includes(','), 'externalId must not contain a comma (api §4.5)');

export const tradeUrlSchema = z
  .string()
  .regex(TRADE_URL_PATTERN, 'tradeUrl must match the Steam trade URL pattern (api §7)');

export const sellRequestSchema = z.strictObject({
  tradeUrl: tradeUrlSchema,
  items: z.array(sellItemSchema).min(1).max(MAX_ITEMS_PER_SELL),
  game: gameIdSchema,
  externalId: externalIdSchema,
  isInstant: z.boolean(),
});
export type SellRequest = z.infer<typeof sellRequestSchema>;

// ── Trade list and check-tradeurl (api §4.4, §4.7) ────────────────────────
export const tradeListPageSchema = z.looseObject({
  items: z.array(tradeSchema),
  nextCursor: z.string().nullable(),
});
export type TradeListPage = z.infer<typeof tradeListPageSchema>;

export const checkTradeUrlResultSchema = z.looseObject({
  state: z.number().int(),
  steamid: z.string().optional(),
  message: z.string().optional(),
  canTrade: z.boolean().optional(),
  reason: z.looseObject({ escrowDays: z.number(), probation: z.boolean() }).partial().optional(),
});
export type CheckTradeUrlResult = z.infer<typeof checkTradeUrlResultSchema>;

// ── Error keys the product branches on (api §2, §8). Never branch on `code`. ─
export const ERROR_KEYS = {
  validationFailed: 'VALIDATION_FAILED',
  rateLimited: 'RATE_LIMITED',
  serverError: 'SERVER_ERROR',
  databaseError: 'DATABASE_ERROR',
  systemMaintenance: 'SYSTEM_MAINTENANCE',
  serviceUnavailable: 'SERVICE_UNAVAILABLE',
  noBotsAvailable: 'NO_BOTS_AVAILABLE',
  fleetDegraded: 'FLEET_DEGRADED',
  depositsPaused: 'DEPOSITS_PAUSED',
  depositInProgress: 'DEPOSIT_IN_PROGRESS',
  tooManyActiveTrades: 'TOO_MANY_ACTIVE_TRADES',
  externalIdExists: 'EXTERNAL_ID_EXISTS',
  tradeNotFound: 'TRADE_NOT_FOUND',
  priceChanged: 'PRICE_CHANGED',
  itemsUnavailable: 'ITEMS_UNAVAILABLE',
  itemsNotAccepted: 'ITEMS_NOT_ACCEPTED',
  itemOverstocked: 'ITEM_OVERSTOCKED',
  noOfferFound: 'NO_OFFER_FOUND',
  insufficientItemAmount: 'INSUFFICIENT_ITEM_AMOUNT',
  exceedsMaxAmount: 'EXCEEDS_MAX_AMOUNT',
  tradeOfferFailed: 'TRADE_OFFER_FAILED',
  invalidTradeUrl: 'INVALID_TRADEURL',
  userNotTradeable: 'USER_NOT_TRADEABLE',
  steamUnavailable: 'STEAM_UNAVAILABLE',
  steamRateLimited: 'STEAM_RATE_LIMITED',
  inventoryFetchFailed: 'INVENTORY_FETCH_FAILED',
  missingApiKey: 'MISSING_API_KEY',
  invalidApiKey: 'INVALID_API_KEY',
  apiKeyRevoked: 'API_KEY_REVOKED',
  apiKeyScopeDenied: 'API_KEY_SCOPE_DENIED',
  apiKeyIpDenied: 'API_KEY_IP_DENIED',
  unauthorized: 'UNAUTHORIZED',
  forbidden: 'FORBIDDEN',
} as const;
export type KnownErrorKey = (typeof ERROR_KEYS)[keyof typeof ERROR_KEYS];
