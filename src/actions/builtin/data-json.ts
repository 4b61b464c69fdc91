// data.json: picks and reshapes fields of the input with the small path syntax `a.b[0].c`.
import { z } from 'zod';
import { ActionError } from '../../errors.js';
import { defineAction } from '../define.js';
import { type PathSegment, getPath, parsePath } from './json-path.js';

const PathSchema = z.string().superRefine((path, ctx) => {
  try {
    parsePath(path);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
  }
});

export const dataJsonAction = defineAction({
  name: 'data.json',
  description:
    'Pick and reshape fields of the input. data as a path ("a.b[0].c") outputs the value there; ' +
    '{fields: {"name": "path", ...}} outputs an object with those names; {path, fields} applies fields to the ' +
    'value at path. A missing value fails with JSON_PATH_MISSING, unless data.default gives one.',
  data: z.union([
    PathSchema.describe('the path of the value to output; "" is the whole input'),
    z
      .object({
        path: PathSchema.optional().describe('where to start; defaults to the whole input'),
        fields: z.record(z.string(), PathSchema).optional().describe('output field name -> path (from `path`)'),
        default: z.json().optional().describe('the value for a path that finds nothing'),
      })
      .strict(),
  ]),
  output: z.unknown(),
  effects: 'none',
  examples: ['take the first result', 'keep only the title and url fields'],
  async run({ data, input, node }) {
    const spec = typeof data === 'string' ? { path: data } : data;
    const pick = (from: unknown, path: string): unknown => {
      const found = getPath(from, parsePath(path) as PathSegment[]);
      if (found.found && found.value !== undefined) return found.value;
      if (spec.default !== undefined) return spec.default;
      throw new ActionError('JSON_PATH_MISSING', `node "${node.id}": nothing at "${path}" in the input`, { retryable: false });
    };
    const base = spec.path === undefined ? input : pick(input, spec.path);
    if (spec.fields === undefined) return base;
    // Object.fromEntries defines own properties, so a field named "__proto__" stays a plain field.
    return Object.fromEntries(Object.entries(spec.fields).map(([name, path]) => [name, pick(base, path)]));
  },
});
