// sampleFromSchema: a plausible value that satisfies a zod schema. The engine's dry runs return one in place of an
// action that touches the world; `actiongraph actions <name>` shows the minimal one as a node's data. It walks zod
// 4's schema definitions (`_zod.def`), honouring the common checks (lengths, bounds, formats).
import { z } from 'zod';

interface Def {
  type: string;
  [key: string]: unknown;
}
interface CheckDef {
  check: string;
  [key: string]: unknown;
}

const MAX_DEPTH = 6;

export interface SampleOptions {
  /**
   * What a graph must write at least, for a node snippet: required fields only, arrays at their minimum length,
   * and the value as written (defaults not applied). Default: every field, one item per array, and the value the
   * schema outputs (defaults and transforms applied): what an action could return.
   */
  minimal?: boolean;
}

/**
 * A value the schema accepts when the generator knows how; otherwise the best attempt. Unknown and any give null.
 * Unions show their object form when they have one (it names the fields).
 */
export function sampleFromSchema(schema: unknown, options: SampleOptions = {}): unknown {
  const minimal = options.minimal ?? false;
  const raw = sample(schema, 0, minimal);
  if (minimal) return raw;
  try {
    const parsed = (schema as z.ZodType).safeParse(raw);
    return parsed.success ? parsed.data : raw;
  } catch {
    return raw;
  }
}

function defOf(schema: unknown): Def {
  // Not a zod schema (a plugin may hand-roll one with just safeParse): nothing to read, so nothing to invent.
  return (schema as { _zod?: { def?: Def } })._zod?.def ?? { type: 'unknown' };
}

function checksOf(def: Def): CheckDef[] {
  const checks = (def.checks as { _zod: { def: CheckDef } }[] | undefined) ?? [];
  const list = checks.map((check) => check._zod.def);
  // Top-level format schemas (z.email(), z.int()) carry their check on the def itself.
  if (typeof def.check === 'string') list.push(def as unknown as CheckDef);
  return list;
}

function sample(schema: unknown, depth: number, minimal: boolean): unknown {
  // A schema that recurses and demands content at every level (min lengths) cannot be satisfied finitely.
  if (depth > MAX_DEPTH * 4) return null;
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return sampleString(checksOf(def));
    case 'number':
      return sampleNumber(checksOf(def));
    case 'bigint':
      return BigInt(Math.ceil(Number(lowerBound(checksOf(def)) ?? 0)));
    case 'boolean':
      return false;
    case 'date':
      return new Date(0);
    case 'null':
      return null;
    case 'undefined':
    case 'void':
      return undefined;
    case 'nan':
      return Number.NaN;
    case 'literal':
      return (def.values as unknown[])[0];
    case 'enum':
      return Object.values(def.entries as Record<string, unknown>)[0];
    case 'template_literal':
      return (def.parts as unknown[])
        .map((part) => (typeof part === 'object' && part !== null ? String(sample(part, depth + 1, minimal)) : String(part)))
        .join('');
    case 'array': {
      const checks = checksOf(def);
      const exact = checks.find((c) => c.check === 'length_equals')?.length;
      const min = Number(checks.find((c) => c.check === 'min_length')?.minimum ?? 0);
      // One item shows the shape; more only when the schema demands them; none when deep (recursive schemas).
      const length = exact !== undefined ? Number(exact) : minimal || depth >= MAX_DEPTH ? min : Math.max(1, min);
      return Array.from({ length }, () => sample(def.element, depth + 1, minimal));
    }
    case 'tuple':
      return (def.items as unknown[]).map((item) => sample(item, depth + 1, minimal));
    case 'object': {
      const out: Record<string, unknown> = {};
      const shape = def.shape as Record<string, unknown>;
      for (const key of Object.keys(shape)) {
        const field = shape[key];
        // Optional fields are filled in too (a dry run shows what the action could return), except when deep or
        // minimal. `optin` is zod's own mark for a key that may be left out of the input (optional, default).
        if ((minimal || depth >= MAX_DEPTH) && (field as { _zod?: { optin?: string } })._zod?.optin !== undefined) continue;
        const value = sample(field, depth + 1, minimal);
        if (value !== undefined) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case 'record':
    case 'map':
      return def.type === 'map' ? new Map() : {};
    case 'set':
      return new Set();
    case 'union': {
      // Object forms first: they name the fields. The first option whose sample it accepts wins.
      const options = def.options as z.ZodType[];
      const ordered = [...options.filter((option) => defOf(option).type === 'object'), ...options.filter((option) => defOf(option).type !== 'object')];
      for (const option of ordered) {
        const value = sample(option, depth + 1, minimal);
        if (option.safeParse(value).success) return value;
      }
      return ordered[0] === undefined ? null : sample(ordered[0], depth + 1, minimal);
    }
    case 'intersection': {
      const left = sample(def.left, depth + 1, minimal);
      const right = sample(def.right, depth + 1, minimal);
      if (isPlainObject(left) && isPlainObject(right)) return { ...left, ...right };
      return left;
    }
    case 'optional':
    case 'nullable':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
    case 'success':
      return sample(def.innerType, depth, minimal);
    case 'default':
    case 'prefault':
      return structuredCloneSafe(def.defaultValue);
    case 'pipe':
      return sample(def.in, depth, minimal);
    case 'lazy':
      return sample((def.getter as () => unknown)(), depth, minimal);
    case 'promise':
      return sample(def.innerType, depth, minimal);
    default:
      // unknown, any, custom, never, symbol, file, function: nothing sensible to invent.
      return null;
  }
}

function sampleString(checks: CheckDef[]): string {
  let text = 'sample';
  for (const check of checks) {
    if (check.check !== 'string_format') continue;
    switch (check.format) {
      case 'email':
        text = 'someone@example.com';
        break;
      case 'url':
        text = 'https://example.com/';
        break;
      case 'uuid':
      case 'guid':
        text = '00000000-0000-4000-8000-000000000000';
        break;
      case 'datetime':
        text = '2000-01-01T00:00:00Z';
        break;
      case 'date':
        text = '2000-01-01';
        break;
      case 'time':
        text = '00:00:00';
        break;
      case 'ipv4':
        text = '192.0.2.1';
        break;
      case 'ipv6':
        text = '2001:db8::1';
        break;
      case 'starts_with':
        text = `${String(check.prefix)}${text}`;
        break;
      case 'ends_with':
        text = `${text}${String(check.suffix)}`;
        break;
      case 'includes':
        text = `${text}${String(check.includes)}`;
        break;
      default:
        break;
    }
  }
  const exact = checks.find((c) => c.check === 'length_equals')?.length;
  const min = Number(exact ?? checks.find((c) => c.check === 'min_length')?.minimum ?? 0);
  const max = Number(exact ?? checks.find((c) => c.check === 'max_length')?.maximum ?? Infinity);
  while (text.length < min) text += 'x';
  if (text.length > max) text = text.slice(0, max);
  return text;
}

function lowerBound(checks: CheckDef[]): number | bigint | undefined {
  const greater = checks.find((c) => c.check === 'greater_than');
  if (!greater) return undefined;
  const value = greater.value as number | bigint;
  return greater.inclusive ? value : typeof value === 'bigint' ? value + 1n : value;
}

function sampleNumber(checks: CheckDef[]): number {
  const isInt = checks.some((c) => c.check === 'number_format' && String(c.format).includes('int'));
  const greater = checks.find((c) => c.check === 'greater_than');
  const less = checks.find((c) => c.check === 'less_than');
  let value = 0;
  if (greater) {
    const bound = Number(greater.value);
    value = greater.inclusive ? bound : isInt ? Math.floor(bound) + 1 : bound + (less ? (Number(less.value) - bound) / 2 : 1);
  } else if (less) {
    const bound = Number(less.value);
    if (value > bound || (value === bound && !less.inclusive)) value = isInt ? Math.ceil(bound) - 1 : bound - 1;
  }
  const multiple = checks.find((c) => c.check === 'multiple_of');
  if (multiple) {
    const step = Number(multiple.value);
    value = Math.ceil(value / step) * step;
  }
  return isInt ? Math.ceil(value) : value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function structuredCloneSafe(value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch {
    return value;
  }
}
