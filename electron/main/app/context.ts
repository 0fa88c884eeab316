import type { Reachability, Settings } from '../../../shared/contract/views';
import { ENVIRONMENT_NAMES, type Environment } from '../../../shared/domain';
import type { EventHub } from './event-hub';
import type { Clock } from '../services/assetpay/clock';
import type { RateLimiter } from '../services/assetpay/rate-limiter';
import type { Logger } from '../services/log';
import type { Store } from '../services/store';
import type { ApiAccess, SecretStoreLike } from './api-access';
import type { WorkInProgress } from './work-in-progress';
import { AppError } from '../../../shared/contract/result';

/*
 * What the handlers share. Built once by createAppServices (the composition
 * root); each handler module takes only this, so a handler is a plain
 * function of (context, request) and easy to read in isolation.
 */
export interface AppContext {
  store: Store;
  api: ApiAccess;
  secretStore: SecretStoreLike;
  limiter: RateLimiter;
  hub: EventHub;
  logger: Logger;
  clock: Clock;
  version: string;
  isOnline(): boolean;
  /** Whether AssetPay itself answered the last calls to the selected environment. */
  reachability(): Reachability;
  environment(): Environment;
  /** Pushes changed settings to the services (limiter tier, engine concurrency). */
  applySettings(settings: Settings, previous: Settings): void;
  /** The trader stored or deleted an API key: the engine tries it at once if it was refused. */
  keyChanged(): void;
  /** Refuses when runs are still sending or tracking (e.g. before switching environment). */
  activeRunCount(): number;
  /** Calls to AssetPay the trader is waiting for; the environment stays until they answer. */
  work: WorkInProgress;
  /** Where the renderer asks for item pictures (the app's protocol, or the test host's path). */
  picturesUrl: string;
  /** Electron's shell.openExternal in the app; a recorder in the test host. Receives allowlisted URLs only. */
  openExternal(url: string): Promise<void>;
}

/** Interactive network calls refuse at once when the app knows it is offline (design §1 "configure offline"). */
export function requireOnline(ctx: AppContext, what: string): void {
  if (!ctx.isOnline()) {
    throw new AppError(
      'offline',
      `You are offline, so the app cannot ${what} now. Everything else works offline; try again when the connection is back.`,
    );
  }
}

/**
 * A plan is built on one environment's inventory and only changed or submitted there
 * (issue 14 item 3): its item ids, prices and accounts' checks mean nothing elsewhere.
 */
export function requirePlanHere(ctx: AppContext, planId: string, what: string): void {
  const planEnvironment = ctx.store.plans.environmentOf(planId);
  const current = ctx.environment();
  if (planEnvironment === current) return;
  throw new AppError(
    'conflict',
    `This plan was built on ${ENVIRONMENT_NAMES[planEnvironment]} data, and ${ENVIRONMENT_NAMES[current]} is selected. Switch to ${ENVIRONMENT_NAMES[planEnvironment]} in Setup to ${what} it.`,
    { reason: 'plan-in-other-environment', environment: planEnvironment },
  );
}

/** The selected environment as the trader calls it. */
export function environmentName(ctx: AppContext): string {
  return ENVIRONMENT_NAMES[ctx.environment()];
}

export function isoNow(ctx: AppContext): string {
  return new Date(ctx.clock.now()).toISOString();
}
