import type { BatchState, RunState, TradeStatus } from '../../../shared/domain';

export type Tone = 'ok' | 'warn' | 'err' | 'info' | 'neutral' | 'busy';

const TRADE_TONE: Record<TradeStatus, Tone> = {
  initiated: 'neutral',
  pending: 'info',
  // The offer waits for the trader to accept it in Steam.
  active: 'warn',
  hold: 'info',
  completed: 'ok',
  declined: 'err',
  failed: 'err',
  canceled: 'err',
  reverted: 'err',
};

const BATCH_TONE: Record<BatchState, Tone> = {
  draft: 'neutral',
  queued: 'neutral',
  sending: 'busy',
  unknown: 'warn',
  created: 'info',
  tracking: 'info',
  settled: 'ok',
  'needs-review': 'warn',
  blocked: 'err',
  skipped: 'neutral',
  canceled: 'neutral',
};

const BATCH_LABEL: Partial<Record<BatchState, string>> = {
  unknown: 'checking outcome',
  'needs-review': 'needs review',
};

const RUN_TONE: Record<RunState, Tone> = {
  armed: 'info',
  running: 'busy',
  paused: 'neutral',
  waiting: 'warn',
  attention: 'warn',
  finished: 'ok',
  canceled: 'neutral',
};

const PLAN_TONE: Record<string, Tone> = {
  draft: 'neutral',
  armed: 'info',
  submitted: 'ok',
  archived: 'neutral',
};

export function Chip({ tone, children, title }: { tone: Tone; children: string; title?: string }) {
  return (
    <span className={`chip chip-${tone}`} title={title}>
      {children}
    </span>
  );
}

export function TradeChip({ status }: { status: TradeStatus }) {
  return <Chip tone={TRADE_TONE[status]}>{status}</Chip>;
}

export function BatchChip({ state }: { state: BatchState }) {
  return <Chip tone={BATCH_TONE[state]}>{BATCH_LABEL[state] ?? state}</Chip>;
}

export function RunChip({ state }: { state: RunState }) {
  return <Chip tone={RUN_TONE[state]}>{state}</Chip>;
}

export function PlanChip({ status }: { status: string }) {
  return <Chip tone={PLAN_TONE[status] ?? 'neutral'}>{status}</Chip>;
}

export function tradeTone(status: TradeStatus): Tone {
  return TRADE_TONE[status];
}
