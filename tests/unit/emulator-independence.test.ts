import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * The emulator is the tests' independent ground truth: it may use Node and npm
 * packages but no project code outside emulator/ (eslint.config.mjs says the same
 * for shared/ and electron/; this also catches require(), import() and any other folder).
 */

const EMULATOR = resolve(__dirname, '../../emulator');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every module specifier in static imports/exports, import() and require(). */
function specifiers(text: string): string[] {
  const found: string[] = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;
  for (const match of text.matchAll(pattern)) found.push(match[1]!);
  return found;
}

function escapesEmulator(file: string, specifier: string): boolean {
  if (!specifier.startsWith('.')) return false; // a Node built-in or an npm package
  const target = relative(EMULATOR, resolve(dirname(file), specifier));
  return target === '..' || target.startsWith(`..${sep}`);
}

describe('emulator independence', () => {
  it('finds the relative imports it checks', () => {
    expect(
      specifiers(`import { a } from '../x';\nexport * from "./y";\nrequire('../../z');`),
    ).toEqual(['../x', './y', '../../z']);
    expect(escapesEmulator(join(EMULATOR, 'sell', 'a.ts'), '../../shared/api')).toBe(true);
    expect(escapesEmulator(join(EMULATOR, 'sell', 'a.ts'), '../api/games')).toBe(false);
  });

  it('imports nothing from outside emulator/', () => {
    const files = sourceFiles(EMULATOR);
    expect(files.length).toBeGreaterThan(20);
    const outside = files.flatMap((file) =>
      specifiers(readFileSync(file, 'utf8'))
        .filter((specifier) => escapesEmulator(file, specifier))
        .map((specifier) => `${relative(EMULATOR, file)} → ${specifier}`),
    );
    expect(outside).toEqual([]);
  });
});
