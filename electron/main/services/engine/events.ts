/** What the engine tells the app (the IPC layer maps these onto the contract's push events). */
export type EngineEvent =
  | { type: 'batch-updated'; runId: string; batchId: string }
  | { type: 'run-progress'; runId: string }
  | { type: 'trade-updated'; runId: string; tradeId: string }
  | { type: 'attention'; runId: string; title: string; body: string };

export type EngineEventSink = (event: EngineEvent) => void;

/** Coalescing key: one stream per batch, per run, per trade, per run's attention title. */
export function eventKey(e: EngineEvent): string {
  switch (e.type) {
    case 'batch-updated':
      return `b:${e.batchId}`;
    case 'run-progress':
      return `r:${e.runId}`;
    case 'trade-updated':
      return `t:${e.tradeId}`;
    case 'attention':
      return `a:${e.runId}:${e.title}`;
  }
}
