import { unitFrom } from '../random';
import type { FaultEndpoint, FaultSpec, OneShotFault } from '../types';

/*
 * Decides which fault (if any) a request meets: first the one-shot faults
 * tests queued with injectNext (in order, endpoint queue before 'any'), then
 * the seeded random faults of the FaultSpec. Random draws are a hash of
 * (seed, kind, index of the /secure request), so each kind is independent and
 * a run is reproducible for the same request order.
 */

export type RandomFaultKind =
  | 'server-error'
  | 'reset-after-commit'
  | 'no-bots'
  | 'fleet-degraded'
  | 'html-502'
  | 'server-error-after-commit';

export class FaultPlan {
  private readonly queues = new Map<FaultEndpoint, OneShotFault[]>();
  private requestIndex = -1;

  constructor(
    private readonly seed: number,
    private spec: FaultSpec,
  ) {}

  get current(): FaultSpec {
    return this.spec;
  }

  set(spec: FaultSpec): void {
    this.spec = spec;
  }

  inject(endpoint: FaultEndpoint, fault: OneShotFault, count = 1): void {
    let queue = this.queues.get(endpoint);
    if (!queue) this.queues.set(endpoint, (queue = []));
    for (let i = 0; i < count; i++) queue.push(fault);
  }

  pendingCount(): number {
    let total = 0;
    for (const queue of this.queues.values()) total += queue.length;
    return total;
  }

  /** Starts a /secure request: returns its one-shot fault, if any, and advances the random stream. */
  begin(endpoint: Exclude<FaultEndpoint, 'any'>): OneShotFault | undefined {
    this.requestIndex++;
    return this.queues.get(endpoint)?.shift() ?? this.queues.get('any')?.shift();
  }

  extraLatencyMs(): number {
    return this.spec.latencyMs ?? 0;
  }

  /** True when this request falls inside a configured 429 burst. */
  inBurst(): boolean {
    const burst = this.spec.rateLimitBurst;
    if (!burst || burst.length <= 0) return false;
    return this.requestIndex % burst.every >= burst.every - burst.length;
  }

  roll(kind: RandomFaultKind): boolean {
    const rate = this.rateOf(kind);
    return rate > 0 && unitFrom(this.seed, 'fault', kind, this.requestIndex) < rate;
  }

  private rateOf(kind: RandomFaultKind): number {
    switch (kind) {
      case 'server-error':
        return this.spec.serverErrorRate ?? 0;
      case 'server-error-after-commit':
        return 0.5; // share of random sell SERVER_ERRORs that land after the trade was created
      case 'reset-after-commit':
        return this.spec.resetAfterCommitRate ?? 0;
      case 'no-bots':
        return this.spec.noBotsRate ?? 0;
      case 'fleet-degraded':
        return this.spec.fleetDegradedRate ?? 0;
      case 'html-502':
        return this.spec.html502Rate ?? 0;
    }
  }
}
