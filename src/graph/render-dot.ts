// The workflow as Graphviz DOT. Node identifiers are generated (n0, n1, ...) and every label is a quoted DOT string,
// so no id or label can break the syntax.
import { describeCondition } from './describe.js';
import type { Workflow } from './schema.js';
import { isRecord } from './shape.js';
import { escapeUnsafe, truncate } from './text.js';

export function renderDot(wf: Workflow): string {
  const lines = ['digraph workflow {'];
  if (wf.name !== undefined) lines.push(`  label=${dotString(truncate(String(wf.name), 80))};`, '  labelloc=t;');
  lines.push('  rankdir=TB;', '  node [shape=box, style=rounded, fontname="Helvetica"];', '  edge [fontname="Helvetica", fontsize=10];');
  const key = new Map<string, string>();
  let n = 0;
  for (const [id, node] of wf.nodes) {
    const name = `n${n++}`;
    key.set(id, name);
    const action = isRecord(node) && typeof node.action === 'string' ? node.action : '(no action)';
    const parts = [truncate(id, 40), truncate(action, 40)];
    if (isRecord(node) && typeof node.label === 'string') parts.push(truncate(node.label, 60));
    lines.push(`  ${name} [label=${dotString(parts.join('\n'))}];`);
  }
  for (const edge of wf.edges) {
    if (!isRecord(edge)) continue;
    const from = key.get(String(edge.from));
    const to = key.get(String(edge.to));
    if (from === undefined || to === undefined) continue;
    const text: string[] = [];
    if (typeof edge.label === 'string') text.push(truncate(edge.label, 40));
    if (edge.when !== undefined) text.push(`when ${describeCondition(edge.when)}`);
    lines.push(text.length > 0 ? `  ${from} -> ${to} [label=${dotString(text.join('\n'))}];` : `  ${from} -> ${to};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** A quoted DOT string; line breaks in the text become centred line breaks (`\n`). */
export function dotString(text: string): string {
  const lines = text.split('\n').map((part) => escapeUnsafe(part).replace(/["\\]/g, (ch) => `\\${ch}`));
  return `"${lines.join('\\n')}"`;
}
