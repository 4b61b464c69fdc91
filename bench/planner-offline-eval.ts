// How the offline planner does, measured (run: npx tsx bench/planner-offline-eval.ts [--verbose]):
// 1. the TaskBench dailylifeapis sample (/work/shared/reference/taskbench, or TASKBENCH_DIR): its 40 tools
//    registered as actions, each request planned offline, scored with node F1, edge F1, t-F1 and v-F1 exactly
//    as TaskBench's evaluate.py defines them;
// 2. the example workflows in graphs/: each one's description (node 1's data string when it has none) planned
//    with the project's registry and compared with the file (node and edge F1 on action names).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRegistry } from '../src/actions/loader.js';
import { ActionRegistry } from '../src/actions/registry.js';
import { parseWorkflow } from '../src/graph/parse.js';
import { type F1Score, pooledF1, taskbenchScores, workflowToTaskGraph } from '../src/planner/metrics.js';
import { OfflinePlanner } from '../src/planner/offline.js';
import { TASKBENCH_NAMESPACE, loadTaskbench, taskbenchActions } from '../src/planner/taskbench.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const verbose = process.argv.includes('--verbose');
const pct = (s: F1Score): string => `${(s.f1 * 100).toFixed(2)} (P ${(s.precision * 100).toFixed(1)} R ${(s.recall * 100).toFixed(1)})`;

async function taskbench(): Promise<void> {
  const dir = process.env.TASKBENCH_DIR ?? '/work/shared/reference/taskbench';
  const { tools, samples } = await loadTaskbench(dir);
  const registry = new ActionRegistry();
  for (const action of taskbenchActions(tools)) registry.register(action, 'taskbench');
  const planner = new OfflinePlanner(registry);
  const started = performance.now();
  const pairs = samples.map((sample) => {
    const predicted = workflowToTaskGraph(planner.plan(sample.request), TASKBENCH_NAMESPACE);
    if (verbose) {
      console.log(`${sample.type.padEnd(6)} ${sample.request}`);
      console.log(`       gold ${sample.gold.nodes.map((n) => n.task).join(' -> ')}`);
      console.log(`       plan ${predicted.nodes.map((n) => `${n.task}${JSON.stringify(Object.fromEntries(n.arguments.map((a) => [a.name, a.value])))}`).join(' -> ')}`);
    }
    return { gold: sample.gold, predicted, type: sample.type };
  });
  const elapsed = performance.now() - started;
  const names = tools.map((t) => t.id);
  const all = taskbenchScores(pairs, names);
  console.log(`TaskBench dailylifeapis sample: ${all.samples} requests planned offline in ${elapsed.toFixed(0)} ms`);
  console.log(`  node F1 ${pct(all.node)}`);
  console.log(`  edge F1 ${pct(all.edge)}`);
  console.log(`  t-F1    ${pct(all.argumentName)}`);
  console.log(`  v-F1    ${pct(all.argumentValue)}`);
  for (const type of ['single', 'chain', 'dag']) {
    const subset = pairs.filter((p) => p.type === type);
    if (subset.length === 0) continue;
    const s = taskbenchScores(subset, names);
    console.log(
      `  ${type.padEnd(6)} (${String(s.samples).padStart(3)}): node ${(s.node.f1 * 100).toFixed(1)}  edge ${(s.edge.f1 * 100).toFixed(1)}  t ${(s.argumentName.f1 * 100).toFixed(1)}  v ${(s.argumentValue.f1 * 100).toFixed(1)}`,
    );
  }
}

async function exampleGraphs(): Promise<void> {
  const { registry, problems } = await createRegistry({ projectDir: root, dirs: [], packages: [] });
  for (const problem of problems) console.log(`  (plugin problem: ${problem.message})`);
  const planner = new OfflinePlanner(registry);
  const dir = path.join(root, 'graphs');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  const nodes: { gold: string[]; predicted: string[] }[] = [];
  const edges: { gold: string[]; predicted: string[] }[] = [];
  console.log(`\nExample workflows in graphs/ (${files.length}), planned offline from their descriptions:`);
  for (const file of files) {
    const gold = parseWorkflow(await readFile(path.join(dir, file), 'utf8'), file);
    const first = [...gold.nodes.values()][0];
    const task = gold.description ?? (typeof first?.data === 'string' ? first.data : undefined);
    if (!task) {
      console.log(`  ${file}: no description and no text in node 1: skipped`);
      continue;
    }
    const plan = planner.plan(task);
    const g = workflowToTaskGraph(gold);
    const p = workflowToTaskGraph(plan);
    const pairNodes = { gold: g.nodes.map((n) => n.task), predicted: p.nodes.map((n) => n.task) };
    const pairEdges = { gold: g.links.map((l) => `${l.source}>${l.target}`), predicted: p.links.map((l) => `${l.source}>${l.target}`) };
    nodes.push(pairNodes);
    edges.push(pairEdges);
    const n = pooledF1([pairNodes]);
    const e = pooledF1([pairEdges]);
    console.log(`  ${file}: node F1 ${(n.f1 * 100).toFixed(0)}, edge F1 ${(e.f1 * 100).toFixed(0)}`);
    console.log(`      task: ${task}`);
    console.log(`      file: ${pairNodes.gold.join(' -> ')}`);
    console.log(`      plan: ${pairNodes.predicted.join(' -> ')}`);
  }
  if (nodes.length > 0) console.log(`  pooled: node F1 ${pct(pooledF1(nodes))}, edge F1 ${pct(pooledF1(edges))}`);
}

await taskbench();
await exampleGraphs();
