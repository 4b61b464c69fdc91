import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/graph/text.js';
import { dotString, mermaidText, renderAscii, renderDot, renderMermaid } from '../../src/graph/render.js';
import type { Workflow } from '../../src/graph/schema.js';
import { chain, makeWorkflow } from './helpers.js';

/** Ten nodes: a fan-out, conditional branches and a join. */
const branching: Workflow = makeWorkflow(
  [
    ['1', { action: 'input.text', label: 'topic', data: { prompt: 'What should the tweet be about? '.repeat(5) } }],
    ['2', { action: 'data.wolfram_alpha', label: 'facts' }],
    ['3', { action: 'http.get', data: { url: 'https://example.com/a/very/long/path/that/goes/on/and/on/and/on' } }],
    ['4', { action: 'llm.complete', label: 'draft a tweet from the facts and the page' }],
    ['5', { action: 'confirm.edit', label: 'review' }],
    ['6', { action: 'output.tweet', label: 'post' }],
    ['7', { action: 'output.console', label: 'say it was rejected' }],
    ['8', { action: 'output.file', data: { path: 'out/tweet.txt' } }],
    ['9', { action: 'data.template' }],
    ['10', { action: 'output.console', label: 'done' }],
  ],
  [
    { from: '1', to: '2' },
    { from: '1', to: '3' },
    { from: '2', to: '4' },
    { from: '3', to: '4' },
    { from: '4', to: '5' },
    { from: '5', to: '6', when: { path: 'approved', equals: true }, label: 'approved' },
    { from: '5', to: '7', when: { not: { path: 'approved', equals: true } }, label: 'rejected' },
    { from: '5', to: '8', when: { all: [{ path: 'text', matches: '^.{1,280}$' }, { path: 'score', gte: 0.5 }] } },
    { from: '6', to: '9' },
    { from: '8', to: '9' },
    { from: '9', to: '10' },
  ],
  { name: 'tweet-with-review', description: 'Look up facts and a page, draft a tweet, review it, then post or report' },
);

const oddIds = ['__proto__', 'constructor', 'a"b', 'x]y', '|pipe|', 'end', '<b>html</b>', 'ü 😀', '\u001b[31m', 'w'.repeat(10_000)];
const odd = chain(oddIds, 'a.b');

describe('renderAscii', () => {
  it('shows every node with its action and label, by level, and every edge with its condition', () => {
    const text = renderAscii(branching);
    for (const [id, node] of branching.nodes) {
      expect(text).toContain(`[${id}] ${node.action}`);
      if (node.label && node.label.length < 30) expect(text).toContain(node.label);
    }
    expect(text).toContain('level 1');
    expect(text).toContain('level 7');
    expect(text).toContain('when approved == true');
    expect(text).toContain('when not (approved == true)');
    expect(text).toContain('(after 2, 3)');
    // Node 4 joins 2 and 3, so it sits below both.
    expect(text.indexOf('[4] llm.complete')).toBeGreaterThan(text.indexOf('[3] http.get'));
  });

  it('keeps every line within 80 columns (and within narrower widths)', () => {
    for (const width of [80, 40]) {
      for (const wf of [branching, odd]) {
        const lines = renderAscii(wf, { width }).split('\n');
        for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(width);
      }
    }
  });

  it('escapes control characters in ids and still draws cycles and broken edges', () => {
    const text = renderAscii(odd);
    expect(text).not.toContain('\u001b');
    const cyclic = chain(['a', 'b', 'c']);
    cyclic.edges.push({ from: 'c', to: 'b' }, { from: 'a', to: 'ghost' });
    const drawn = renderAscii(cyclic);
    expect(drawn).toContain('on or after a cycle');
    expect(drawn).toContain('[b]');
    expect(drawn).toContain('a -> ghost: names a missing node');
  });
});

describe('renderMermaid', () => {
  it('is a flowchart with one safe node per id and one arrow per edge', () => {
    const text = renderMermaid(branching);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('flowchart TD');
    expect(lines.filter((line) => /^ {2}n\d+\["/u.test(line))).toHaveLength(10);
    expect(lines.filter((line) => line.includes('-->'))).toHaveLength(11);
    expect(text).toContain('n4 -->|"approved: when approved == true"| n5');
  });

  it('quotes every label so no id can break the syntax', () => {
    const text = renderMermaid(odd);
    const body = text.trimEnd().split('\n').slice(1);
    for (const line of body) {
      // A node line: identifier, ["...label..."], and nothing after. Inside labels only entities and plain text.
      expect(line).toMatch(/^ {2}(n\d+\["[^"[\]<>|`{}]*"\]|n\d+ --> n\d+)$/u);
    }
    expect(text).toContain('#34;');
    expect(mermaidText('a"b<c>|d')).toBe('a#34;b#60;c#62;#124;d');
  });
});

describe('renderDot', () => {
  /** Drops quoted strings (with their escapes), then checks the braces and statements that remain. */
  function structure(dot: string): string {
    return dot.replace(/"(?:[^"\\]|\\.)*"/gu, 'S');
  }

  it('is a digraph with balanced braces, one node statement per node and one edge per edge', () => {
    for (const wf of [branching, odd]) {
      const text = renderDot(wf);
      const bare = structure(text);
      expect(bare.trimStart().startsWith('digraph workflow {')).toBe(true);
      expect(bare.trimEnd().endsWith('}')).toBe(true);
      let depth = 0;
      for (const ch of bare) {
        if (ch === '{') depth++;
        if (ch === '}') depth--;
        expect(depth).toBeGreaterThanOrEqual(0);
      }
      expect(depth).toBe(0);
      expect(bare.match(/^ {2}n\d+ \[label=S\];$/gmu)).toHaveLength(wf.nodes.size);
      expect(bare.match(/^ {2}n\d+ -> n\d+( \[label=S\])?;$/gmu)).toHaveLength(wf.edges.length);
    }
  });

  it('puts every id in a label, escaped', () => {
    const text = renderDot(odd);
    expect(text).toContain('label="a\\"b\\na.b"');
    expect(text).toContain('__proto__');
    expect(dotString('a\\b"c\nd')).toBe('"a\\\\b\\"c\\nd"');
  });
});
