/*
 * Small helpers for tests that talk to the emulator over HTTP (loopback only).
 * Not used by the emulator itself.
 */

export const SANDBOX_KEY = 'ap_sandbox_key';

/** A trade URL that matches the server pattern (api §7) for the given partner. */
export function tradeUrlFor(partner: number | string, token = 'AbCdEfGh'): string {
  return `https://steamcommunity.com/tradeoffer/new/?partner=${partner}&token=${token}`;
}

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  json: unknown;
}

export interface RequestOptions {
  body?: unknown;
  /** null sends no api-key header. */
  apiKey?: string | null;
  query?: Record<string, string | number | boolean | undefined>;
  timeoutMs?: number;
}

export async function call(
  baseUrl: string,
  method: 'GET' | 'POST',
  path: string,
  options: RequestOptions = {},
): Promise<HttpResult> {
  const url = new URL(path, baseUrl);
  for (const [key, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  const headers: Record<string, string> = {};
  const apiKey = options.apiKey === undefined ? SANDBOX_KEY : options.apiKey;
  if (apiKey !== null) headers['api-key'] = apiKey;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  }
  const response = await fetch(url, {
    method,
    headers,
    body,
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}
