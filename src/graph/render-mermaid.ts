// The workflow as a Mermaid `flowchart TD` (renders on GitHub). Node identifiers are generated (n0, n1, ...) so any
// id is safe, and every label is quoted with Mermaid's #code; entities for characters that its parser treats specially.
import { describeCondition } from './describe.js';
import type { Workflow } from './schema.js';
import { isRecord } from './shape.js';
import { escapeUnsafe, truncate } from './text.js';

export function renderMermaid(wf: Workflow): string {
  const lines = ['flowchart TD'];
  const key = new Map<string, string>();
  let n = 0;
  for (const [id, node] of wf.nodes) {
    const name = `n${n++}`;
    key.set(id, name);
    const action = isRecord(node) && typeof node.action === 'string' ? node.action : '(no action)';
    const parts = [`${truncate(id, 40)}: ${truncate(action, 40)}`];
    if (isRecord(node) && typeof node.label === 'string') parts.push(truncate(node.label, 60));
    lines.push(`  ${name}["${parts.map(mermaidText).join('<br/>')}"]`);
  }
  for (const edge of wf.edges) {
    if (!isRecord(edge)) continue;
    const from = key.get(String(edge.from));
    const to = key.get(String(edge.to));
    // An edge to a missing node would make Mermaid invent one: leave it out (validation reports it).
    if (from === undefined || to === undefined) continue;
    const text: string[] = [];
    if (typeof edge.label === 'string') text.push(truncate(edge.label, 40));
    if (edge.when !== undefined) text.push(`when ${describeCondition(edge.when)}`);
    lines.push(text.length > 0 ? `  ${from} -->|"${mermaidText(text.join(': '))}"| ${to}` : `  ${from} --> ${to}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Text safe inside a quoted Mermaid label: letters, digits, spaces and harmless punctuation stay; everything else
 * becomes `#<code>;` (Mermaid's entity syntax), so quotes, brackets, pipes, HTML and markdown cannot break out.
 */
export function mermaidText(text: string): string {
  return escapeUnsafe(text).replace(/[^\p{L}\p{N} .,:_\-+*/=!?'@^~]/gu, (ch) => `#${ch.codePointAt(0) ?? 0};`);
}
