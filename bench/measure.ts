// One measurement in a fresh process (so peak memory is this measurement's): `tsx bench/measure.ts <impl> <case>`.
// Warms the implementation up on a small graph of the same shape, then times the case a few times (one run for
// LangGraph) and prints the fastest as one JSON line.
import { benchWorkflow, findCase, type BenchCase } from './graphs.js';
import fs from 'node:fs';
import { benchProjectDir, benchRegistry, runEngine, type EngineRunStats } from './engine.js';
import { runFloor } from './floor.js';
import { runLangGraph } from './langgraph.js';
import { DEFAULT_CONCURRENCY } from '../src/engine/index.js';
import { serializeWorkflow } from '../src/graph/parse.js';

/**
 * `actiongraph+journal` runs as `actiongraph run` does: the workflow came from a file, whose text becomes the run's
 * copy. `actiongraph+journal+serialize` runs a workflow built in code: the copy is serialized first.
 */
export type Impl = 'actiongraph' | 'actiongraph+journal' | 'actiongraph+journal+serialize' | 'floor' | 'langgraph';

async function once(impl: Impl, c: BenchCase): Promise<{ ms: number; stats: EngineRunStats }> {
  const registry = benchRegistry();
  const workflow = impl === 'langgraph' ? undefined : benchWorkflow(c);
  const journal = impl === 'actiongraph+journal' || impl === 'actiongraph+journal+serialize';
  const projectDir = journal ? benchProjectDir() : undefined;
  // The file's text is read before the clock starts, as the CLI reads it before it starts the run.
  const workflowText = impl === 'actiongraph+journal' ? serializeWorkflow(workflow!, { compact: true }) : undefined;
  const started = performance.now();
  let stats: EngineRunStats = {};
  if (impl === 'actiongraph' || journal) {
    stats = await runEngine(workflow!, registry, { journal, ...(projectDir ? { projectDir } : {}), ...(workflowText === undefined ? {} : { workflowText }) });
  } else if (impl === 'floor') {
    await runFloor(workflow!, () => undefined, DEFAULT_CONCURRENCY);
  } else {
    await runLangGraph(c);
  }
  const ms = performance.now() - started;
  if (projectDir) fs.rmSync(projectDir, { recursive: true, force: true });
  return { ms, stats };
}

async function main(): Promise<void> {
  const [impl, caseName] = process.argv.slice(2) as [Impl, string];
  const c = findCase(caseName);
  if (!c) throw new Error(`unknown case ${caseName}`);
  // Warm-up: the same shape, small, so the JIT has compiled the hot path before the clock starts.
  const warm: BenchCase = { name: 'warmup', nodes: Math.min(c.nodes, impl === 'langgraph' ? 100 : 2_000), width: Math.min(c.width, 100) };
  for (let k = 0; k < (impl === 'langgraph' ? 1 : 3); k++) await once(impl, warm);
  // The fastest of a few runs: this machine is shared, and noise only ever adds time.
  const repeats = impl === 'langgraph' ? 1 : c.nodes <= 10_000 ? 7 : 3;
  const runs: { ms: number; stats: EngineRunStats }[] = [];
  for (let k = 0; k < repeats; k++) runs.push(await once(impl, c));
  runs.sort((a, b) => a.ms - b.ms);
  const best = runs[0]!;
  const row = {
    case: c.name,
    nodes: c.nodes,
    impl,
    us_per_node: Math.round(((best.ms * 1000) / c.nodes) * 100) / 100,
    peak_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    ...best.stats,
  };
  process.stdout.write(`${JSON.stringify(row)}\n`);
}

await main();
