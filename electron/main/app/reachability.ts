import type { Reachability } from '../../../shared/model';
import type { Environment } from '../../../shared/domain';
import type { ApiOutcome } from '../services/assetpay/outcome';
import { unreachableMessage } from '../services/assetpay/unreachable';
import type { Clock } from '../services/assetpay/clock';

/*
 * Whether AssetPay itself answers, as opposed to whether the computer has a
 * network (issue 14: the sidebar said Online while every call failed with
 * "getaddrinfo ENOTFOUND"). Learned from the outcome of every call the app
 * makes to the selected environment; while AssetPay cannot be reached and the
 * network is up, a light probe asks again now and then, so the indicator
 * turns back by itself.
 */

export const UNKNOWN: Reachability = { state: 'unknown', message: null };
const REACHABLE: Reachability = { state: 'reachable', message: null };

/** Pure: what one outcome says about reachability (unchanged when it says nothing). */
export function reachabilityAfter(
  current: Reachability,
  outcome: ApiOutcome<unknown>,
): Reachability {
  switch (outcome.kind) {
    case 'not-sent':
      // The trader's own stop, or a request that could not even be built, says nothing about AssetPay.
      if (outcome.reason === 'aborted' || outcome.reason.startsWith('request not created'))
        return current;
      return { state: 'unreachable', message: unreachableMessage(outcome.reason) };
    case 'ambiguous':
      // An answer that could not be read still came from a server; a lost connection says nothing.
      return outcome.httpStatus !== undefined ? REACHABLE : current;
    case 'auth':
      // httpStatus 0: refused before sending (no key).
      return outcome.httpStatus === 0 ? current : REACHABLE;
    case 'ok':
    case 'definitive':
    case 'throttled':
      return REACHABLE;
  }
}

export interface ReachabilityDeps {
  clock: Clock;
  environment: () => Environment;
  isOnline: () => boolean;
  /** Asks AssetPay something cheap (the key check); its outcome arrives through `note`. */
  probe: () => Promise<unknown>;
  onChange: (reachability: Reachability) => void;
}

const PROBE_FIRST_MS = 15_000;
const PROBE_CAP_MS = 5 * 60_000;

export class ReachabilityTracker {
  private value: Reachability = UNKNOWN;
  private probing: AbortController | null = null;
  private closed = false;

  constructor(private readonly deps: ReachabilityDeps) {}

  current(): Reachability {
    return this.value;
  }

  /** An outcome of a call to `environment` (calls to another environment do not count). */
  note(environment: Environment, outcome: ApiOutcome<unknown>): void {
    if (environment !== this.deps.environment()) return;
    this.set(reachabilityAfter(this.value, outcome));
  }

  /** Nothing is known after a switch of environment or of the network. */
  reset(): void {
    this.set(UNKNOWN);
  }

  close(): void {
    this.closed = true;
    this.probing?.abort();
  }

  private set(next: Reachability): void {
    if (next.state === this.value.state && next.message === this.value.message) return;
    this.value = next;
    if (next.state === 'unreachable') this.startProbing();
    else this.stopProbing();
    this.deps.onChange(next);
  }

  private startProbing(): void {
    if (this.probing || this.closed) return;
    const controller = new AbortController();
    this.probing = controller;
    void (async () => {
      for (let wait = PROBE_FIRST_MS; !controller.signal.aborted;) {
        try {
          await this.deps.clock.sleep(wait, controller.signal);
        } catch {
          return;
        }
        if (this.deps.isOnline()) await this.deps.probe().catch(() => undefined);
        wait = Math.min(wait * 2, PROBE_CAP_MS);
      }
    })();
  }

  private stopProbing(): void {
    this.probing?.abort();
    this.probing = null;
  }
}
