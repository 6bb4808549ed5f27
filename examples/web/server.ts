import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRuntime, models, type Runtime } from 'hotpath';
import { page } from './page';
import { createChatRoute } from './route';

/** A running example server. */
export interface WebServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves the page at `/` and the chat route at `POST /api/chat` with `node:http`, turning each
 * request into a web `Request` and piping the `Response` back. When the browser goes away, the
 * request's signal aborts and the body is cancelled: the run stops and closes its model calls.
 */
export async function startWebServer(options: {
  runtime: Runtime;
  port?: number;
  host?: string;
}): Promise<WebServer> {
  const route = createChatRoute(options.runtime);
  const server = createServer((req, res) => {
    handle(req, res, route).catch((error) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  route: (request: Request) => Promise<Response>,
): Promise<void> {
  if (req.method === 'GET' && req.url === '/') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page);
    return;
  }
  if (req.method !== 'POST' || req.url !== '/api/chat') {
    res.writeHead(404).end();
    return;
  }
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort(new Error('the browser went away'));
  });
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const request = new Request(`http://${req.headers.host}${req.url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: Buffer.concat(chunks),
    signal: controller.signal,
  });
  const response = await route(request);
  res.writeHead(response.status, Object.fromEntries(response.headers));
  const reader = response.body!.getReader();
  controller.signal.addEventListener('abort', () => reader.cancel(controller.signal.reason), {
    once: true,
  });
  for (;;) {
    const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
    if (done) break;
    res.write(value);
  }
  res.end();
}

// `npx tsx examples/web/server.ts`: the page on http://127.0.0.1:3000, on the emulator without keys.
if (import.meta.url === `file://${process.argv[1]}`) {
  const runtime = createRuntime({ models: models.fromEnv() });
  const server = await startWebServer({ runtime, port: 3000 });
  console.log(`open ${server.url}`);
}
