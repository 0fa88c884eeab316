import { describe, expect, it } from 'vitest';
import { numberProblem } from './number-problem';

const units = { min: 1, max: 202, scale: 1, boundHint: 'the units left in the stack' };
const percent = { min: 0, max: 100, scale: 100 };

describe('numberProblem: the bound is said, the number never changed', () => {
  it.each<[string, typeof units | typeof percent, string | null]>([
    ['1', units, null],
    ['202', units, null],
    ['300', units, 'At most 202 — the units left in the stack.'],
    ['0', units, 'At least 1.'],
    ['2.5', units, 'Whole units only.'],
    ['', units, 'Enter a number from 1 to 202.'],
    ['abc', units, 'Enter a number from 1 to 202.'],
    ['2.5', percent, null],
    ['0.05', percent, null],
    ['0.125', percent, 'Use at most 2 decimals.'],
    ['101', percent, 'At most 100.'],
    ['-1', percent, 'At least 0.'],
  ])('%j → %j', (text, rules, problem) => {
    expect(numberProblem(text, rules)).toBe(problem);
  });
});
