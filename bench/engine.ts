// The engine under benchmark: no-op actions, the default concurrency, optionally with the journal on (in a temp
// project folder on the same disk as the OS temp dir, fdatasync on, as in a real run). A journaled run gets the
// workflow's file text, as `actiongraph run` does, unless the case measures a workflow built in code.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineAction } from '../src/actions/define.js';
import { ActionRegistry } from '../src/actions/registry.js';
import { startRun } from '../src/engine/index.js';
import type { Workflow } from '../src/graph/schema.js';

export function benchRegistry(): ActionRegistry {
  const registry = new ActionRegistry();
  registry.register(defineAction({ name: 'bench.noop', description: 'does nothing', run: () => undefined }));
  return registry;
}

export interface EngineRunStats {
  journal_writes?: number;
  journal_syncs?: number;
  journal_mb?: number;
}

/** Runs the workflow; with a journal, in `projectDir` (which the caller creates and removes outside the timing). */
export async function runEngine(
  workflow: Workflow,
  registry: ActionRegistry,
  options: { journal: boolean; projectDir?: string; workflowText?: string },
): Promise<EngineRunStats> {
  const handle = startRun({
    workflow,
    registry,
    projectDir: options.projectDir ?? os.tmpdir(),
    journal: options.journal,
    ...(options.workflowText === undefined ? {} : { workflowText: options.workflowText }),
  });
  const result = await handle.done;
  if (result.status !== 'succeeded' || result.counts.succeeded !== workflow.nodes.size) {
    throw new Error(`bench run ended ${result.status} with ${result.counts.succeeded} of ${workflow.nodes.size} nodes succeeded`);
  }
  const stats = handle.journalStats;
  if (!stats) return {};
  return { journal_writes: stats.writes, journal_syncs: stats.syncs, journal_mb: Math.round((stats.bytes / 2 ** 20) * 10) / 10 };
}

export function benchProjectDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'actiongraph-bench-'));
}
