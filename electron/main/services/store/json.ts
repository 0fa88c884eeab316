import type { z } from 'zod';
import { redact } from '../log';

/** Reads a JSON column through its schema: a corrupt or foreign value is a bug, said loudly. */
export function parseJsonColumn<S extends z.ZodType>(
  schema: S,
  text: string | null,
  column: string,
): z.output<S> {
  let value: unknown;
  try {
    value = text === null ? null : JSON.parse(text);
  } catch {
    throw new Error(`Column ${column} holds invalid JSON`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new Error(
      `Column ${column} failed its schema: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

export function toJson(value: unknown): string {
  return JSON.stringify(value);
}

/** For the event log: masks `ap_…` keys, credential-named fields and trade-URL tokens. */
export function redactedJson(value: unknown): string {
  return JSON.stringify(redact(value ?? {}));
}
