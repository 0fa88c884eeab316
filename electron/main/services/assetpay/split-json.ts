/*
 * JSON.parse for a response whose bulk is one array at a known place (an
 * inventory page's `data.inventory`: 12,000 items are ~5 MB of UTF-8, ~9 MB as
 * a JS string). The bytes are scanned once; everything around the array is
 * parsed as usual and each element on its own, handed to `mapElement` as soon
 * as it is parsed (the client validates it there and keeps what its schema
 * returns). So the body never becomes one big string and the raw elements are
 * garbage one by one instead of living as one tree next to their validated copy.
 *
 * Anything unusual gives null and the caller parses the body whole, as
 * before: no array at that path, a key on the way spelled with escapes or
 * given twice, bytes that are not JSON, an element `mapElement` rejects. The
 * scan follows JSON's own lexical rules (a string runs from `"` to the next
 * unescaped `"`; UTF-8 continuation bytes are never `"` or `\`), so when the
 * body is valid JSON the pieces are exactly the array's elements and the
 * result equals JSON.parse of the whole with `mapElement` applied to them.
 */

/** Returned by `mapElement` to give up on splitting (e.g. an element failed its schema). */
export const REJECT: unique symbol = Symbol('reject');

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const NOT_ON_PATH = -1;

/** Where the array is in the bytes: `[` at `open`, `]` at `close`, element i at [bounds[2i], bounds[2i+1]). */
export interface ArrayLocation {
  open: number;
  close: number;
  bounds: number[];
}

/**
 * Finds the array reached from the top-level object by the object keys in
 * `path` (e.g. ['data', 'inventory']) and the byte ranges of its elements.
 * Null when there is no such array or the way to it is ambiguous (a key on
 * the path given twice or written with escapes), or the brackets do not match.
 */
export function locateArray(bytes: Uint8Array, path: readonly string[]): ArrayLocation | null {
  if (path.length === 0) return null;
  const wanted = path.map((key) => Buffer.from(key, 'utf8'));
  // Per open container (index = depth - 1): its kind, how many path keys lead to it (or
  // NOT_ON_PATH), whether the next string in it is a key, and (objects on the path) the
  // current key's match and how often the wanted key has been seen.
  const kinds: number[] = [];
  const onPath: number[] = [];
  const expectKey: boolean[] = [];
  const keyMatches: boolean[] = [];
  const wantedSeen: number[] = [];
  let depth = 0;
  let keyStart = -1;
  let keyEscaped = false;
  let target = -1; // depth of the target array while inside it
  let elementStart = 0;
  let location: ArrayLocation | null = null;
  const n = bytes.length;

  for (let i = 0; i < n; i++) {
    const c = bytes[i]!;
    if (c === QUOTE) {
      const top = depth - 1;
      const isKey = depth > 0 && kinds[top] === OPEN_OBJECT && expectKey[top]!;
      const start = i + 1;
      let escaped = false;
      // Skip to the closing quote.
      for (i = start; i < n; i++) {
        const d = bytes[i]!;
        if (d === BACKSLASH) {
          escaped = true;
          i++;
        } else if (d === QUOTE) break;
      }
      if (i >= n) return null; // unterminated string
      if (isKey) {
        keyStart = start;
        keyEscaped = escaped;
        // The key ends at i (exclusive); compared at the colon.
        if (onPath[top] === depth - 1) {
          const want = depth - 1 < wanted.length ? wanted[depth - 1]! : null;
          if (want !== null && keyEscaped) return null; // cannot tell whether it names the wanted key
          const match =
            want !== null &&
            i - keyStart === want.length &&
            Buffer.compare(want, bytes.subarray(keyStart, i)) === 0;
          keyMatches[top] = match;
          if (match && ++wantedSeen[top]! > 1) return null; // duplicate key: JSON.parse keeps the last
        }
      }
      continue;
    }
    switch (c) {
      case COLON:
        if (depth > 0) expectKey[depth - 1] = false;
        break;
      case COMMA:
        if (depth === 0) return null;
        if (depth === target) {
          location!.bounds.push(elementStart, i);
          elementStart = i + 1;
        } else if (kinds[depth - 1] === OPEN_OBJECT) {
          expectKey[depth - 1] = true;
          keyMatches[depth - 1] = false;
        }
        break;
      case OPEN_OBJECT:
      case OPEN_ARRAY: {
        const parent = depth - 1;
        let leadsHere = NOT_ON_PATH;
        if (depth === 0) leadsHere = 0;
        else if (
          kinds[parent] === OPEN_OBJECT &&
          onPath[parent] === parent &&
          keyMatches[parent] &&
          !expectKey[parent]
        )
          leadsHere = parent + 1;
        kinds[depth] = c;
        onPath[depth] = leadsHere;
        expectKey[depth] = c === OPEN_OBJECT;
        keyMatches[depth] = false;
        wantedSeen[depth] = 0;
        depth++;
        if (leadsHere === path.length) {
          if (c !== OPEN_ARRAY || location !== null) return null;
          location = { open: i, close: -1, bounds: [] };
          target = depth;
          elementStart = i + 1;
        }
        break;
      }
      case CLOSE_OBJECT:
      case CLOSE_ARRAY: {
        if (depth === 0) return null;
        const open = c === CLOSE_OBJECT ? OPEN_OBJECT : OPEN_ARRAY;
        if (kinds[depth - 1] !== open) return null;
        if (depth === target) {
          // The last element, unless the array is empty (only whitespace between the brackets).
          if (location!.bounds.length > 0 || !isBlank(bytes, elementStart, i))
            location!.bounds.push(elementStart, i);
          location!.close = i;
          target = -1;
        }
        depth--;
        break;
      }
      default:
        break;
    }
  }
  if (depth !== 0 || location === null || location.close < 0) return null;
  return location;
}

/**
 * Parses `bytes` (UTF-8 JSON) with the array at `path` read element by element
 * through `mapElement`; null when that is not possible (see the module comment):
 * parse the body whole then.
 */
export function parseSplitting(
  bytes: Buffer,
  path: readonly string[],
  mapElement: (element: unknown) => unknown,
): { json: unknown } | null {
  const location = locateArray(bytes, path);
  if (!location) return null;
  let json: unknown;
  try {
    json = JSON.parse(
      bytes.toString('utf8', 0, location.open + 1) + bytes.toString('utf8', location.close),
    );
  } catch {
    return null;
  }
  // The placeholder left where the array was: the parent object and key, checked.
  let parent: unknown = json;
  for (const key of path.slice(0, -1)) parent = isPlainObject(parent) ? parent[key] : undefined;
  const last = path[path.length - 1]!;
  if (!isPlainObject(parent)) return null;
  const placeholder = parent[last];
  if (!Array.isArray(placeholder) || placeholder.length !== 0) return null;

  const { bounds } = location;
  const out = new Array<unknown>(bounds.length / 2);
  for (let i = 0; i < bounds.length; i += 2) {
    let element: unknown;
    try {
      element = JSON.parse(bytes.toString('utf8', bounds[i], bounds[i + 1]));
    } catch {
      return null;
    }
    const mapped = mapElement(element);
    if (mapped === REJECT) return null;
    out[i / 2] = mapped;
  }
  parent[last] = out;
  return { json };
}

function isBlank(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = bytes[i]!;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false;
  }
  return true;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
