import type { z } from 'zod';

/* How a schema problem is named for a log line or an error message: `items[3].price`, clipped. */

export function issuePath(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return '';
  let out = '';
  for (const segment of issue.path) {
    out = joinPath(
      out,
      typeof segment === 'symbol' ? '?' : typeof segment === 'number' ? segment : clip(segment, 40),
    );
  }
  return out;
}

export function joinPath(base: string, segment: string | number): string {
  if (typeof segment === 'number') return `${base}[${segment}]`;
  return base ? `${base}.${segment}` : segment;
}

export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
