import type { IncomingHttpHeaders } from 'node:http';
import type { BotFleet } from '../capacity/bot-fleet';
import type { FaultPlan } from '../faults/fault-plan';
import type { RateLimiter } from '../rate-limiter';
import type { World } from '../world';

/** One parsed HTTP request, as handlers see it. */
export interface RequestContext {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** Parsed JSON body; undefined when empty. */
  body: unknown;
  /** Set when the body is not valid JSON. */
  bodyError?: string;
  remoteAddress: string | undefined;
  /** performance.now() when the request arrived (before its body was read). */
  receivedAt: number;
  /** Set by the app: the HTTP layer renders the answer at once but holds it until then (performance.now() time). */
  answerNotBefore?: number;
  /** The round trip this /secure request was given (latency option + faults), ms. */
  latencyMs?: number;
}

export type CountedRoute =
  'inventory' | 'sell' | 'trades' | 'trade-lookup' | 'check-tradeurl' | 'admin' | 'icon' | 'other';

export class RequestCounts {
  private readonly counts: Record<CountedRoute | 'total', number> = {
    inventory: 0,
    sell: 0,
    trades: 0,
    'trade-lookup': 0,
    'check-tradeurl': 0,
    admin: 0,
    icon: 0,
    other: 0,
    total: 0,
  };

  add(route: CountedRoute): void {
    this.counts[route]++;
    this.counts.total++;
  }

  snapshot(): Record<string, number> {
    return { ...this.counts };
  }
}

/** Everything a request may touch. */
export interface Services {
  world: World;
  faults: FaultPlan;
  limiter: RateLimiter;
  counts: RequestCounts;
  apiKey: string;
  latencyMs: number;
  retryAfter: boolean;
  /** The bot fleet when `capacity` is set; sells are served immediately without it. */
  fleet: BotFleet | undefined;
}
