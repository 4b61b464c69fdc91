// Small test actions for the engine tests, and the gates that let a test hold a handler until it says so.
import { z } from 'zod';
import { defineAction } from '../../src/actions/define.js';
import { ActionError } from '../../src/errors.js';
import { deferred } from './helpers.js';

/** Returns its data (or, without data, its input). */
export const echo = defineAction({
  name: 't.echo',
  description: 'returns its data, or its input when it has no data',
  run: ({ data, input }) => (data === undefined ? input : data),
});

/** Records what it was called with, per node id. */
export function recorder() {
  const calls: { nodeId: string; data: unknown; input: unknown; attempt: number; key: string; outgoing: unknown[] }[] = [];
  const action = defineAction({
    name: 't.record',
    description: 'records its calls',
    run: ({ data, input, node, run }) => {
      calls.push({ nodeId: node.id, data, input, attempt: run.attempt, key: run.idempotencyKey, outgoing: node.outgoing });
      return data === undefined ? { from: node.id } : data;
    },
  });
  return { action, calls };
}

/** Fails with the code in its data; `retryable` from data; succeeds from attempt `succeedOn` when given. */
export const flaky = defineAction({
  name: 't.flaky',
  description: 'fails until an attempt',
  data: z.object({ code: z.string().default('BOOM'), retryable: z.boolean().default(true), succeedOn: z.number().optional() }),
  run: ({ data, run }) => {
    if (data.succeedOn !== undefined && run.attempt >= data.succeedOn) return { attempt: run.attempt };
    throw new ActionError(data.code, `failed on attempt ${run.attempt}`, { retryable: data.retryable });
  },
});

/** Holds each node until the test opens its gate; honours its abort signal. */
export function gated() {
  const gates = new Map<string, ReturnType<typeof deferred<unknown>>>();
  const started: string[] = [];
  const aborted: string[] = [];
  let running = 0;
  let maxRunning = 0;
  const gate = (nodeId: string) => {
    let g = gates.get(nodeId);
    if (!g) {
      g = deferred<unknown>();
      gates.set(nodeId, g);
    }
    return g;
  };
  const action = defineAction({
    name: 't.gate',
    description: 'waits for its gate',
    run: async ({ node, signal }) => {
      started.push(node.id);
      running++;
      maxRunning = Math.max(maxRunning, running);
      try {
        return await new Promise((resolve, reject) => {
          signal.addEventListener('abort', () => {
            aborted.push(node.id);
            reject(signal.reason);
          });
          gate(node.id).promise.then(resolve, reject);
        });
      } finally {
        running--;
      }
    },
  });
  return {
    action,
    started,
    aborted,
    open: (nodeId: string, value: unknown = { opened: nodeId }) => gate(nodeId).resolve(value),
    fail: (nodeId: string, error: unknown) => gate(nodeId).reject(error),
    get maxRunning() {
      return maxRunning;
    },
  };
}

/** A handler that ignores its signal and never settles. */
export const stuck = defineAction({
  name: 't.stuck',
  description: 'never finishes and ignores its signal',
  run: () => new Promise(() => undefined),
});

/** Asks the question in its data and returns the answer. */
export const asker = defineAction({
  name: 't.ask',
  description: 'asks a question',
  data: z.object({
    kind: z.enum(['text', 'confirm', 'edit', 'choice']).default('text'),
    message: z.string().default('what?'),
    default: z.union([z.string(), z.boolean()]).optional(),
    choices: z.array(z.object({ value: z.string(), label: z.string().optional() })).optional(),
    twice: z.boolean().default(false),
  }).prefault({}),
  run: async ({ data, io }) => {
    const request = { kind: data.kind, message: data.message, ...(data.default === undefined ? {} : { default: data.default }), ...(data.choices ? { choices: data.choices } : {}) };
    const first = await io.ask(request);
    if (!data.twice) return { answer: first };
    const second = await io.ask({ ...request, message: `${data.message} (again)` });
    return { answer: first, second };
  },
});

/** Typed schemas, to test validation of data, input and output. */
export const typed = defineAction({
  name: 't.typed',
  description: 'checks its data, input and output',
  data: z.object({ n: z.number(), out: z.unknown().optional() }),
  input: z.object({ ok: z.boolean() }).optional(),
  output: z.object({ result: z.number() }),
  run: ({ data }) => (data.out === undefined ? { result: data.n } : data.out) as { result: number },
});

/** Uses a secret and leaks it everywhere it can, so the test can check redaction. */
export const leaky = defineAction({
  name: 't.leaky',
  description: 'uses a secret',
  secrets: ['LEAKY_TOKEN'],
  effects: 'read',
  output: z.object({ echoed: z.string() }),
  run: ({ secrets, log, data }) => {
    log.info(`using token ${secrets.LEAKY_TOKEN}`, { token: secrets.LEAKY_TOKEN });
    if (data === 'fail') throw new ActionError('LEAK', `bad token ${secrets.LEAKY_TOKEN}`, { retryable: false });
    return { echoed: `token=${secrets.LEAKY_TOKEN}` };
  },
});

/** An effectful action whose calls are counted, for dry runs. */
export function writer() {
  let calls = 0;
  const action = defineAction({
    name: 't.write',
    description: 'writes to the world',
    effects: 'write',
    secrets: ['WRITE_TOKEN'],
    data: z.object({ text: z.string() }),
    output: z.object({ id: z.string(), count: z.number().int().gte(1) }),
    run: () => {
      calls++;
      return { id: 'real', count: 1 };
    },
  });
  return {
    action,
    get calls() {
      return calls;
    },
  };
}
