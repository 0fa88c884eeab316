import type { z } from 'zod';
import { contract, type Handlers, type Method } from '../../../shared/contract/contract';
import { clip, issuePath, joinPath } from '../../../shared/contract/issues';
import { AppError, type IpcError, type IpcResult } from '../../../shared/contract/result';
import { silentLogger, type Logger } from '../services/log';

/*
 * The one place a request from the renderer becomes a handler call, whatever
 * carried it (Electron IPC in the app, the loopback WebSocket in the test
 * host). A compromised renderer is an attacker (design §7), so before a
 * handler runs the payload is: bounded (depth, node count, total string size),
 * made only of plain JSON-like values, free of prototype keys, and parsed with
 * the contract's strict schema. Whatever happens inside, the caller gets an
 * `IpcResult` — never a stack trace, never an exception.
 */

export type { Handlers };

export interface DispatcherOptions {
  logger?: Logger;
  /**
   * Parse every answer with the contract's response schema (strict objects:
   * a handler bug that adds a field is refused, not forwarded). On by
   * default; main may turn it off in packaged builds for the big list calls.
   */
  validateResponses?: boolean;
  /** Payload bounds; the defaults fit the largest legitimate request (a 20 MB import, a 100,000-item plan). */
  limits?: Partial<PayloadLimits>;
}

export interface PayloadLimits {
  maxDepth: number;
  maxNodes: number;
  /** Sum of all string lengths and object key lengths, in UTF-16 code units. */
  maxStringChars: number;
}

export const DEFAULT_PAYLOAD_LIMITS: PayloadLimits = {
  maxDepth: 16,
  maxNodes: 1_000_000,
  maxStringChars: 21 * 1024 * 1024,
};

export interface Dispatcher {
  dispatch(method: string, payload: unknown): Promise<IpcResult<unknown>>;
  /** The contract method for an IPC channel name (`settings:get` → `getSettings`), or null. */
  methodForChannel(channel: string): Method | null;
}

/** Keys that would reach an object's prototype chain if anything ever merged the payload. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const GENERIC_INTERNAL_MESSAGE =
  'Something went wrong inside the app. The details were written to the log.';

const channelToMethod: ReadonlyMap<string, Method> = new Map(
  (Object.keys(contract) as Method[]).map((method) => [contract[method].channel, method]),
);

export function isContractMethod(method: unknown): method is Method {
  return typeof method === 'string' && Object.prototype.hasOwnProperty.call(contract, method);
}

export function createDispatcher(handlers: Handlers, options: DispatcherOptions = {}): Dispatcher {
  const logger = options.logger ?? silentLogger;
  const validateResponses = options.validateResponses ?? true;
  const limits: PayloadLimits = { ...DEFAULT_PAYLOAD_LIMITS, ...options.limits };

  async function dispatch(method: string, payload: unknown): Promise<IpcResult<unknown>> {
    if (!isContractMethod(method)) {
      return fail('unknown-channel', `There is no method called "${clip(String(method), 80)}".`);
    }
    const shapeProblem = checkShape(payload === undefined ? {} : payload, limits);
    if (shapeProblem)
      return fail('invalid-request', `Invalid request for ${method}: ${shapeProblem}`);

    const entry = contract[method];
    const parsed = (entry.request as z.ZodType).safeParse(payload === undefined ? {} : payload);
    if (!parsed.success) {
      return fail(
        'invalid-request',
        `Invalid request for ${method}: ${describeIssue(parsed.error)}`,
        {
          field: issuePath(parsed.error.issues[0]),
        },
      );
    }

    let answer: unknown;
    try {
      const handler = handlers[method] as (request: unknown) => unknown;
      answer = await handler(parsed.data);
    } catch (error) {
      return fromError(method, error);
    }

    if (!validateResponses) return { ok: true, data: answer };
    const checked = (entry.response as z.ZodType).safeParse(answer);
    if (!checked.success) {
      // A handler bug: never forward the answer (it might carry a field that must not cross IPC).
      logger.error('ipc response failed its contract schema', {
        method,
        issues: checked.error.issues
          .slice(0, 5)
          .map((issue) => ({ path: issuePath(issue), message: issue.message })),
      });
      return fail('internal', GENERIC_INTERNAL_MESSAGE);
    }
    return { ok: true, data: checked.data };
  }

  function fromError(method: Method, error: unknown): IpcResult<never> {
    if (error instanceof AppError) {
      if (error.code === 'internal') logger.error('ipc handler failed', { method, error });
      return fail(error.code, error.message, error.details);
    }
    // Unexpected: log it (the logger redacts secrets) and answer with a generic message, no stack.
    logger.error('ipc handler threw', { method, error });
    return fail('internal', GENERIC_INTERNAL_MESSAGE);
  }

  return {
    dispatch,
    methodForChannel: (channel) => channelToMethod.get(channel) ?? null,
  };
}

function fail(
  code: IpcError['code'],
  message: string,
  details?: Record<string, unknown>,
): IpcResult<never> {
  return { ok: false, error: details ? { code, message, details } : { code, message } };
}

/**
 * Refuses what the schemas should never even see: cycles, absurd nesting or
 * size, non-plain objects (class instances, Maps, typed arrays that structured
 * clone lets through), functions, symbols, bigints and prototype keys.
 * Iterative, so a deeply nested payload cannot overflow the stack.
 */
export function checkShape(
  payload: unknown,
  limits: PayloadLimits = DEFAULT_PAYLOAD_LIMITS,
): string | null {
  let nodes = 0;
  let chars = 0;
  const stack: { value: unknown; depth: number; path: string }[] = [
    { value: payload, depth: 0, path: '' },
  ];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop()!;
    if (++nodes > limits.maxNodes) return 'the request is too large.';
    if (depth > limits.maxDepth) return `field "${path}" is nested too deeply.`;
    switch (typeof value) {
      case 'string':
        chars += value.length;
        if (chars > limits.maxStringChars) return 'the request is too large.';
        continue;
      case 'number':
      case 'boolean':
      case 'undefined':
        continue;
      case 'object':
        break;
      default:
        return `field "${path || '(request)'}" has an unsupported type (${typeof value}).`;
    }
    if (value === null) continue;
    if (seen.has(value)) return `field "${path || '(request)'}" refers to itself.`;
    seen.add(value);
    if (Array.isArray(value)) {
      if (value.length > limits.maxNodes) return 'the request is too large.';
      for (let i = value.length - 1; i >= 0; i--) {
        stack.push({ value: value[i], depth: depth + 1, path: joinPath(path, i) });
      }
      continue;
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      return `field "${path || '(request)'}" must be a plain object.`;
    }
    const keys = Reflect.ownKeys(value);
    for (const key of keys) {
      if (typeof key === 'symbol') return `field "${path || '(request)'}" has a symbol key.`;
      if (FORBIDDEN_KEYS.has(key))
        return `field "${joinPath(path, clip(key, 40))}" is not allowed.`;
      chars += key.length;
      if (chars > limits.maxStringChars) return 'the request is too large.';
    }
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i] as string;
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (descriptor && (descriptor.get || descriptor.set)) {
        return `field "${joinPath(path, clip(key, 40))}" must be a plain value.`;
      }
      stack.push({
        value: descriptor?.value,
        depth: depth + 1,
        path: joinPath(path, clip(key, 40)),
      });
    }
  }
  return null;
}

/** "items[3].amount: Too big: expected number to be <=10000" — names the first bad field, never echoes its value. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'the request does not match the contract.';
  const path = issuePath(issue);
  if (issue.code === 'unrecognized_keys') {
    const keys = (issue as { keys?: string[] }).keys ?? [];
    const first = clip(keys[0] ?? '?', 40);
    return `field "${joinPath(path, first)}" is not part of this request.`;
  }
  return `field "${path || '(request)'}": ${clip(issue.message, 200)}`;
}
