/*
 * Expected refusals, as one error type every layer can throw and the IPC
 * dispatcher turns into `{ ok: false, error }` (shared/contract/result.ts).
 * `message` is written for the trader; `details.reason` is a stable code.
 * Services throw it without knowing about IPC; exceptions of any other type
 * are bugs.
 */
export const ERROR_CODES = [
  'invalid-request', // the request (or a payload) failed validation
  'unknown-channel',
  'forbidden-sender', // not the app's own window / main frame
  'not-found',
  'conflict', // e.g. item already in a live batch, plan changed since confirmation
  'offline',
  'api-error', // AssetPay answered with an error; `details.key` says which
  'keychain-unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}
