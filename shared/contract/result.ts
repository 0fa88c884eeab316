import { z } from 'zod';

/**
 * How every IPC answer travels: a value or a typed error, never a thrown
 * stack trace. `message` is written for the trader.
 */
export const IPC_ERROR_CODES = [
  'invalid-request', // payload failed the contract schema
  'unknown-channel',
  'forbidden-sender', // not the app's own window / main frame
  'not-found',
  'conflict', // e.g. item already in a live batch, plan changed since confirmation
  'offline',
  'api-error', // AssetPay answered with an error; `details.key` says which
  'keychain-unavailable',
  'internal',
] as const;
export type IpcErrorCode = (typeof IPC_ERROR_CODES)[number];

export const ipcErrorSchema = z.strictObject({
  code: z.enum(IPC_ERROR_CODES),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type IpcError = z.infer<typeof ipcErrorSchema>;

export type IpcResult<T> = { ok: true; data: T } | { ok: false; error: IpcError };

/** Thrown inside handlers for expected failures; the dispatcher turns it into `{ ok: false, error }`. */
export class AppError extends Error {
  constructor(
    readonly code: IpcErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}
