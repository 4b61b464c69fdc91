// Loading and validating a big workflow file: 100,000 nodes and 200,000 edges, read + parsed, then validated against
// a catalog of a few actions. Each measurement runs in a fresh child process so its peak memory is its own.
// Run directly: `npx tsx bench/load-graph.ts`. Targets: load + validate under 1.5 s, peak under 500 MB.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type LoadGraphRow = {
  case: string;
  nodes: number;
  impl: string;
  ms: number;
  peak_mb: number;
};

const NODES = 100_000;
const EDGES = 200_000;
const here = fileURLToPath(import.meta.url);
const repoRoot = path.resolve(path.dirname(here), '..');

/** The implementations measured: ours, and what bare syntax parsing costs with the json5 package and JSON.parse. */
const IMPLS = ['actiongraph', 'json5', 'JSON.parse'] as const;
type Impl = (typeof IMPLS)[number];

export async function benchLoadGraph(): Promise<LoadGraphRow[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'actiongraph-bench-load-'));
  try {
    const file = path.join(dir, 'big.json');
    await writeFile(file, generateWorkflowText(NODES, EDGES));
    const rows: LoadGraphRow[] = [];
    for (const impl of IMPLS) rows.push(...(await runChild(impl, file)));
    return rows;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A connected DAG written the way people write graphs: ids "1".."n" (integer-like, so key order matters), a chain
 * plus forward edges to nearby and far nodes, data on every node, a condition on every tenth edge.
 */
export function generateWorkflowText(nodes: number, edges: number): string {
  let seed = 42;
  const random = (): number => {
    // xorshift32: deterministic, so every run measures the same file.
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 4294967296;
  };
  const parts: string[] = ['{\n  "name": "bench-big",\n  "description": "generated for bench/load-graph.ts",\n  "nodes": {\n'];
  for (let i = 1; i <= nodes; i++) {
    const kind = i % 3;
    const node =
      kind === 0
        ? `{ "action": "bench.fetch", "data": { "url": "https://example.com/item/${i}", "retries": ${i % 5} } }`
        : kind === 1
          ? `{ "action": "bench.transform", "label": "step ${i}", "data": { "template": "{{input}} #${i}" } }`
          : `{ "action": "bench.noop" }`;
    parts.push(`    "${i}": ${node}${i < nodes ? ',' : ''}\n`);
  }
  parts.push('  },\n  "edges": [\n');
  const seen = new Set<number>();
  let written = 0;
  const push = (from: number, to: number): void => {
    const key = from * (nodes + 1) + to;
    if (seen.has(key)) return;
    seen.add(key);
    const when = written % 10 === 9 ? `, "when": { "path": "status", "matches": "^ok" }` : '';
    parts.push(`    { "from": "${from}", "to": "${to}"${when} },\n`);
    written++;
  };
  for (let i = 1; i < nodes; i++) push(i, i + 1);
  while (written < edges) {
    const from = 1 + Math.floor(random() * (nodes - 1));
    const span = random() < 0.8 ? 2 + Math.floor(random() * 50) : 2 + Math.floor(random() * (nodes - from));
    const to = Math.min(nodes, from + span);
    if (to > from) push(from, to);
  }
  const text = parts.join('');
  return `${text.slice(0, -2)}\n  ]\n}\n`;
}

function runChild(impl: Impl, file: string): Promise<LoadGraphRow[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', here, '--child', impl, file], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`bench child ${impl} exited with ${code}`));
        return;
      }
      resolve(
        stdout
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as LoadGraphRow),
      );
    });
  });
}

/** In the child: one cold measurement (as a CLI run would see it), then the process's peak RSS. */
async function child(impl: Impl, file: string): Promise<void> {
  const peak = (): number => Math.round(process.resourceUsage().maxRSS / 1024);
  const round = (ms: number): number => Math.round(ms * 10) / 10;
  const rows: LoadGraphRow[] = [];
  // 100k nodes, 200k edges; short names, since bench/index.ts prints them in a 20-column field.
  const caseName = (what: string): string => `${what}-100k`;
  if (impl === 'actiongraph') {
    const [{ loadWorkflowFile }, { validateWorkflow }, makeCatalog] = await Promise.all([
      import('../src/graph/file.js'),
      import('../src/graph/validate.js'),
      catalogModule(),
    ]);
    const catalog = makeCatalog();
    const t0 = performance.now();
    const { workflow } = await loadWorkflowFile(file);
    const t1 = performance.now();
    const problems = validateWorkflow(workflow, { catalog });
    const t2 = performance.now();
    if (workflow.nodes.size !== NODES || workflow.edges.length !== EDGES) throw new Error('the bench file did not load whole');
    if (problems.length > 0) throw new Error(`the bench file should be valid: ${problems[0]?.message}`);
    const mb = peak();
    rows.push({ case: caseName('load'), nodes: NODES, impl, ms: round(t1 - t0), peak_mb: mb });
    rows.push({ case: caseName('validate'), nodes: NODES, impl, ms: round(t2 - t1), peak_mb: mb });
    rows.push({ case: caseName('load+validate'), nodes: NODES, impl, ms: round(t2 - t0), peak_mb: mb });
  } else {
    const JSON5 = impl === 'json5' ? (await import('json5')).default : undefined;
    const t0 = performance.now();
    const text = await readFile(file, 'utf8');
    const value = (JSON5 ? JSON5.parse(text) : JSON.parse(text)) as { nodes: object };
    const t1 = performance.now();
    if (Object.keys(value.nodes).length !== NODES) throw new Error('the bench file did not parse whole');
    rows.push({ case: caseName('load'), nodes: NODES, impl: `${impl} (syntax only)`, ms: round(t1 - t0), peak_mb: peak() });
  }
  for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
}

/** A few actions with zod data schemas, like a project's catalog. */
async function catalogModule(): Promise<() => import('../src/graph/schema.js').ActionCatalog> {
  const [{ z }, { defineAction }, { ActionRegistry }] = await Promise.all([
    import('zod'),
    import('../src/actions/define.js'),
    import('../src/actions/registry.js'),
  ]);
  return () => {
    const registry = new ActionRegistry();
    registry.register(
      defineAction({
        name: 'bench.fetch',
        description: 'fetch a URL',
        data: z.object({ url: z.string().url(), retries: z.number().int().min(0).optional() }).strict(),
        run: () => null,
      }),
    );
    registry.register(
      defineAction({
        name: 'bench.transform',
        description: 'fill a template',
        data: z.object({ template: z.string() }).strict(),
        run: () => null,
      }),
    );
    registry.register(defineAction({ name: 'bench.noop', description: 'nothing', run: () => null }));
    registry.register(defineAction({ name: 'bench.other', description: 'unused', run: () => null }));
    return registry;
  };
}

function printTable(rows: LoadGraphRow[]): void {
  const lines = rows.map((row) => `${row.case.padEnd(20)} ${row.impl.padEnd(24)} ${`${row.ms} ms`.padStart(10)} ${`${row.peak_mb} MB`.padStart(8)}`);
  process.stdout.write(`${['case'.padEnd(20), 'impl'.padEnd(24), 'time'.padStart(10), 'peak'.padStart(8)].join(' ')}\n${lines.join('\n')}\n`);
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  await child(args[1] as Impl, args[2] ?? '');
} else if (process.argv[1] && path.resolve(process.argv[1]) === here) {
  printTable(await benchLoadGraph());
}
