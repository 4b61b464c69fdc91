// How big the planner's requests get as the catalog grows (run: npx tsx bench/planner-tokens.ts): tokens of the
// system prompt (instructions + compact catalog) and of the answer schema, full (one anyOf branch per action) and
// compact (action as an enum, data free), counted with js-tiktoken's o200k_base (the GPT-4o / 4.1 encoding).
// Catalogs: the built-in actions, the 40 TaskBench tools, and 100 / 200 actions made of the TaskBench tools under
// several namespaces (real descriptions and parameter lists, unlike synthetic ones).
import { getEncoding } from 'js-tiktoken';
import { builtinActions } from '../src/actions/builtin/index.js';
import { ActionRegistry } from '../src/actions/registry.js';
import { DEFAULT_MAX_FULL_SCHEMA_CHARS, PlannerCatalog, fitsStrictLimits } from '../src/planner/catalog-schema.js';
import { createSystemPrompt, editSystemPrompt } from '../src/planner/prompt.js';
import { loadTaskbench, taskbenchActions } from '../src/planner/taskbench.js';

const encoding = getEncoding('o200k_base');
const tokens = (text: string): number => encoding.encode(text).length;

async function catalogs(): Promise<{ name: string; registry: ActionRegistry }[]> {
  const builtins = new ActionRegistry();
  for (const action of builtinActions) builtins.register(action);
  const { tools } = await loadTaskbench(process.env.TASKBENCH_DIR ?? '/work/shared/reference/taskbench');
  const withTools = (count: number): ActionRegistry => {
    const registry = new ActionRegistry();
    for (const action of builtinActions) registry.register(action);
    for (let copy = 0; registry.size < count; copy++) {
      for (const action of taskbenchActions(tools, copy === 0 ? 'tools' : `tools${copy}`)) {
        if (registry.size >= count) break;
        registry.register(action);
      }
    }
    return registry;
  };
  return [
    { name: `built-in (${builtins.size})`, registry: builtins },
    { name: '51 (built-in + TaskBench)', registry: withTools(51) },
    { name: '100', registry: withTools(100) },
    { name: '200', registry: withTools(200) },
  ];
}

const rows: string[][] = [['catalog', 'system prompt', 'edit prompt', 'full schema', 'compact schema', 'chars/token (full)', 'auto uses', 'strict limits ok']];
for (const { name, registry } of await catalogs()) {
  const catalog = PlannerCatalog.fromRegistry(registry);
  const full = catalog.workflowSchema('full');
  const compact = catalog.workflowSchema('compact');
  const fullText = JSON.stringify(full.schema);
  const fullTokens = tokens(fullText);
  rows.push([
    name,
    String(tokens(createSystemPrompt(catalog))),
    String(tokens(editSystemPrompt(catalog))),
    `${fullTokens} (${full.chars} chars)`,
    `${tokens(JSON.stringify(compact.schema))} (${compact.chars} chars)`,
    (full.chars / fullTokens).toFixed(2),
    catalog.workflowSchema('auto').variant,
    String(fitsStrictLimits(full.schema)),
  ]);
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  '));
console.log(`\nauto uses the full schema up to ${DEFAULT_MAX_FULL_SCHEMA_CHARS} characters of schema and within strict limits, else compact.`);
