import { GAMES, type GameId } from '../api/games';
import type { WireInventoryItem } from '../api/wire';
import { CS2_CATALOG, CS2_RARITY_COLORS, EXTERIORS, type Exterior } from '../catalog/cs2';
import { RUST_CATALOG } from '../catalog/rust';
import { iconPath } from '../icons/icon-png';
import { createRng, hash32, intBetween, pick, type Rng } from '../random';

/*
 * Deterministic inventories: the items of (seed, game, partner) are always the
 * same, and item i does not depend on how many items are generated after it.
 * `iconUrl` points at the emulator's own pictures (emulator/icons) when it is
 * given the server's base URL, else it is empty, as a source without pictures.
 */

/** Odd prices a client must echo back exactly (api §4.2 "PRICE_CHANGED handling"). */
const AWKWARD_CENTS = [1, 3, 5, 99, 1075, 10001, 123450, 250, 1999];

const AFFORDABLE_CS2 = CS2_CATALOG.filter((entry) => entry.baseCents <= 50_000);

const ID_PATTERN = /^(730|252490)-(\d{1,10})-(\d{1,9})-([0-9a-z]{1,7})$/;

export function itemIdSuffix(seed: number, game: GameId, partner: string, index: number): string {
  return hash32(seed, 'item', game, partner, index).toString(36);
}

/** A copy that shares nothing mutable with the stored row. */
export function copyItem(item: WireInventoryItem): WireInventoryItem {
  return { ...item, offer: { ...item.offer } };
}

export function encodeItemId(seed: number, game: GameId, partner: string, index: number): string {
  return `${game}-${partner}-${index}-${itemIdSuffix(seed, game, partner, index)}`;
}

/** Splits an item id into its parts; undefined when it is not one this seed minted. */
export function decodeItemId(
  seed: number,
  itemId: string,
): { game: GameId; partner: string; index: number } | undefined {
  const match = ID_PATTERN.exec(itemId);
  if (!match) return undefined;
  const game = match[1] as GameId;
  const partner = match[2]!;
  const index = Number(match[3]);
  if (String(index) !== match[3] || String(Number(partner)) !== partner) return undefined;
  if (itemIdSuffix(seed, game, partner, index) !== match[4]) return undefined;
  return { game, partner, index };
}

export function generateInventory(
  seed: number,
  game: GameId,
  partner: string,
  count: number,
  iconBaseUrl = '',
): WireInventoryItem[] {
  const rng = createRng(hash32(seed, 'inventory', game, partner));
  const assetBase = 20_000_000_000 + (hash32(seed, 'assets', game, partner) % 5_000_000) * 1000;
  const items: WireInventoryItem[] = new Array(count);
  for (let index = 0; index < count; index++) {
    const id = encodeItemId(seed, game, partner, index);
    const assetId = String(assetBase + index * 7 + intBetween(rng, 0, 6));
    const item = game === GAMES.cs2 ? cs2Item(rng, id, assetId) : rustItem(rng, id, assetId);
    if (iconBaseUrl !== '') item.iconUrl = `${iconBaseUrl}${iconPath(game, item.name, item.color)}`;
    items[index] = item;
  }
  return items;
}

function priceCents(rng: Rng, baseCents: number): number {
  if (rng() < 0.04) return pick(rng, AWKWARD_CENTS);
  return Math.max(1, Math.round(baseCents * (0.85 + rng() * 0.35)));
}

function marketPrice(rng: Rng, cents: number): number {
  return Math.round(cents * (1.08 + rng() * 0.27)) / 100;
}

function reference(rng: Rng): string {
  return String(10_000_000_000 + Math.floor(rng() * 89_999_999_999));
}

function cs2Item(rng: Rng, id: string, assetId: string): WireInventoryItem {
  let entry = pick(rng, CS2_CATALOG);
  // Keep the very expensive skins rare, like in a real inventory.
  if (entry.baseCents > 50_000 && rng() > 0.2) entry = pick(rng, AFFORDABLE_CS2);
  const tradable = rng() >= 0.05;
  const accepted = rng() >= 0.05;
  const item: WireInventoryItem = {
    id,
    assetId,
    name: entry.name,
    marketHashName: entry.name,
    type: entry.type,
    iconUrl: '',
    appid: 730,
    tradable,
    amount: 1,
    marketPrice: 0,
    offer: { price: 0, reference: reference(rng), accepted, maxAmount: 1 },
    rarity: entry.rarity,
    color: CS2_RARITY_COLORS[entry.rarity] ?? '#B0C3D9',
  };
  let factor = 1;
  if (entry.skin) {
    const exterior = pickExterior(rng);
    const statTrak = !entry.name.startsWith('★') && rng() < 0.1;
    factor = exterior.factor * (statTrak ? 1.6 : 1);
    item.marketHashName = `${statTrak ? 'StatTrak™ ' : ''}${entry.name} (${exterior.name})`;
    item.exterior = exterior.name;
    item.wear = (exterior.minWear + rng() * (exterior.maxWear - exterior.minWear)).toFixed(8);
    item.paintSeed = intBetween(rng, 0, 1000);
  }
  const cents = priceCents(rng, entry.baseCents * factor);
  item.offer.price = cents / 100;
  item.marketPrice = marketPrice(rng, cents);
  return item;
}

const EXTERIOR_WEIGHTS = [0.15, 0.25, 0.35, 0.1, 0.15];

function pickExterior(rng: Rng): Exterior {
  let roll = rng();
  for (let i = 0; i < EXTERIORS.length; i++) {
    roll -= EXTERIOR_WEIGHTS[i]!;
    if (roll < 0) return EXTERIORS[i]!;
  }
  return EXTERIORS[EXTERIORS.length - 1]!;
}

function rustItem(rng: Rng, id: string, assetId: string): WireInventoryItem {
  const entry = pick(rng, RUST_CATALOG);
  const amount = entry.stacky
    ? rng() < 0.3
      ? 1
      : intBetween(rng, 2, 500)
    : rng() < 0.9
      ? 1
      : intBetween(rng, 2, 5);
  // Most stacks can be sold whole; some carry a lower per-offer cap (EXCEEDS_MAX_AMOUNT).
  const maxAmount =
    amount > 10 && rng() < 0.2 ? Math.min(amount - 1, pick(rng, [10, 25, 50, 100])) : amount;
  const tradable = rng() >= 0.05;
  const accepted = rng() >= 0.05;
  const cents = priceCents(rng, entry.baseCents);
  return {
    id,
    assetId,
    name: entry.name,
    marketHashName: entry.name,
    type: entry.type,
    iconUrl: '',
    appid: 252490,
    tradable,
    amount,
    marketPrice: marketPrice(rng, cents),
    offer: { price: cents / 100, reference: reference(rng), accepted, maxAmount },
    color: entry.color,
  };
}
