/*
 * Which item pictures main may fetch, and what counts as a picture — pure
 * rules, unit-tested. An `iconUrl` comes from AssetPay's inventory answer
 * (api §4.1), so it is untrusted input: main fetches only https URLs on
 * Steam's and AssetPay's image hosts (parsed with the WHATWG URL parser and
 * compared by parts, never by prefix), and keeps only bodies that are PNG,
 * JPEG, GIF or WebP by their first bytes. SVG is refused: it is a document
 * that can carry scripts and external references, not just pixels.
 */

/** Steam's community image hosts (economy item pictures) — all under Valve's own domain. */
const STEAM_IMAGE_SUFFIX = '.steamstatic.com';
/** Akamai serves many customers under akamaihd.net: only Steam's own names, exactly. */
const STEAM_AKAMAI_HOSTS = ['steamcommunity-a.akamaihd.net', 'steamcdn-a.akamaihd.net'];
/** AssetPay's own domain and its subdomains (its image CDN). */
const ASSETPAY_DOMAIN = 'assetpay.gg';

export interface PicturePolicy {
  /**
   * Exact origins allowed besides the public image hosts, http included: the
   * in-process sandbox emulator's, and only where the composition root allows
   * it (never in a packaged build; see electron/main/app/pictures.ts).
   */
  extraOrigins: () => readonly string[];
}

export const PUBLIC_PICTURES_ONLY: PicturePolicy = { extraOrigins: () => [] };

export type PictureRefusal =
  | 'not-a-url'
  | 'scheme'
  | 'credentials'
  | 'port'
  | 'host'
  | 'redirect-to-other-host'
  | 'too-many-redirects'
  | 'not-an-image'
  | 'too-large'
  | 'http-status';

const MAX_URL_CHARS = 2_000;

function isImageHost(hostname: string): boolean {
  return (
    (hostname.endsWith(STEAM_IMAGE_SUFFIX) && hostname.length > STEAM_IMAGE_SUFFIX.length) ||
    STEAM_AKAMAI_HOSTS.includes(hostname) ||
    hostname === ASSETPAY_DOMAIN ||
    hostname.endsWith(`.${ASSETPAY_DOMAIN}`)
  );
}

/** The URL to fetch for an iconUrl, or why it may not be fetched. */
export function checkPictureUrl(
  iconUrl: string,
  policy: PicturePolicy,
): { ok: true; url: URL } | { ok: false; reason: PictureRefusal } {
  if (typeof iconUrl !== 'string' || iconUrl.length === 0 || iconUrl.length > MAX_URL_CHARS)
    return { ok: false, reason: 'not-a-url' };
  let url: URL;
  try {
    url = new URL(iconUrl);
  } catch {
    return { ok: false, reason: 'not-a-url' };
  }
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'credentials' };
  if (policy.extraOrigins().includes(url.origin) && url.protocol === 'http:')
    return { ok: true, url };
  // javascript:, file:, data:, blob:, ftp:, plain http… — only https leaves the app.
  if (url.protocol !== 'https:') return { ok: false, reason: 'scheme' };
  if (policy.extraOrigins().includes(url.origin)) return { ok: true, url };
  if (url.port !== '') return { ok: false, reason: 'port' };
  if (!isImageHost(url.hostname)) return { ok: false, reason: 'host' };
  return { ok: true, url };
}

/** A redirect is followed only to the same host (and scheme and port) it came from. */
export function sameHost(from: URL, to: URL): boolean {
  return from.protocol === to.protocol && from.host === to.host;
}

export type PictureType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';

const DECLARED_TYPES = new Set<string>(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** The media type of a Content-Type header, when it is one of the picture types. */
export function declaredPictureType(contentType: string | null): PictureType | null {
  const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return DECLARED_TYPES.has(media) ? (media as PictureType) : null;
}

/** What the first bytes say the body is (the header alone is not trusted). */
export function sniffPictureType(bytes: Uint8Array): PictureType | null {
  const at = (i: number, ...expected: number[]) => expected.every((b, k) => bytes[i + k] === b);
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (at(0, 0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'image/webp';
  return null;
}

export const EXTENSION_OF: Record<PictureType, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

export const TYPE_OF_EXTENSION: Record<string, PictureType> = Object.fromEntries(
  Object.entries(EXTENSION_OF).map(([type, ext]) => [ext, type as PictureType]),
);
