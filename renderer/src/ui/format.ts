import { GAME_NAMES, type GameId } from '../../../shared/api/games';

export function gameName(game: GameId): string {
  return GAME_NAMES[game] ?? game;
}

/** "just now", "4 minutes ago", "3 hours ago", "2 days ago". */
export function relativeTime(iso: string, now: number = Date.now()): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return 'at an unknown time';
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'} ago`;
  const days = Math.round(hours / 24);
  return `${days} days ago`;
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Basis points as a signed percentage: 250 → "+2.50 %". */
export function percentFromBp(bp: number): string {
  const sign = bp > 0 ? '+' : bp < 0 ? '−' : '';
  return `${sign}${(Math.abs(bp) / 100).toFixed(2)} %`;
}

export { plural } from '../../../shared/words';

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** Only a plain hex colour from the inventory may reach the CSSOM. */
export function safeColor(color: string | null): string | null {
  if (!color) return null;
  const hex = color.startsWith('#') ? color : `#${color}`;
  return /^#[0-9a-fA-F]{6}$/.test(hex) ? hex : null;
}

/** "85" or "85.5" (percent) → basis points; null when it is not a percentage 0–1000. */
export function parsePercentToBp(text: string): number | null {
  const match = /^(\d{1,4})(?:[.,](\d{1,2}))?\s*%?$/.exec(text.trim());
  if (!match) return null;
  const bp = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return bp <= 100_000 ? bp : null;
}
