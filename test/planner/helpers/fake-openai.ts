// A scripted OpenAI-compatible server on 127.0.0.1 (port 0) for planner tests: POST /v1/chat/completions answers
// from a script (content, HTTP errors, hangs, dropped connections) and records every request it received.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: {
    model?: string;
    messages?: { role: string; content: string }[];
    response_format?: { type: string; json_schema?: { name: string; schema: unknown; strict?: boolean } };
    [key: string]: unknown;
  };
}

export type Step =
  /** 200 with this message content (an object is sent as JSON text). */
  | { content: string | object; usage?: { prompt_tokens: number; completion_tokens: number }; finishReason?: string }
  /** An HTTP error with an OpenAI-style body. */
  | { status: number; message?: string; headers?: Record<string, string> }
  /** Never answers (until the client gives up or the server closes). */
  | { hang: true }
  /** Drops the connection without an answer. */
  | { destroy: true };

export type Script = Step[] | ((request: RecordedRequest, index: number) => Step);

export interface FakeOpenAI {
  /** The base URL to configure: http://127.0.0.1:<port>/v1 */
  baseURL: string;
  requests: RecordedRequest[];
  /** Resolves when the n-th request (1-based) has arrived. */
  received(n: number): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeOpenAI(script: Script): Promise<FakeOpenAI> {
  const requests: RecordedRequest[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    void handle(req, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    const recorded: RecordedRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body: text ? (JSON.parse(text) as RecordedRequest['body']) : {},
    };
    requests.push(recorded);
    for (const waiter of waiters.filter((w) => w.n <= requests.length)) waiter.resolve();
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      send(res, 404, { error: { message: `no route ${req.method} ${req.url}` } });
      return;
    }
    const index = requests.length - 1;
    const step = typeof script === 'function' ? script(recorded, index) : script[index];
    if (!step) {
      send(res, 500, { error: { message: `the test script has no step ${index}` } });
      return;
    }
    if ('hang' in step) return;
    if ('destroy' in step) {
      req.socket.destroy();
      return;
    }
    if ('status' in step) {
      send(res, step.status, { error: { message: step.message ?? `status ${step.status}`, type: 'test' } }, step.headers);
      return;
    }
    const content = typeof step.content === 'string' ? step.content : JSON.stringify(step.content);
    send(res, 200, {
      id: `chatcmpl-${index}`,
      object: 'chat.completion',
      created: 0,
      model: recorded.body.model ?? 'test',
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: step.finishReason ?? 'stop' }],
      usage: {
        prompt_tokens: step.usage?.prompt_tokens ?? 100,
        completion_tokens: step.usage?.completion_tokens ?? 20,
        total_tokens: (step.usage?.prompt_tokens ?? 100) + (step.usage?.completion_tokens ?? 20),
      },
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    received: (n) =>
      new Promise((resolve) => {
        if (requests.length >= n) resolve();
        else waiters.push({ n, resolve });
      }),
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** A port that was open a moment ago and is closed now: connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
