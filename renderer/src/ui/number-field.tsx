import { useEffect, useRef, useState } from 'react';
import { numberProblem } from './number-problem';

/**
 * A number input that lets the trader clear and retype: the text is local and
 * only a valid value (within min..max, whole units or the allowed decimals) is
 * committed. An invalid value is never changed silently into a valid one: it
 * stays as typed and the field says its bound ("At most 202 — the whole
 * stack") until the trader corrects it or presses Escape; `onProblem` tells
 * the form (it is not saved while a field holds a value it cannot keep).
 */
export function NumberField({
  value,
  onCommit,
  min,
  max,
  step = 1,
  scale = 1,
  disabled,
  label,
  testId,
  className,
  boundHint,
  onProblem,
}: {
  value: number;
  onCommit: (value: number) => void;
  min: number;
  max: number;
  step?: number;
  /** Shown value = stored value / scale (basis points shown as percent: scale 100). */
  scale?: number;
  disabled?: boolean;
  label?: string;
  testId?: string;
  className?: string;
  /** Why the maximum is what it is, said with it (e.g. "the whole stack"). */
  boundHint?: string;
  /** The field's problem as it changes (null: it holds a valid value, or is gone). */
  onProblem?: (problem: string | null) => void;
}) {
  const [text, setText] = useState(String(value / scale));
  const focused = useRef(false);
  useEffect(() => {
    if (!focused.current) setText(String(value / scale));
  }, [value, scale]);
  const problem = numberProblem(text, { min, max, scale, boundHint });
  const report = useRef(onProblem);
  report.current = onProblem;
  useEffect(() => {
    report.current?.(problem);
    return () => report.current?.(null);
  }, [problem]);
  return (
    <span className={`number-field${className ? ` ${className}` : ''}`}>
      <input
        type="number"
        min={min}
        max={max}
        step={step}
        value={text}
        disabled={disabled}
        aria-label={label}
        aria-invalid={problem !== null}
        data-testid={testId}
        onFocus={() => (focused.current = true)}
        onBlur={() => {
          focused.current = false;
          // A valid entry is shown as stored; an invalid one stays, with its bound beside it.
          if (numberProblem(text, { min, max, scale }) === null) setText(String(value / scale));
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') setText(String(value / scale));
        }}
        onChange={(e) => {
          setText(e.target.value);
          if (numberProblem(e.target.value, { min, max, scale }) === null)
            onCommit(Math.round(Number(e.target.value) * scale));
        }}
      />
      {problem !== null && !disabled && (
        <small className="number-field-error field-error" role="alert">
          {problem}
        </small>
      )}
    </span>
  );
}
