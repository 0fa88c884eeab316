import { z } from 'zod';
import { REVIEW_PROBLEMS } from '../../../../shared/model';
import type { StoreContext } from './context';
import { parseJsonColumn, toJson } from './json';

/*
 * The trader's review of a refused batch (issue 14): every item of the batch
 * as AssetPay offered it when the trader looked. A retry with the trader's
 * choices sells accepted items at exactly these prices — what the trader saw,
 * not whatever a later fetch says. It belongs to one refused attempt
 * (`externalId`); a review of an earlier attempt is never applied.
 */

export const storedReviewSchema = z.strictObject({
  externalId: z.string(),
  checkedAt: z.string(),
  items: z.array(
    z.strictObject({
      itemId: z.string(),
      /** AssetPay's offer per unit exactly as the inventory gave it; null: no offer now. */
      priceUsd: z.number().nullable(),
      priceCents: z.number().int().nullable(),
      /** Units AssetPay takes now. */
      units: z.number().int().min(0),
      problem: z.enum(REVIEW_PROBLEMS).nullable(),
    }),
  ),
});
export type StoredReview = z.infer<typeof storedReviewSchema>;

export class BatchReviewsRepo {
  constructor(private readonly ctx: StoreContext) {}

  save(batchId: string, review: StoredReview): void {
    this.ctx.stmt('UPDATE batches SET review = ? WHERE id = ?').run(toJson(review), batchId);
  }

  get(batchId: string): StoredReview | null {
    const text = this.ctx.stmt('SELECT review FROM batches WHERE id = ?').pluck().get(batchId) as
      string | null | undefined;
    if (text === null || text === undefined) return null;
    return parseJsonColumn(storedReviewSchema, text, 'batches.review');
  }
}
