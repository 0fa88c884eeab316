import { describe, expect, it } from 'vitest';
import {
  locateArray,
  parseSplitting,
  REJECT,
} from '../../electron/main/services/assetpay/split-json';

const PATH = ['data', 'inventory'];
const identity = (value: unknown) => value;

/** What parseSplitting gives for this text with identity elements: the parsed value, or null. */
function split(text: string, path: readonly string[] = PATH): unknown {
  const result = parseSplitting(Buffer.from(text, 'utf8'), path, identity);
  return result === null ? null : result.json;
}

function wholeOrInvalid(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return 'invalid';
  }
}

describe('parseSplitting', () => {
  it('equals JSON.parse of the whole body whenever it splits', () => {
    const texts = [
      '{"data":{"inventory":[]}}',
      ' { "data" : { "inventory" : [ ] } } ',
      '{"data":{"inventory":[1,"two",{"three":[3]},[4,[5]],null,true,-6.5e2]}}',
      '{"requestId":"r","success":true,"data":{"inventory":[{"id":"a"},{"id":"b"}],"count":2,"updatedAt":"t"}}',
      // Brackets, commas, quotes and escapes inside strings, keys named like the path elsewhere.
      '{"x":"\\"data\\":{\\"inventory\\":[1]}","data":{"a":[{"inventory":[9]}],"inventory":[{"s":"],[{\\"\\\\"},{"t":"\\\\"},[1,[2]]]}}',
      // Multi-byte UTF-8 (★, é, an astral emoji) and \u escapes in values.
      '{"data":{"inventory":[{"name":"★ Karambit | Fade","n":"caf\\u00e9 😀"},"é"]}}',
      '{"data":{"inventory":[\n  {"id": "x"},\n  {"id": "y"}\n]},"after":{"inventory":[0]}}',
    ];
    for (const text of texts) expect(split(text), text).toEqual(JSON.parse(text));
  });

  it('locates the elements by byte offsets', () => {
    const text = '{"data":{"inventory":[1, "★" ,{"a":[2,3]}]}}';
    const bytes = Buffer.from(text, 'utf8');
    const location = locateArray(bytes, PATH)!;
    const pieces: string[] = [];
    for (let i = 0; i < location.bounds.length; i += 2)
      pieces.push(bytes.toString('utf8', location.bounds[i], location.bounds[i + 1]));
    expect(pieces.map((p) => p.trim())).toEqual(['1', '"★"', '{"a":[2,3]}']);
    expect(bytes[location.open]).toBe(0x5b);
    expect(bytes[location.close]).toBe(0x5d);
  });

  it('gives up (null) when the array is absent, ambiguous or the body is not JSON', () => {
    const texts = [
      '{"data":{"inventory":{"a":1}}}', // not an array
      '{"data":[{"inventory":[1]}]}', // data is not an object
      '[{"data":{"inventory":[1,2]}}]', // the top is not an object
      '{"data":{"items":[1]}}', // no such key
      '{"data":{"inventory":[1,2],"inventory":[3]}}', // duplicate key: JSON.parse keeps the last
      '{"data":{"inventory":[1]},"data":{"inventory":[2]}}',
      '{"data":{"invent\\u006fry":[1,2]}}', // escaped key on the path
      '{"d\\u0061ta":{"inventory":[1]}}',
      '{"data":{"inventory":[1,]}}', // trailing comma
      '{"data":{"inventory":[,1]}}',
      '{"data":{"inventory":[1 2]}}',
      '{"data":{"inventory":[1,2]}', // truncated
      '{"data":{"inventory":[1,2]}}}',
      '{"data":{"inventory":["unterminated]}}',
      '{"data":{"inventory":[1,2]]}}',
      '',
      '<html>502</html>',
    ];
    for (const text of texts) expect(split(text), text).toBeNull();
  });

  it('never gives a different value from JSON.parse (random documents and corruptions)', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const atoms = ['0', '-1.5', 'true', 'null', '"a,b"', '"[{]}"', '"\\"q\\\\"', '"★"', '"é"'];
    const value = (depth: number): string => {
      const r = random();
      if (depth > 3 || r < 0.4) return atoms[Math.floor(random() * atoms.length)]!;
      const n = Math.floor(random() * 4);
      if (r < 0.7) return `[${Array.from({ length: n }, () => value(depth + 1)).join(',')}]`;
      const keys = ['inventory', 'data', 'x', 'y,z', '"'];
      return `{${Array.from(
        { length: n },
        (_, i) => `${JSON.stringify(keys[(i + Math.floor(random() * 5)) % 5])}:${value(depth + 1)}`,
      ).join(',')}}`;
    };
    let splitCount = 0;
    for (let i = 0; i < 3_000; i++) {
      let text = `{"success":true,"data":{"inventory":[${Array.from(
        { length: Math.floor(random() * 5) },
        () => value(1),
      ).join(' , ')}],"count":1},"tail":${value(1)}}`;
      if (random() < 0.3) {
        // Corrupt one byte.
        const at = Math.floor(random() * text.length);
        const by = ['"', '\\', ',', '[', ']', '{', '}', ':', ' '][Math.floor(random() * 9)]!;
        text = text.slice(0, at) + by + text.slice(at + 1);
      }
      const result = split(text);
      if (result !== null) {
        splitCount++;
        expect(result, text).toEqual(wholeOrInvalid(text));
      }
    }
    expect(splitCount).toBeGreaterThan(1_000);
  });

  it('hands each element to mapElement in order and places what it returns', () => {
    const seen: unknown[] = [];
    const result = parseSplitting(
      Buffer.from('{"data":{"inventory":[{"n":1},{"n":2}]},"k":3}'),
      PATH,
      (element) => {
        seen.push(element);
        return { mapped: (element as { n: number }).n };
      },
    );
    expect(seen).toEqual([{ n: 1 }, { n: 2 }]);
    expect(result?.json).toEqual({ data: { inventory: [{ mapped: 1 }, { mapped: 2 }] }, k: 3 });
  });

  it('gives up when mapElement rejects an element', () => {
    const result = parseSplitting(Buffer.from('{"data":{"inventory":[1,2,3]}}'), PATH, (element) =>
      element === 2 ? REJECT : element,
    );
    expect(result).toBeNull();
  });
});
