// Test helpers for the engine: workflows from plain objects, registries of small test actions, event capture.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AnyActionDefinition } from '../../src/actions/define.js';
import { ActionRegistry } from '../../src/actions/registry.js';
import type { RunEvent, RunHandle } from '../../src/engine/index.js';
import type { Workflow, WorkflowEdge, WorkflowNode } from '../../src/graph/schema.js';

export function workflow(nodes: Record<string, WorkflowNode> | [string, WorkflowNode][], edges: WorkflowEdge[] = [], name?: string): Workflow {
  const entries = Array.isArray(nodes) ? nodes : Object.entries(nodes);
  const wf: Workflow = { nodes: new Map(entries), edges, extra: new Map() };
  if (name !== undefined) wf.name = name;
  return wf;
}

/** A chain 1 -> 2 -> ... -> n of one action. */
export function chain(n: number, action: string): Workflow {
  const nodes: [string, WorkflowNode][] = [];
  const edges: WorkflowEdge[] = [];
  for (let i = 1; i <= n; i++) {
    nodes.push([String(i), { action }]);
    if (i > 1) edges.push({ from: String(i - 1), to: String(i) });
  }
  return workflow(nodes, edges);
}

export function registryOf(...definitions: AnyActionDefinition[]): ActionRegistry {
  const registry = new ActionRegistry();
  for (const definition of definitions) registry.register(definition, 'test');
  return registry;
}

/** Collects every event of a run (subscribe right after startRun, before any await). */
export function record(handle: RunHandle): RunEvent[] {
  const events: RunEvent[] = [];
  handle.subscribe((event) => events.push(event));
  return events;
}

export function ofType<T extends RunEvent['type']>(events: RunEvent[], type: T): Extract<RunEvent, { type: T }>[] {
  return events.filter((event): event is Extract<RunEvent, { type: T }> => event.type === type);
}

export function tempDir(prefix = 'actiongraph-engine-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** A promise with its resolve, for handlers that wait until a test lets them go. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

// Captured at load, before a test fakes timers, so flush() still reaches the event loop under fake timers.
const realSetImmediate = setImmediate;

/** Lets queued promise callbacks run (a few turns of the microtask queue and one macrotask). */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
  await new Promise((resolve) => realSetImmediate(resolve));
}
