import {
  declaredPictureType,
  sameHost,
  sniffPictureType,
  type PictureRefusal,
  type PictureType,
} from './picture-policy';

/*
 * One picture over the network, under the rules of picture-policy.ts:
 * redirects followed by hand and only within the same host, an image
 * Content-Type, a body that is a picture by its first bytes, and never more
 * than `maxBytes` read — a 20 MB answer is cut off at the cap, not buffered.
 */

export type FetchOutcome =
  | { kind: 'picture'; type: PictureType; body: Buffer }
  /** The answer will not change by asking again this session (logged, remembered). */
  | { kind: 'refused'; reason: PictureRefusal; detail: string }
  /** The network or the host failed; asking later may work. */
  | { kind: 'unavailable'; detail: string };

export interface FetchLimits {
  maxBytes: number;
  timeoutMs: number;
  maxRedirects: number;
}

export type FetchFn = (url: string, init: RequestInit) => Promise<Response>;

const ACCEPT = 'image/png,image/jpeg,image/gif,image/webp';

export async function fetchPicture(
  start: URL,
  limits: FetchLimits,
  fetchFn: FetchFn = fetch,
): Promise<FetchOutcome> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let url = start;
  try {
    for (let hop = 0; ; hop++) {
      const response = await fetchFn(url.href, {
        redirect: 'manual',
        signal,
        headers: { accept: ACCEPT },
        credentials: 'omit',
      });
      if (response.status >= 300 && response.status < 400) {
        await response.body?.cancel().catch(() => undefined);
        const location = response.headers.get('location');
        if (!location) return refused('http-status', `${response.status} without a location`);
        let next: URL;
        try {
          next = new URL(location, url);
        } catch {
          return refused('redirect-to-other-host', `redirect to an unreadable location`);
        }
        if (!sameHost(url, next))
          return refused('redirect-to-other-host', `redirect from ${url.host} to ${next.host}`);
        if (hop >= limits.maxRedirects)
          return refused('too-many-redirects', `more than ${limits.maxRedirects} redirects`);
        url = next;
        continue;
      }
      return await readPicture(response, limits);
    }
  } catch (error) {
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { kind: 'unavailable', detail: detail.slice(0, 200) };
  }
}

async function readPicture(response: Response, limits: FetchLimits): Promise<FetchOutcome> {
  const cancel = () => response.body?.cancel().catch(() => undefined);
  if (response.status === 429 || response.status >= 500) {
    await cancel();
    return { kind: 'unavailable', detail: `HTTP ${response.status}` };
  }
  if (response.status !== 200) {
    await cancel();
    return refused('http-status', `HTTP ${response.status}`);
  }
  const declared = declaredPictureType(response.headers.get('content-type'));
  if (!declared) {
    await cancel();
    return refused(
      'not-an-image',
      `content type ${response.headers.get('content-type') ?? 'none'}`,
    );
  }
  const length = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(length) && length > limits.maxBytes) {
    await cancel();
    return refused('too-large', `${length} bytes announced, at most ${limits.maxBytes}`);
  }
  const parts: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limits.maxBytes) {
        await reader.cancel().catch(() => undefined);
        return refused('too-large', `more than ${limits.maxBytes} bytes`);
      }
      parts.push(value);
    }
  }
  const body = Buffer.concat(parts);
  const type = sniffPictureType(body);
  if (!type)
    return refused('not-an-image', `declared ${declared}, but the bytes are not a picture`);
  return { kind: 'picture', type, body };
}

function refused(reason: PictureRefusal, detail: string): FetchOutcome {
  return { kind: 'refused', reason, detail };
}
