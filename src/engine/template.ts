// Templates in node data: `{{input}}`, `{{input.text}}`, `{{nodes.2.output.summary}}`. Compiled once per run,
// rendered when the node starts. They read run data only (the node's input and upstream outputs), never the
// environment, and their paths walk own properties only.
import type { Problem } from '../errors.js';
import { didYouMean } from '../graph/suggest.js';
import { readPath, splitPath } from './value-path.js';

/** What a template can see when its node starts. */
export interface TemplateScope {
  input: unknown;
  /** The output of the node with this index (undefined when it did not succeed). */
  output(nodeIndex: number): unknown;
}

/** A reference inside `{{ }}`: the node's input, or an upstream node's output, plus a path into it. */
export type TemplateRef = { source: 'input'; path: string[] } | { source: 'node'; node: number; nodeId: string; path: string[] };

/** A node's data, ready to render: `render` is absent when the data holds no templates (the common case). */
export interface CompiledData {
  value: unknown;
  render?: (scope: TemplateScope) => unknown;
  /** Every upstream node the templates read, so the compiler can check they run before this node. */
  refs: { nodeId: string; node: number; path: (string | number)[] }[];
}

const NO_REFS: CompiledData['refs'] = [];

/**
 * A template in a data string. No `\s*` around the expression (it is trimmed in code): a lazy `[^{}]*?` between
 * two `\s*` backtracks cubically, and a 4 KB string of "{{" and spaces in graph data took half a minute to compile.
 * Exported for the test that holds it to the same backtracking check as `matches` patterns.
 */
export const TEMPLATE = /(\\?)\{\{([^{}]*)\}\}/g;
/** Longer references are refused: resolving one tries every `.output` in it against the node ids. */
const MAX_EXPRESSION_LENGTH = 1000;

type Part = string | TemplateRef;

/** Compiles a node's data. Bad references become problems at `nodes.<id>.data...`; nothing is thrown. */
export function compileData(
  data: unknown,
  nodeId: string,
  nodeIndex: ReadonlyMap<string, number>,
  problems: Problem[],
): CompiledData {
  // Most nodes carry no data or data without templates: nothing to walk, nothing to allocate.
  if (data === undefined || data === null || typeof data === 'number' || typeof data === 'boolean') return { value: data, refs: NO_REFS };
  if (typeof data === 'string' && !data.includes('{{')) return { value: data, refs: NO_REFS };
  const refs: CompiledData['refs'] = [];
  const render = compileValue(data, ['nodes', nodeId, 'data'], nodeIndex, problems, refs);
  return render === undefined ? { value: data, refs } : { value: data, render, refs };
}

type Renderer = (scope: TemplateScope) => unknown;

function compileValue(
  value: unknown,
  path: (string | number)[],
  nodeIndex: ReadonlyMap<string, number>,
  problems: Problem[],
  refs: CompiledData['refs'],
): Renderer | undefined {
  if (typeof value === 'string') return compileString(value, path, nodeIndex, problems, refs);
  if (Array.isArray(value)) {
    const items = value.map((item, i) => compileValue(item, [...path, i], nodeIndex, problems, refs));
    if (items.every((item) => item === undefined)) return undefined;
    return (scope) => value.map((item, i) => (items[i] ? items[i](scope) : item));
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    const source = value as Record<string, unknown>;
    const fields = keys.map((key) => compileValue(source[key], [...path, key], nodeIndex, problems, refs));
    if (fields.every((field) => field === undefined)) return undefined;
    return (scope) => {
      const out: Record<string, unknown> = {};
      keys.forEach((key, i) => {
        const field = fields[i];
        // defineProperty, not assignment: a key named `__proto__` stays an ordinary own property.
        Object.defineProperty(out, key, {
          value: field ? field(scope) : source[key],
          enumerable: true,
          writable: true,
          configurable: true,
        });
      });
      return out;
    };
  }
  return undefined;
}

function compileString(
  text: string,
  path: (string | number)[],
  nodeIndex: ReadonlyMap<string, number>,
  problems: Problem[],
  refs: CompiledData['refs'],
): Renderer | undefined {
  if (!text.includes('{{')) return undefined;
  const parts: Part[] = [];
  let last = 0;
  let escaped = false;
  for (const match of text.matchAll(TEMPLATE)) {
    const start = match.index;
    const [whole, backslash, rawExpression = ''] = match;
    const expression = rawExpression.trim();
    if (start > last) parts.push(text.slice(last, start));
    last = start + whole.length;
    if (backslash) {
      // `\{{x}}` is the literal text `{{x}}`, for data that carries templates of another system.
      parts.push(whole.slice(1));
      escaped = true;
      continue;
    }
    const ref = parseReference(expression, nodeIndex);
    if (typeof ref === 'string') {
      const shown = expression.length > 80 ? `${expression.slice(0, 79)}…` : expression;
      problems.push({ code: 'TEMPLATE_INVALID', path, message: `${describe(path)}: template {{${shown}}}: ${ref}`, severity: 'error' });
      parts.push(whole);
      continue;
    }
    if (ref.source === 'node') refs.push({ nodeId: ref.nodeId, node: ref.node, path });
    parts.push(ref);
  }
  if (last < text.length) parts.push(text.slice(last));
  if (parts.length === 1 && typeof parts[0] !== 'string' && parts[0] !== undefined) {
    // The whole string is one template: it takes the raw value (an object stays an object).
    const only = parts[0];
    return (scope) => resolve(only, scope);
  }
  if (parts.every((part) => typeof part === 'string')) {
    const literal = parts.join('');
    return escaped ? () => literal : undefined;
  }
  return (scope) => {
    let out = '';
    for (const part of parts) out += typeof part === 'string' ? part : stringify(resolve(part, scope));
    return out;
  };
}

/** The reference, or a message saying what is wrong with it. */
function parseReference(expression: string, nodeIndex: ReadonlyMap<string, number>): TemplateRef | string {
  if (expression.length > MAX_EXPRESSION_LENGTH) return `the reference is longer than ${MAX_EXPRESSION_LENGTH} characters`;
  if (expression === 'input') return { source: 'input', path: [] };
  if (expression.startsWith('input.')) {
    const path = splitPath(expression.slice('input.'.length));
    if (path.some((segment) => segment === '')) return 'empty path segment';
    return { source: 'input', path };
  }
  if (expression.startsWith('nodes.')) {
    const rest = expression.slice('nodes.'.length);
    // Node ids may contain dots: try every `.output` boundary and take the first that names a known node.
    let at = rest.indexOf('.output');
    while (at >= 0) {
      const after = rest.slice(at + '.output'.length);
      if (after === '' || after.startsWith('.')) {
        const nodeId = rest.slice(0, at);
        const node = nodeIndex.get(nodeId);
        if (node !== undefined) {
          const path = splitPath(after.slice(1));
          if (path.some((segment) => segment === '')) return 'empty path segment';
          return { source: 'node', node, nodeId, path };
        }
      }
      at = rest.indexOf('.output', at + 1);
    }
    const guess = rest.split('.output')[0] ?? rest;
    if (!rest.includes('.output')) return `expected nodes.<id>.output[.path]`;
    return `unknown node "${guess}"${didYouMean(guess, nodeIndex.keys())}`;
  }
  const head = expression.split('.')[0] ?? expression;
  return `unknown reference "${head}"${didYouMean(head, ['input', 'nodes'])}; use {{input...}} or {{nodes.<id>.output...}}`;
}

function resolve(ref: TemplateRef, scope: TemplateScope): unknown {
  const root = ref.source === 'input' ? scope.input : scope.output(ref.node);
  return ref.path.length === 0 ? root : readPath(root, ref.path);
}

/** How a value reads inside a longer string: text as is, nothing for undefined, JSON for everything else. */
export function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return String(value);
  }
}

function describe(path: (string | number)[]): string {
  const [, nodeId, , ...rest] = path;
  const field = rest.length > 0 ? ` field ${rest.join('.')}` : '';
  return `node "${String(nodeId)}": data${field}`;
}
