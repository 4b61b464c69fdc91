// data.template: renders text from `{{input}}` / `{{input.field}}` placeholders. Data-only templating: a
// placeholder is a path into the input, never an expression.
import { z } from 'zod';
import { ActionError } from '../../errors.js';
import { defineAction } from '../define.js';
import { type PathSegment, getPath, parsePath } from './json-path.js';

type TemplatePart = { text: string } | { placeholder: string; segments: PathSegment[] };

/** A placeholder. Exported for the test that holds it to the same backtracking check as `matches` patterns. */
export const PLACEHOLDER = /\{\{([^{}]*)\}\}/gu;
/** Roots graph data may use: `input` is rendered here; `nodes` belongs to the engine's templates, rendered before. */
const STRICT_ROOTS = new Set(['input', 'nodes']);

/**
 * Splits a template into text and placeholders. `strict` (the load-time check of graph data) throws for a
 * placeholder that is not a path from "input" (or the engine's "nodes"); otherwise only {{input...}} placeholders are
 * rendered and anything else stays literal: at run time the engine has already rendered its own templates, and
 * the text may carry braces that came from user input.
 */
export function parseTemplate(template: string, options: { strict: boolean }): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const expression = (match[1] ?? '').trim();
    let segments: PathSegment[];
    try {
      segments = parsePath(expression);
    } catch (error) {
      if (options.strict) throw error;
      continue;
    }
    const root = segments[0];
    if (options.strict && (typeof root !== 'string' || !STRICT_ROOTS.has(root))) {
      throw new Error(`placeholder {{${expression}}} must start with "input", e.g. {{input.text}}`);
    }
    if (root !== 'input') continue;
    if (match.index > last) parts.push({ text: template.slice(last, match.index) });
    parts.push({ placeholder: expression, segments: segments.slice(1) });
    last = match.index + match[0].length;
  }
  if (last < template.length) parts.push({ text: template.slice(last) });
  return parts;
}

function renderValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return JSON.stringify(value) ?? '';
}

const TemplateSchema = z.string().superRefine((template, ctx) => {
  try {
    parseTemplate(template, { strict: true });
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
  }
});

export const dataTemplateAction = defineAction({
  name: 'data.template',
  description:
    'Render text from a template with {{input}} and {{input.field}} placeholders (paths like {{input.items[0].name}}). ' +
    'Strings are inserted as is, other values as JSON. A missing value fails with TEMPLATE_VALUE_MISSING unless ' +
    'data.missing is "empty". Outputs {text}.',
  data: z.union([
    TemplateSchema.describe('the template'),
    z
      .object({
        template: TemplateSchema,
        missing: z.enum(['error', 'empty']).default('error').describe('what a placeholder with no value renders'),
      })
      .strict(),
  ]),
  output: z.object({ text: z.string() }),
  effects: 'none',
  examples: ['format the result as a message', 'write a draft from the input'],
  async run({ data, input, node }) {
    const { template, missing } = typeof data === 'string' ? { template: data, missing: 'error' as const } : data;
    const parts = parseTemplate(template, { strict: false });
    let text = '';
    for (const part of parts) {
      if ('text' in part) {
        text += part.text;
        continue;
      }
      const found = getPath(input, part.segments);
      if (!found.found || found.value === undefined) {
        if (missing === 'empty') continue;
        throw new ActionError(
          'TEMPLATE_VALUE_MISSING',
          `node "${node.id}": {{${part.placeholder}}} has no value in the input`,
          { retryable: false },
        );
      }
      text += renderValue(found.value);
    }
    return { text };
  },
});
