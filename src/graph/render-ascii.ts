// The workflow as plain ASCII text for a terminal: nodes by level (so branches and joins read top to bottom), each
// with its action, label, a short data preview and its outgoing edges with their conditions. Every line fits the width.
import { indexGraph } from './adjacency.js';
import { describeCondition } from './describe.js';
import { layerIndex } from './order.js';
import type { Workflow } from './schema.js';
import { isRecord } from './shape.js';
import { displayId, escapeUnsafe, fitWidth, shortJson } from './text.js';

export interface AsciiOptions {
  /** Columns available (default 80, at least 30). */
  width?: number;
  /** Show a one-line preview of each node's data (default true). */
  data?: boolean;
}

export function renderAscii(wf: Workflow, options: AsciiOptions = {}): string {
  const width = Math.max(30, Math.floor(options.width ?? 80));
  const showData = options.data ?? true;
  const index = indexGraph(wf);
  const { levels, cyclic } = layerIndex(index);
  const lines: string[] = [];
  const line = (text: string): void => {
    lines.push(fitWidth(text, width));
  };
  const id = (v: number): string => `[${displayId(index.ids[v] ?? '', 40)}]`;

  if (wf.name !== undefined) line(`== ${escapeUnsafe(String(wf.name))} ==`);
  if (wf.description !== undefined) line(escapeUnsafe(String(wf.description)));
  const counts = [
    plural(index.ids.length, 'node'),
    plural(wf.edges.length, 'edge'),
    plural(levels.length, 'level'),
    ...(cyclic.length > 0 ? [`${cyclic.length} on a cycle`] : []),
  ];
  line(counts.join(', '));

  const renderNode = (v: number): void => {
    const node = wf.nodes.get(index.ids[v] ?? '');
    const action = isRecord(node) && typeof node.action === 'string' ? escapeUnsafe(node.action) : '(no action)';
    const label = isRecord(node) && typeof node.label === 'string' ? `  ${shortJson(node.label, 40)}` : '';
    const joins = index.inStart[v + 1]! - index.inStart[v]!;
    const after =
      joins > 1
        ? `  (after ${Array.from(index.inEdges.subarray(index.inStart[v], index.inStart[v + 1]), (e) => displayId(index.ids[index.edgeFrom[e] ?? 0] ?? '', 20)).join(', ')})`
        : '';
    line(`  ${id(v)} ${action}${label}${after}`);
    if (showData && isRecord(node) && node.data !== undefined) line(`      data: ${shortJson(node.data, width)}`);
    const outgoing: string[] = [];
    for (let k = index.outStart[v] ?? 0, end = index.outStart[v + 1] ?? 0; k < end; k++) {
      const e = index.outEdges[k] ?? 0;
      const edge = wf.edges[index.edgeIndex[e] ?? 0];
      let text = id(index.edgeTo[e] ?? 0);
      if (edge?.when !== undefined) text += `  when ${describeCondition(edge.when)}`;
      if (typeof edge?.label === 'string') text += `  ${shortJson(edge.label, 30)}`;
      outgoing.push(text);
    }
    outgoing.forEach((text, i) => line(`      ${i === outgoing.length - 1 ? '`->' : '|->'} ${text}`));
  };

  levels.forEach((level, depth) => {
    lines.push('');
    line(`level ${depth + 1}${level.length > 1 ? `  (${level.length} nodes)` : ''}`);
    for (const v of level) renderNode(v);
  });
  if (cyclic.length > 0) {
    lines.push('');
    line('on or after a cycle (cannot be ordered)');
    for (const v of cyclic) renderNode(v);
  }
  const broken = index.issues.filter((issue) => issue.kind !== 'duplicate');
  if (broken.length > 0) {
    lines.push('');
    line('edges left out');
    for (const issue of broken) {
      const edge = wf.edges[issue.index] as unknown;
      const ends =
        isRecord(edge) && typeof edge.from === 'string' && typeof edge.to === 'string'
          ? `${displayId(edge.from, 30)} -> ${displayId(edge.to, 30)}`
          : shortJson(edge, 40);
      line(`  edges[${issue.index}] ${ends}: ${issue.kind === 'dangling' ? 'names a missing node' : issue.kind}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
