import { formatUsd } from '../../../shared/money';

export function Money({ cents, className }: { cents: number; className?: string }) {
  return <span className={`money${className ? ` ${className}` : ''}`}>{formatUsd(cents)}</span>;
}
