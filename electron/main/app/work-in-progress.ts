/*
 * What the trader asked AssetPay that has not answered yet: an inventory fetch,
 * an account check, a price check. Its answer belongs to the environment it was
 * asked in (the store files it under the selected one when it arrives), so the
 * environment does not change while anything is under way.
 */
export class WorkInProgress {
  private readonly running = new Map<number, string>();
  private nextId = 0;

  /**
   * Runs `work`, listed until it ends with `why`: the trader's words for why a
   * switch waits (e.g. "Main’s CS2 inventory is still being fetched from Production. …").
   */
  async during<T>(why: string, work: () => Promise<T>): Promise<T> {
    const id = this.nextId++;
    this.running.set(id, why);
    try {
      return await work();
    } finally {
      this.running.delete(id);
    }
  }

  /** Why a switch waits now, oldest first (empty: it need not). */
  list(): string[] {
    return [...this.running.values()];
  }
}
