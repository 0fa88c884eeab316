/* Opaque cursor of GET /secure/trades (api §4.4): base64url of {"before": <creation sequence>}. */

export function encodeCursor(beforeSeq: number): string {
  return Buffer.from(JSON.stringify({ before: beforeSeq })).toString('base64url');
}

/** The sequence to continue before, or undefined when the cursor is not one of ours. */
export function decodeCursor(cursor: string): number | undefined {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(cursor)) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const before = (parsed as { before?: unknown }).before;
    return typeof before === 'number' && Number.isSafeInteger(before) && before >= 0
      ? before
      : undefined;
  } catch {
    return undefined;
  }
}
