// `npm run bench [-- --json] [-- --quick] [-- --no-langgraph]`: the engine against the floor (a plain promise
// scheduler) and LangGraph.js on layered DAGs and a chain of no-op nodes, plus the graph module's load benchmark.
// With the journal on, a run starts as `actiongraph run` starts one (from the file's text) and, on one case, from a
// workflow built in code (whose copy is serialized first).
// Every measurement runs in a fresh child process (bench/measure.ts) so its peak memory is its own.
// LangGraph grows faster than linearly: a case runs only when a prediction from a smaller case of the same shape
// says it finishes within 2 minutes (and is killed at 2 minutes regardless); skipped cases are listed.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CASES, PROBES, type BenchCase } from './graphs.js';
import type { Impl } from './measure.js';

interface Row {
  case: string;
  nodes: number;
  impl: Impl;
  us_per_node: number;
  peak_mb: number;
  [extra: string]: unknown;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const LANGGRAPH_BUDGET_MS = 120_000;
const args = new Set(process.argv.slice(2));
const json = args.has('--json');
const quick = args.has('--quick');
const withLangGraph = !args.has('--no-langgraph');

function log(text: string): void {
  process.stderr.write(`${text}\n`);
}

function measure(impl: Impl, c: BenchCase, timeoutMs: number): Promise<Row | { timedOut: true } | { error: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--max-old-space-size=4096', '--import', 'tsx', path.join(here, 'measure.ts'), impl, c.name], {
      cwd: path.dirname(here),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => {
      clearTimeout(timer);
      if (timedOut) resolve({ timedOut: true });
      else if (code !== 0) resolve({ error: stderr.split('\n').filter((line) => !/MaxListeners|trace-warnings|nodedir/u.test(line)).slice(-5).join(' ') });
      else resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as Row);
    });
  });
}

/** Seconds LangGraph would take on `c`, from a measured smaller case of the same width (time grows ~ nodes²). */
function predictLangGraph(c: BenchCase, measured: Map<string, Row>): number | undefined {
  const smaller = [...CASES, ...PROBES]
    .filter((other) => other.width === c.width && other.nodes < c.nodes && measured.has(other.name))
    .sort((a, b) => b.nodes - a.nodes)[0];
  if (!smaller) return undefined;
  const row = measured.get(smaller.name)!;
  const seconds = (row.us_per_node * smaller.nodes) / 1e6;
  return seconds * (c.nodes / smaller.nodes) ** 2;
}

async function main(): Promise<void> {
  const started = Date.now();
  const cases = CASES.filter((c) => !quick || c.nodes <= 10_000);
  const journalCases = new Set(quick ? ['layered-10k-w1000', 'chain-10k'] : ['layered-100k-w1000', 'layered-100k-w100', 'chain-10k']);
  // A workflow built in code (its copy serialized first): one case is enough to show what that adds.
  const serializeCases = new Set([quick ? 'layered-10k-w1000' : 'layered-100k-w1000']);
  const rows: Row[] = [];
  const notes: string[] = [];
  const emit = (row: Row): void => {
    rows.push(row);
    if (json) process.stdout.write(`${JSON.stringify(row)}\n`);
    else log(`  ${row.case.padEnd(20)} ${row.impl.padEnd(30)} ${row.us_per_node.toFixed(2).padStart(9)} µs/node ${String(row.peak_mb).padStart(5)} MB`);
  };
  const run = async (impl: Impl, c: BenchCase, timeoutMs = 600_000): Promise<Row | undefined> => {
    const result = await measure(impl, c, timeoutMs);
    if ('timedOut' in result) {
      notes.push(`${impl} on ${c.name}: did not finish within ${Math.round(timeoutMs / 1000)} s (killed)`);
      return undefined;
    }
    if ('error' in result) {
      notes.push(`${impl} on ${c.name}: failed: ${result.error}`);
      return undefined;
    }
    emit(result);
    return result;
  };

  for (const c of cases) {
    await run('floor', c);
    await run('actiongraph', c);
    if (journalCases.has(c.name)) await run('actiongraph+journal', c);
    if (serializeCases.has(c.name)) await run('actiongraph+journal+serialize', c);
  }

  if (withLangGraph) {
    const measured = new Map<string, Row>();
    const lgCases = [...cases, ...(quick ? [] : PROBES)].sort((a, b) => a.nodes - b.nodes);
    let spentMs = 0;
    for (const c of lgCases) {
      if (quick && c.nodes > 1_000) {
        notes.push(`langgraph on ${c.name}: skipped (--quick runs LangGraph on the 1,000-node cases only)`);
        continue;
      }
      const predicted = c.nodes <= 1_000 ? 0 : predictLangGraph(c, measured);
      // The prediction is rough (noise, growth between linear and quadratic): a case that may plausibly finish
      // is tried, and killed at the 2-minute mark; one predicted far beyond it is not.
      if (predicted === undefined || predicted * 1000 > 2 * LANGGRAPH_BUDGET_MS) {
        const guess = predicted === undefined ? 'no smaller case of this shape finished' : `predicted ${Math.round(predicted)} s`;
        notes.push(`langgraph on ${c.name}: skipped (${guess}; budget ${LANGGRAPH_BUDGET_MS / 1000} s)`);
        continue;
      }
      if (spentMs > 2 * LANGGRAPH_BUDGET_MS) {
        notes.push(`langgraph on ${c.name}: skipped (LangGraph already used ${Math.round(spentMs / 1000)} s of this bench)`);
        continue;
      }
      const begun = Date.now();
      const row = await run('langgraph', c, LANGGRAPH_BUDGET_MS);
      spentMs += Date.now() - begun;
      if (row) measured.set(c.name, row);
    }
  } else {
    notes.push('langgraph: not run (--no-langgraph)');
  }

  // The graph module's benchmark (loading a 100,000-node file), when it is there.
  try {
    const loader = (await import('./load-graph.js')) as unknown as { benchLoadGraph?: () => Promise<Record<string, unknown>[]> };
    if (loader.benchLoadGraph) {
      const loadRows = await loader.benchLoadGraph();
      if (!json) log('\nloading a workflow file (graph module):');
      for (const row of loadRows) {
        if (json) process.stdout.write(`${JSON.stringify(row)}\n`);
        else log(`  ${String(row.case).padEnd(20)} ${String(row.impl).padEnd(30)} ${String(row.ms).padStart(9)} ms      ${String(row.peak_mb).padStart(5)} MB`);
      }
    }
  } catch (error) {
    notes.push(`load-graph: not run: ${(error as Error).message}`);
  }

  if (!json) report(rows, notes, Date.now() - started);
  else for (const note of notes) log(`note: ${note}`);
}

/** The table, the ratios to the floor, and the targets. */
function report(rows: Row[], notes: string[], ms: number): void {
  const find = (name: string, impl: Impl) => rows.find((row) => row.case === name && row.impl === impl);
  const lines: string[] = [];
  lines.push('');
  lines.push('| case | nodes | impl | µs/node | × floor | peak MB |');
  lines.push('|---|---:|---|---:|---:|---:|');
  for (const row of rows) {
    const floor = find(row.case, 'floor');
    const ratio = floor && row.impl !== 'floor' ? (row.us_per_node / floor.us_per_node).toFixed(2) : '';
    lines.push(`| ${row.case} | ${row.nodes} | ${row.impl} | ${row.us_per_node.toFixed(2)} | ${ratio} | ${row.peak_mb} |`);
  }
  lines.push('');
  const checks: string[] = [];
  for (const c of CASES.filter((x) => x.nodes === 100_000)) {
    const engine = find(c.name, 'actiongraph');
    const floor = find(c.name, 'floor');
    if (engine && floor) {
      const ratio = engine.us_per_node / floor.us_per_node;
      checks.push(`${ratio <= 3 ? 'ok  ' : 'MISS'} ${c.name}: ${ratio.toFixed(2)}× the floor (target ≤ 3×)`);
    }
    if (engine) checks.push(`${engine.peak_mb < 600 ? 'ok  ' : 'MISS'} ${c.name}: peak ${engine.peak_mb} MB (target < 600 MB)`);
  }
  for (const width of [100, 1000]) {
    const small = find(`layered-1k-w${width}`, 'actiongraph');
    const big = find(`layered-100k-w${width}`, 'actiongraph');
    if (small && big) {
      const growth = big.us_per_node / small.us_per_node;
      checks.push(`${growth <= 1.25 ? 'ok  ' : 'MISS'} width ${width}: per-node cost at 100k is ${growth.toFixed(2)}× the cost at 1k (target: flat)`);
    }
  }
  for (const row of rows.filter((r) => r.impl === 'actiongraph+journal' || r.impl === 'actiongraph+journal+serialize')) {
    const engine = find(row.case, 'actiongraph');
    if (engine) {
      const ratio = row.us_per_node / engine.us_per_node;
      const what = row.impl === 'actiongraph+journal' ? 'the journal' : 'the journal, copy serialized';
      checks.push(`${ratio <= 2 ? 'ok  ' : 'MISS'} ${row.case}: ${what} costs ${ratio.toFixed(2)}× (target ≤ 2×)`);
    }
  }
  lines.push(...checks);
  if (notes.length > 0) lines.push('', ...notes.map((note) => `note: ${note}`));
  lines.push('', `bench took ${Math.round(ms / 1000)} s`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
