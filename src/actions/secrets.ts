// Secrets: the environment variables an action declares, resolved from the environment and then the project's
// `.env`, handed only to that action; and the redaction that keeps their values out of every log, event, error
// and journal line. Graphs never name variables: only action definitions do.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Problem } from '../errors.js';

/** A node that is about to run and the secrets its action declares. */
export interface SecretRequest {
  nodeId: string;
  action: { name: string; secrets: readonly string[] };
}

export interface ResolvedSecrets {
  /** Per action name, the values of the secrets it declares that were found. Null-prototype records. */
  byAction: Map<string, Readonly<Record<string, string>>>;
  /** SECRET_MISSING (error) per node and variable; DOTENV_INVALID (warning) per unreadable `.env` line. */
  problems: Problem[];
  /** Every value handed out, for `redactor`. */
  values: string[];
}

export const DOTENV_FILE = '.env';

/**
 * Resolves the secrets of the nodes about to run: the environment first, then `.env` in the project folder
 * (read only when something is missing from the environment). An empty value counts as missing.
 */
export async function resolveSecrets(options: {
  nodes: Iterable<SecretRequest>;
  env: Readonly<Record<string, string | undefined>>;
  projectDir: string;
}): Promise<ResolvedSecrets> {
  const problems: Problem[] = [];
  const byAction = new Map<string, Record<string, string>>();
  const values = new Set<string>();
  let dotenv: Map<string, string> | undefined;
  const fromDotenv = async (name: string): Promise<string | undefined> => {
    if (dotenv === undefined) {
      const loaded = await loadDotEnv(options.projectDir);
      dotenv = loaded.values;
      problems.push(...loaded.problems);
    }
    return dotenv.get(name);
  };

  for (const { nodeId, action } of options.nodes) {
    let record = byAction.get(action.name);
    if (record === undefined) {
      record = Object.create(null) as Record<string, string>;
      byAction.set(action.name, record);
    }
    for (const name of action.secrets) {
      if (Object.hasOwn(record, name)) continue;
      const fromEnv = Object.hasOwn(options.env, name) ? options.env[name] : undefined;
      const value = fromEnv ? fromEnv : await fromDotenv(name);
      if (value) {
        record[name] = value;
        values.add(value);
        continue;
      }
      // Report each missing variable once per node, so a run's problems list every node that needs it.
      problems.push({
        code: 'SECRET_MISSING',
        path: ['nodes', nodeId, 'action'],
        message: `node "${nodeId}": action "${action.name}" needs the secret ${name}: set it in the environment or in ${DOTENV_FILE}`,
        severity: 'error',
      });
    }
  }
  return { byAction, problems, values: [...values] };
}

/** Reads and parses `.env` in `projectDir`; a missing file is empty. */
export async function loadDotEnv(projectDir: string): Promise<{ values: Map<string, string>; problems: Problem[] }> {
  let text: string;
  try {
    text = await readFile(path.join(projectDir, DOTENV_FILE), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { values: new Map(), problems: [] };
    return {
      values: new Map(),
      problems: [
        {
          code: 'DOTENV_UNREADABLE',
          path: [DOTENV_FILE],
          message: `${DOTENV_FILE}: cannot read: ${(error as Error).message}`,
          severity: 'warning',
        },
      ],
    };
  }
  const parsed = parseDotEnv(text);
  return {
    values: parsed.values,
    problems: parsed.errors.map(({ line, message }) => ({
      code: 'DOTENV_INVALID',
      path: [DOTENV_FILE, line],
      message: `${DOTENV_FILE}:${line}: ${message}`,
      severity: 'warning' as const,
    })),
  };
}

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/u;

/**
 * Parses `.env` text: `KEY=value` lines, an optional `export ` prefix, `#` comments (a `#` inside an unquoted
 * value starts a comment only after whitespace), double quotes with \n \r \t \" \\ escapes and single or
 * backtick quotes taken literally; quoted values may span lines. No `$VAR` expansion. The last definition wins.
 */
export function parseDotEnv(text: string): { values: Map<string, string>; errors: { line: number; message: string }[] } {
  const values = new Map<string, string>();
  const errors: { line: number; message: string }[] = [];
  const lines = text.replace(/^\uFEFF/u, '').split(/\r?\n/u);
  for (let index = 0; index < lines.length; index++) {
    const lineNumber = index + 1;
    let line = (lines[index] ?? '').trim();
    if (line === '' || line.startsWith('#')) continue;
    if (/^export\s/u.test(line)) line = line.slice('export'.length).trimStart();
    const equals = line.indexOf('=');
    if (equals === -1) {
      errors.push({ line: lineNumber, message: 'expected KEY=value' });
      continue;
    }
    const key = line.slice(0, equals).trim();
    if (!KEY.test(key)) {
      errors.push({ line: lineNumber, message: `"${key}" is not a variable name` });
      continue;
    }
    let rest = line.slice(equals + 1).trimStart();
    const quote = rest[0];
    if (quote === '"' || quote === "'" || quote === '`') {
      // Read until the closing quote, joining following lines when the value spans them.
      let body = rest.slice(1);
      let end = findClosingQuote(body, quote);
      while (end === -1 && index + 1 < lines.length) {
        index++;
        body += `\n${lines[index] ?? ''}`;
        end = findClosingQuote(body, quote);
      }
      if (end === -1) {
        errors.push({ line: lineNumber, message: `unclosed ${quote} quote` });
        continue;
      }
      const after = body.slice(end + 1).trim();
      if (after !== '' && !after.startsWith('#')) {
        errors.push({ line: lineNumber, message: 'unexpected text after the closing quote' });
        continue;
      }
      const raw = body.slice(0, end);
      values.set(key, quote === '"' ? unescapeDoubleQuoted(raw) : raw);
    } else {
      const comment = rest.search(/\s#/u);
      if (comment !== -1) rest = rest.slice(0, comment);
      values.set(key, rest.trim());
    }
  }
  return { values, errors };
}

function findClosingQuote(text: string, quote: string): number {
  for (let i = 0; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') {
      i++;
      continue;
    }
    if (text[i] === quote) return i;
  }
  return -1;
}

function unescapeDoubleQuoted(raw: string): string {
  return raw.replace(/\\([nrt"\\])/gu, (_, char: string) =>
    char === 'n' ? '\n' : char === 'r' ? '\r' : char === 't' ? '\t' : char,
  );
}

export const REDACTED = '[redacted]';

export type Redact = (text: string) => string;

/**
 * A function that replaces every secret value in a text with `[redacted]`, also in the encoded forms a value
 * takes in URLs (percent-encoded, form-encoded) and inside JSON strings.
 */
export function redactor(secretValues: Iterable<string>): Redact {
  const forms = new Set<string>();
  for (const value of secretValues) {
    if (!value) continue;
    forms.add(value);
    forms.add(encodeURIComponent(value));
    forms.add(new URLSearchParams({ v: value }).toString().slice(2));
    forms.add(JSON.stringify(value).slice(1, -1));
  }
  if (forms.size === 0) return (text) => text;
  // Longest first, so a secret that contains another is replaced whole.
  const pattern = new RegExp(
    [...forms]
      .sort((a, b) => b.length - a.length)
      .map((form) => form.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&'))
      .join('|'),
    'gu',
  );
  return (text) => text.replace(pattern, REDACTED);
}

/**
 * A deep copy of `value` with every string (and object key) passed through `redact`: plain and null-prototype
 * objects, arrays, Maps, Sets and Errors (message, stack, cause and own fields such as details). Cycles are kept.
 * Other class instances keep their prototype; Dates and binary buffers are returned as they are.
 */
export function redactValue<T>(value: T, redact: Redact): T {
  const seen = new WeakMap<object, unknown>();
  const walk = (current: unknown): unknown => {
    if (typeof current === 'string') return redact(current);
    if (typeof current !== 'object' || current === null) return current;
    if (current instanceof Date || ArrayBuffer.isView(current) || current instanceof ArrayBuffer) return current;
    const known = seen.get(current);
    if (known !== undefined) return known;
    if (Array.isArray(current)) {
      const copy: unknown[] = [];
      seen.set(current, copy);
      for (const item of current) copy.push(walk(item));
      return copy;
    }
    if (current instanceof Map) {
      const copy = new Map<unknown, unknown>();
      seen.set(current, copy);
      for (const [key, item] of current) copy.set(walk(key), walk(item));
      return copy;
    }
    if (current instanceof Set) {
      const copy = new Set<unknown>();
      seen.set(current, copy);
      for (const item of current) copy.add(walk(item));
      return copy;
    }
    const copy = Object.create(Object.getPrototypeOf(current) as object | null) as Record<string, unknown>;
    seen.set(current, copy);
    // Errors keep message and stack as non-enumerable own properties: copy those too.
    const keys = current instanceof Error ? Object.getOwnPropertyNames(current) : Object.keys(current);
    for (const key of keys) {
      const descriptor = Object.getOwnPropertyDescriptor(current, key);
      if (!descriptor || !('value' in descriptor)) continue;
      Object.defineProperty(copy, current instanceof Error ? key : redact(key), {
        value: walk(descriptor.value),
        enumerable: descriptor.enumerable ?? true,
        writable: true,
        configurable: true,
      });
    }
    return copy;
  };
  return walk(value) as T;
}
