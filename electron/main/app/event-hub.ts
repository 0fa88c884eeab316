import type { z } from 'zod';
import { events, type EventName, type EventPayload } from '../../../shared/contract/contract';
import { issuePath } from '../../../shared/contract/issues';
import { silentLogger, type Logger } from '../services/log';

/** Receives every pushed event; `payload` has already been parsed with `events[event].payload`. */
export type EventListener = (event: EventName, payload: unknown) => void;

/**
 * Main → renderer pushes. Every payload is parsed with its `events` schema
 * before any subscriber sees it (a bad payload is logged and dropped), so the
 * transports only forward what the contract allows. Transports subscribe with
 * `subscribe`; a throwing subscriber cannot break the others.
 */
export class EventHub {
  private readonly listeners = new Set<EventListener>();
  private readonly logger: Logger;
  private closed = false;

  constructor(options: { logger?: Logger } = {}) {
    this.logger = options.logger ?? silentLogger;
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Subscribes to one event only. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.subscribe((name: EventName, payload: unknown) => {
      if (name === event) listener(payload as EventPayload<E>);
    });
  }

  /** Validates and pushes; returns false when the payload was refused. */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): boolean {
    if (this.closed) return false;
    if (!Object.prototype.hasOwnProperty.call(events, event)) {
      this.logger.error('unknown push event refused', { event: String(event) });
      return false;
    }
    const parsed = (events[event].payload as z.ZodType).safeParse(payload);
    if (!parsed.success) {
      this.logger.error('push event failed its contract schema', {
        event,
        issues: parsed.error.issues
          .slice(0, 5)
          .map((issue) => ({ path: issuePath(issue), message: issue.message })),
      });
      return false;
    }
    for (const listener of [...this.listeners]) {
      try {
        listener(event, parsed.data);
      } catch (error) {
        this.logger.warn('event subscriber threw', { event, error });
      }
    }
    return true;
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }

  /** Stops delivery (shutdown); later emits are dropped. */
  close(): void {
    this.closed = true;
    this.listeners.clear();
  }
}
