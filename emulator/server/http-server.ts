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
    try {
      const ctx = await readRequest(req);
      if (!ctx) {
        req.socket.destroy();
        return;
      }
      reply = await app(ctx);
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
    write(res, reply, requestId);
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

async function readRequest(req: IncomingMessage): Promise<RequestContext | undefined> {
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

function write(res: ServerResponse, reply: Reply, requestId: string): void {
  switch (reply.kind) {
    case 'reset':
      res.socket?.destroy();
      return;
    case 'hang':
      return;
    case 'raw':
      send(res, reply.status, reply.contentType, reply.body, {});
      return;
    case 'ok':
      send(
        res,
        200,
        'application/json; charset=utf-8',
        JSON.stringify({ requestId, success: true, data: reply.data }),
        {
          'x-request-id': requestId,
          ...reply.headers,
        },
      );
      return;
    case 'error':
      send(
        res,
        reply.status,
        'application/json; charset=utf-8',
        JSON.stringify({ requestId, success: false, error: reply.error }),
        { 'x-request-id': requestId, ...reply.headers },
      );
      return;
  }
}

function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headers: Record<string, string>,
): void {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}
