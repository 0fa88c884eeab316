import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../errors';

/**
 * How every IPC answer travels: a value or a typed error, never a thrown
 * stack trace. `message` is written for the trader.
 */
export { AppError } from '../errors';
export const IPC_ERROR_CODES = ERROR_CODES;
export type IpcErrorCode = ErrorCode;

export const ipcErrorSchema = z.strictObject({
  code: z.enum(IPC_ERROR_CODES),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type IpcError = z.infer<typeof ipcErrorSchema>;

export type IpcResult<T> = { ok: true; data: T } | { ok: false; error: IpcError };
