import {
  allowed,
  IN_FLIGHT_BOUNDS,
  nextLimit,
  signalOf,
  startLimit,
  type InFlightLimit,
} from './in-flight-limit';

/*
 * The trader's setting "sells in flight" — automatic, or at most N — and,
 * when automatic, the controller's state (in-flight-limit.ts), fed with every
 * first send's answer. Memory only: a restart starts low again.
 */

/** Sells in flight: found from AssetPay's answers ('auto'), or at most this many. */
export type Concurrency = 'auto' | number;

export class SellsInFlight {
  private setting: Concurrency;
  private auto: InFlightLimit = startLimit();

  constructor(setting: Concurrency) {
    this.setting = checked(setting);
  }

  get concurrency(): Concurrency {
    return this.setting;
  }

  set concurrency(value: Concurrency) {
    this.setting = checked(value);
  }

  /** Sells that may be in flight now. */
  get limit(): number {
    return this.setting === 'auto' ? allowed(this.auto) : this.setting;
  }

  /** A first send was answered: what it says about the fleet moves the automatic limit. */
  answered(sample: {
    now: number;
    leftAt: number;
    inFlightAtSend: number;
    inFlightNow: number;
    outcome: { kind: string; key?: string };
  }): void {
    if (this.setting !== 'auto') return;
    this.auto = nextLimit(this.auto, {
      now: sample.now,
      latencyMs: sample.now - sample.leftAt,
      inFlightAtSend: sample.inFlightAtSend,
      inFlightNow: sample.inFlightNow,
      signal: signalOf(sample.outcome),
    });
  }
}

function checked(value: Concurrency): Concurrency {
  if (value === 'auto') return value;
  const n = Math.floor(Number.isFinite(value) ? value : IN_FLIGHT_BOUNDS.start);
  return Math.max(IN_FLIGHT_BOUNDS.min, Math.min(IN_FLIGHT_BOUNDS.max, n));
}
