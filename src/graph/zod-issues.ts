// Turns zod issues into Problems with stable codes, readable one-line messages and "did you mean" for unknown keys.
import type { z } from 'zod';
import type { Problem } from '../errors.js';
import { closest } from './suggest.js';
import { shortJson } from './text.js';

type Path = (string | number)[];

export interface IssueContext {
  /** The checked value, to show what was found and to tell a missing field from a wrong one. */
  value: unknown;
  /** The schema, to suggest keys for unrecognized ones. */
  schema: z.ZodType;
  /** Prepended to every issue path, e.g. ['nodes', '3']. */
  basePath: Path;
  /** Message prefix, e.g. `node "3"`. */
  where: string;
  /** Codes to use; by default FIELD_TYPE / FIELD_REQUIRED / FIELD_INVALID / UNKNOWN_FIELD. */
  codes?: Partial<Record<'type' | 'required' | 'invalid' | 'unknown', string>>;
  /** Field paths relative to `basePath` are shown after this prefix, e.g. `data` gives `data.query`. */
  fieldPrefix?: string;
}

export function issuesToProblems(issues: readonly z.core.$ZodIssue[], context: IssueContext): Problem[] {
  const problems: Problem[] = [];
  const codes = {
    type: 'FIELD_TYPE',
    required: 'FIELD_REQUIRED',
    invalid: 'FIELD_INVALID',
    unknown: 'UNKNOWN_FIELD',
    ...context.codes,
  };
  for (const issue of issues) {
    const relative: Path = issue.path.map((seg) => (typeof seg === 'number' ? seg : String(seg)));
    const path = [...context.basePath, ...relative];
    const field = fieldName(context.fieldPrefix, relative);
    const push = (code: string, message: string, at: Path = path): void => {
      problems.push({ code, path: at, message: `${context.where}: ${message}`, severity: 'error' });
    };
    const found = valueAt(context.value, relative);
    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = keysAt(context.schema, relative);
        for (const key of issue.keys) {
          const suggestion = known.length > 0 ? closest(key, known) : undefined;
          const hint = suggestion ? ` (did you mean "${suggestion}"?)` : known.length > 0 ? `; known fields: ${known.join(', ')}` : '';
          const owner = field ? ` in ${field}` : '';
          push(codes.unknown, `unknown field "${key}"${owner}${hint}`, [...path, key]);
        }
        break;
      }
      case 'invalid_type':
        if (found.missing) push(codes.required, `${field || 'the value'} is required (${describeExpected(issue.expected)})`);
        else push(codes.type, `${field || 'the value'} must be ${describeExpected(issue.expected)}, not ${shortJson(found.value, 40)}`);
        break;
      case 'invalid_union':
        push(codes.type, `${field || 'the value'} has the wrong type: ${shortJson(found.value, 40)}`);
        break;
      default:
        push(codes.invalid, `${field || 'the value'}: ${lowerFirst(issue.message)}`);
    }
  }
  return problems;
}

function fieldName(prefix: string | undefined, path: Path): string {
  const parts = prefix ? [prefix] : [];
  let text = parts.join('');
  for (const seg of path) {
    if (typeof seg === 'number') text += `[${seg}]`;
    else text += text === '' ? seg : `.${seg}`;
  }
  return text;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function describeExpected(expected: string): string {
  switch (expected) {
    case 'object':
      return 'an object';
    case 'array':
      return 'a list';
    case 'int':
      return 'an integer';
    case 'undefined':
      return 'absent';
    default:
      return /^[aeiou]/u.test(expected) ? `an ${expected}` : `a ${expected}`;
  }
}

function valueAt(root: unknown, path: Path): { missing: boolean; value: unknown } {
  let current = root;
  for (const seg of path) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, seg)) {
      return { missing: true, value: undefined };
    }
    current = (current as Record<string | number, unknown>)[seg];
  }
  return { missing: current === undefined, value: current };
}

interface SchemaDef {
  type?: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  in?: z.ZodType;
  getter?: () => z.ZodType;
}

function defOf(schema: unknown): SchemaDef | undefined {
  return (schema as { _zod?: { def?: SchemaDef } } | undefined)?._zod?.def;
}

/** The field names an object schema declares at `path`, seen through optional/nullable/default/array/lazy/pipe. */
export function keysAt(schema: z.ZodType, path: Path): string[] {
  let def = unwrap(defOf(schema));
  for (const seg of path) {
    if (!def) return [];
    if (def.type === 'object' && typeof seg === 'string') def = unwrap(defOf(def.shape?.[seg]));
    else if (def.type === 'array' && typeof seg === 'number') def = unwrap(defOf(def.element));
    else return [];
  }
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

function unwrap(def: SchemaDef | undefined): SchemaDef | undefined {
  for (let i = 0; def && i < 20; i++) {
    const next = def.innerType ?? (def.type === 'pipe' ? def.in : undefined) ?? (def.type === 'lazy' ? def.getter?.() : undefined);
    if (!next) return def;
    def = defOf(next);
  }
  return def;
}
