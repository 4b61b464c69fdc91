// The floor: the plainest promise-based scheduler that does the engine's job on the same Workflow object: number
// the nodes, start a node when its predecessors are done (at most `concurrency` at once), hand the handler its
// input (the predecessor's output, or an object keyed by predecessor id) and collect outputs. No validation,
// events, retries, timeouts, conditions or state machine: what is left is the cost of scheduling itself.
import type { Workflow } from '../src/graph/schema.js';

export type FloorHandler = (context: { data: unknown; input: unknown; signal: AbortSignal }) => unknown;

export async function runFloor(workflow: Workflow, handler: FloorHandler, concurrency: number): Promise<unknown[]> {
  const ids = [...workflow.nodes.keys()];
  const nodes = [...workflow.nodes.values()];
  const n = ids.length;
  const index = new Map<string, number>();
  for (let i = 0; i < n; i++) index.set(ids[i]!, i);
  const m = workflow.edges.length;
  const from = new Int32Array(m);
  const to = new Int32Array(m);
  const outStart = new Int32Array(n + 1);
  const inStart = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) {
    const edge = workflow.edges[e]!;
    from[e] = index.get(edge.from)!;
    to[e] = index.get(edge.to)!;
    outStart[from[e]! + 1]! += 1;
    inStart[to[e]! + 1]! += 1;
  }
  for (let i = 0; i < n; i++) {
    outStart[i + 1]! += outStart[i]!;
    inStart[i + 1]! += inStart[i]!;
  }
  const succ = new Int32Array(m);
  const pred = new Int32Array(m);
  const outFill = outStart.slice(0, n);
  const inFill = inStart.slice(0, n);
  for (let e = 0; e < m; e++) {
    succ[outFill[from[e]!]!++] = to[e]!;
    pred[inFill[to[e]!]!++] = from[e]!;
  }
  const remaining = new Int32Array(n);
  for (let i = 0; i < n; i++) remaining[i] = inStart[i + 1]! - inStart[i]!;
  const outputs = new Array<unknown>(n);
  const signal = new AbortController().signal;

  const inputOf = (i: number): unknown => {
    const a = inStart[i]!;
    const b = inStart[i + 1]!;
    if (a === b) return undefined;
    if (b - a === 1) return outputs[pred[a]!];
    const input = Object.create(null) as Record<string, unknown>;
    for (let k = a; k < b; k++) input[ids[pred[k]!]!] = outputs[pred[k]!];
    return input;
  };

  await new Promise<void>((resolve, reject) => {
    const ready: number[] = [];
    let running = 0;
    let done = 0;
    const start = (i: number): void => {
      running++;
      const run = async (): Promise<unknown> => handler({ data: nodes[i]!.data, input: inputOf(i), signal });
      run().then((output) => {
        outputs[i] = output;
        running--;
        done++;
        for (let k = outStart[i]!; k < outStart[i + 1]!; k++) {
          const j = succ[k]!;
          if (--remaining[j]! === 0) ready.push(j);
        }
        while (running < concurrency && ready.length > 0) start(ready.pop()!);
        if (done === n) resolve();
      }, reject);
    };
    for (let i = 0; i < n; i++) if (remaining[i] === 0) ready.push(i);
    while (running < concurrency && ready.length > 0) start(ready.pop()!);
    if (n === 0) resolve();
  });
  return outputs;
}
