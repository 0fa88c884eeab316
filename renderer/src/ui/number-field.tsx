import { useEffect, useState } from 'react';

/**
 * A number input that lets the trader clear and retype: the text is local and
 * only a valid value (within min..max) is committed.
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
}) {
  const [text, setText] = useState(String(value / scale));
  const [focused, setFocused] = useState(false);
  useEffect(() => {
    if (!focused) setText(String(value / scale));
  }, [value, scale, focused]);
  const parsed = Number(text);
  const valid = text.trim() !== '' && Number.isFinite(parsed) && parsed >= min && parsed <= max;
  return (
    <input
      type="number"
      className={className}
      min={min}
      max={max}
      step={step}
      value={text}
      disabled={disabled}
      aria-label={label}
      aria-invalid={!valid}
      data-testid={testId}
      onFocus={() => setFocused(true)}
      onBlur={() => {
        setFocused(false);
        setText(String(value / scale));
      }}
      onChange={(e) => {
        setText(e.target.value);
        const n = Number(e.target.value);
        if (e.target.value.trim() !== '' && Number.isFinite(n) && n >= min && n <= max) {
          onCommit(Math.round(n * scale));
        }
      }}
    />
  );
}
