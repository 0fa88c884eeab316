import type { EngineTiming } from '../../../electron/main/services/engine';

/** Fast timing for the crash trials (shared by the parent and the child processes). */
export const CRASH_TIMING: Partial<EngineTiming> = {
  activePollMs: 60,
  holdPollMs: 80,
  completedPollMs: 400,
  completedWatchMs: 800,
  missingPollMs: 150,
  notSentRetryMs: 40,
  notSentRetryCapMs: 300,
  backoffBaseMs: 30,
  backoffCapMs: 200,
  waitBaseMs: 60,
  waitCapMs: 300,
  resendDelayMs: 20,
  lookupBaseMs: 30,
  lookupCapMs: 200,
  // A killed process's requests are gone with it; the emulator answers in a few ms.
  inFlightWindowMs: 2_500,
  coalesceMs: 50,
};
