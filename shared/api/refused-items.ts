import { z } from 'zod';

/*
 * What a refusal says about the items it names: `error.details.items` (api §2;
 * ITEM_OVERSTOCKED adds `remaining`, the emulator's PRICE_CHANGED `submitted`
 * and `current`). Read through a schema because it comes from AssetPay (and
 * back from the store's JSON column); an entry that is not an item is skipped.
 */

const refusedItemSchema = z.looseObject({
  itemId: z.string(),
  marketHashName: z.string().optional(),
  remaining: z.number().optional(),
});

export interface RefusedItem {
  itemId: string;
  /** marketHashName when AssetPay gave it, else the id. */
  name: string;
  /** ITEM_OVERSTOCKED: units AssetPay still takes. */
  remaining: number | null;
}

export function refusedItems(details: Record<string, unknown> | null | undefined): RefusedItem[] {
  const items = details?.items;
  if (!Array.isArray(items)) return [];
  return items.flatMap((entry: unknown) => {
    const parsed = refusedItemSchema.safeParse(entry);
    if (!parsed.success) return [];
    const { itemId, marketHashName, remaining } = parsed.data;
    return [
      {
        itemId,
        name: marketHashName ?? itemId,
        remaining: remaining !== undefined && remaining >= 0 ? Math.floor(remaining) : null,
      },
    ];
  });
}
