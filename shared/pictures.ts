/*
 * Item pictures reach the renderer only through main's picture cache
 * (electron/main/services/pictures): the page asks for
 * `<picturesUrl><key>`, where the key is the item's iconUrl in base64url, and
 * main fetches, checks, caches and serves the image. The renderer itself
 * never connects anywhere (CSP connect-src 'none'; img-src allows only the
 * picture protocol, or the test host's own origin).
 */

/** The custom protocol the app registers for pictures (CSP img-src names it). */
export const PICTURE_SCHEME = 'bulk-seller-picture';
/** Where the app's pictures live; the test host serves the same cache under its own path. */
export const APP_PICTURES_URL = `${PICTURE_SCHEME}://icon/`;
/** A key longer than this is refused before any decoding (an iconUrl is a URL, not a document). */
export const MAX_PICTURE_KEY_CHARS = 4_000;

/** iconUrl → the path segment the renderer asks for. */
export function pictureKey(iconUrl: string): string {
  const bytes = new TextEncoder().encode(iconUrl);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The iconUrl a key names, or null when the key is not one `pictureKey` could have made. */
export function iconUrlOfKey(key: string): string | null {
  if (key.length === 0 || key.length > MAX_PICTURE_KEY_CHARS || !/^[A-Za-z0-9_-]+$/.test(key))
    return null;
  try {
    const binary = atob(key.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
