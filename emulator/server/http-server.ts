import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Reply } from '../envelope';
import type { RequestContext } from './context';

/*
 * node:http plumbing only: read the body, hand a RequestContext to the app,
 * render its Reply, and keep track of sockets and timers so stop() can tear
 * everything down at once (hung responses included).
 */

const MAX_BODY_BYTES = 8 * 1024 * 1024;

export type App = (ctx: RequestContext) => Reply | Promise<Reply>;

export interface RunningServer {
  port: number;
  /** Resolves after `ms` unless the server stops first (then never: the request is abandoned). */
  sleep(ms: number): Promise<void>;
  stop(): Promise<void>;
}

export async function listen(app: App, host: string, port: number): Promise<RunningServer> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  const server: Server = createServer((req, res) => {
    void serve(req, res);
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let reply: Reply;
    const requestId = randomUUID();
    const receivedAt = performance.now();
    let answerNotBefore: number | undefined;
    try {
      const ctx = await readRequest(req, receivedAt);
      if (!ctx) {
        req.socket.destroy();
        return;
      }
      reply = await app(ctx);
      answerNotBefore = ctx.answerNotBefore;
    } catch (error) {
      process.stderr.write(
        `emulator: request failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      reply = {
        kind: 'error',
        status: 500,
        error: { code: 1006, key: 'SERVER_ERROR', message: 'Internal server error' },
      };
    }
    if (stopped || res.destroyed) return;
    const answer = render(reply, requestId);
    const wait = answerNotBefore === undefined ? 0 : answerNotBefore - performance.now();
    if (wait > 0) await sleep(wait);
    if (stopped || res.destroyed) return;
    write(res, answer);
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (stopped) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string')
    throw new Error('emulator: unexpected listen address');

  return {
    port: address.port,
    sleep,
    stop: () => {
      if (stopped) return Promise.resolve();
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      return closed;
    },
  };
}

async function readRequest(
  req: IncomingMessage,
  receivedAt: number,
): Promise<RequestContext | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  const rawBody = Buffer.concat(chunks).toString('utf8');
  const url = new URL(req.url ?? '/', 'http://emulator.local');
  const ctx: RequestContext = {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    rawBody,
    body: undefined,
    remoteAddress: req.socket.remoteAddress,
    receivedAt,
  };
  if (rawBody.trim() !== '') {
    try {
      ctx.body = JSON.parse(rawBody);
    } catch {
      ctx.bodyError = 'body is not valid JSON';
    }
  }
  return ctx;
}

/** What goes on the wire for a reply, rendered before any held-back answer waits. */
type Answer =
  | { kind: 'reset' | 'hang' }
  | {
      kind: 'send';
      status: number;
      contentType: string;
      body: Buffer;
      headers: Record<string, string>;
    };

const JSON_TYPE = 'application/json; charset=utf-8';

function render(reply: Reply, requestId: string): Answer {
  switch (reply.kind) {
    case 'reset':
    case 'hang':
      return { kind: reply.kind };
    case 'raw':
      return {
        kind: 'send',
        status: reply.status,
        contentType: reply.contentType,
        body: Buffer.from(reply.body),
        headers: {},
      };
    case 'ok':
      return {
        kind: 'send',
        status: 200,
        contentType: JSON_TYPE,
        body: Buffer.from(JSON.stringify({ requestId, success: true, data: reply.data })),
        headers: { 'x-request-id': requestId, ...reply.headers },
      };
    case 'error':
      return {
        kind: 'send',
        status: reply.status,
        contentType: JSON_TYPE,
        body: Buffer.from(JSON.stringify({ requestId, success: false, error: reply.error })),
        headers: { 'x-request-id': requestId, ...reply.headers },
      };
  }
}

function write(res: ServerResponse, answer: Answer): void {
  if (answer.kind === 'reset') res.socket?.destroy();
  else if (answer.kind === 'send')
    send(res, answer.status, answer.contentType, answer.body, answer.headers);
}

function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: Buffer,
  headers: Record<string, string>,
): void {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': body.length,
    ...headers,
  });
  res.end(body);
}
