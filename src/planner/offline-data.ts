// Filling a node's `data` from the words of its step, for the offline planner: only where the action's data
// schema has an obvious field (quoted text, URLs, e-mail addresses, file names, numbers, dates, times, names
// after cue words). What cannot be found is left out, never invented.
import type { CompiledAction } from './catalog-schema.js';
import {
  dates,
  emails,
  fileNames,
  numbers,
  phoneNumbers,
  phraseAfter,
  quotedStrings,
  times,
  urls,
} from './offline-text.js';
import { type JsonSchema, isPlainObject } from './strict-schema.js';
import { groupMembers, isStopword, words } from './text-match.js';

export interface StepText {
  /** The step's own words. */
  step: string;
  /** The whole task, for actions whose data is "the text itself". */
  task: string;
  /** Steps merged into this one because they matched no action: more words to find values in. */
  extra: string;
}

/** A value for `data`, or undefined to leave it out. The result is checked against the schema by the caller. */
export function fillData(action: CompiledAction, text: StepText, options: { onlyStep: boolean }): unknown {
  const schema = action.dataJson;
  const source = [text.step, text.extra].filter(Boolean).join(', ');
  const branches = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  const objectBranch = findBranch(schema, branches, 'object');
  const stringBranch = findBranch(schema, branches, 'string');

  if (stringBranch) {
    const value = stringData(action, stringBranch, text, source, options);
    if (value !== undefined) return value;
  }
  if (objectBranch) {
    const value = objectData(objectBranch, source);
    if (value !== undefined) return value;
    const properties = isPlainObject(objectBranch.properties) ? objectBranch.properties : {};
    if (asksPerson(text.step) && 'prompt' in properties) return { prompt: promptFrom(text.step) };
  }
  return undefined;
}

function asksPerson(step: string): boolean {
  return /^\s*(?:please\s+)?(?:ask|prompt)\b/iu.test(step);
}

/** "Ask me for a topic" → "Enter a topic"; "ask the user which city" → "Which city?". */
function promptFrom(step: string): string {
  const rest = step.replace(/^\s*(?:please\s+)?(?:ask|prompt)\s+(?:me|the user|the person|them|him|her|us)?\s*(?:for\s+)?/iu, '').trim();
  if (rest === '') return step.trim();
  if (/^(?:which|what|who|where|when|how|whether)\b/iu.test(rest)) return `${rest[0]?.toUpperCase()}${rest.slice(1).replace(/[?.]*$/u, '')}?`;
  return `Enter ${rest}`;
}

/** Does the step name a definite value (quoted text, URL, address, file, phone number, date, number)? */
export function hasDefiniteValue(text: string): boolean {
  return [quotedStrings, urls, emails, fileNames, phoneNumbers, dates, numbers].some((find) => find(text).length > 0);
}

function findBranch(schema: JsonSchema, branches: JsonSchema[] | undefined, type: string): JsonSchema | undefined {
  if (schema.type === type) return schema;
  return branches?.find((branch) => branch.type === type);
}

/** Data that is itself a string: the text an input starts from, a prompt, a template. */
function stringData(
  action: CompiledAction,
  branch: JsonSchema,
  text: StepText,
  source: string,
  options: { onlyStep: boolean },
): string | undefined {
  const namespace = action.name.split('.')[0] ?? '';
  const hint = `${typeof branch.description === 'string' ? branch.description : ''} ${namespace}`.toLowerCase();
  const quoted = quotedStrings(source)[0];
  if (namespace === 'input') {
    // "Ask me for a topic" asks a person (the object form's prompt); otherwise the task itself is the text the
    // workflow starts from, as in the seed's node 1.
    if (asksPerson(text.step) && !quoted) return undefined;
    return quoted ?? (options.onlyStep ? text.task : text.step);
  }
  if (/\bprompt\b|\binstruction\b|\bllm\b/u.test(hint)) return text.step;
  // Whatever else takes a plain string (text to show, a template, a path) takes what the step quotes.
  return quoted;
}

interface FieldKind {
  test: (name: string, description: string, schema: JsonSchema) => boolean;
  find: (source: string, used: Set<string>, name: string) => unknown;
}

const first = <T>(values: T[], used: Set<string>): T | undefined => values.find((v) => !used.has(String(v)));

/** How to find a value for a field, by what its name and description say; first match wins. */
const FIELD_KINDS: FieldKind[] = [
  {
    test: (name, description, schema) => /url|link|href|endpoint|uri/u.test(name) || schema.format === 'uri' || /\burl\b/u.test(description),
    find: (source, used) => first(urls(source), used),
  },
  {
    test: (name) => /e-?mail/u.test(name) || name === 'to' || name === 'recipient',
    find: (source, used) => first(emails(source), used),
  },
  {
    test: (name) => /phone|mobile|contact_number|telephone/u.test(name),
    find: (source, used) => first(phoneNumbers(source), used),
  },
  {
    test: (name, _, schema) => /date|day/u.test(name) && schema.type !== 'number' && schema.type !== 'integer',
    find: (source, used) => first(dates(source), used),
  },
  {
    test: (name) => /^time$|_time$|^time_|^at$/u.test(name),
    find: (source, used) => first(times(source), used),
  },
  {
    test: (name, description) => /^(path|file|filename|file_name|document|filepath|output)$/u.test(name) || /\bfile\b|\bpath\b/u.test(description),
    find: (source, used) => first(fileNames(source), used),
  },
  {
    test: (name) => /stock|ticker|symbol/u.test(name),
    find: (source, used) => first([...source.matchAll(/\b[A-Z]{2,5}\b/gu)].map((m) => m[0]).filter((w) => !/^(?:AM|PM|USA|US|UK|EU|OK)$/u.test(w)), used),
  },
  {
    test: (_, __, schema) => schema.type === 'number' || schema.type === 'integer',
    find: (source, used, name) => numberFor(source, used, name),
  },
];

/** Cue words that introduce a field's value in plain language, by field name. */
const CUES: [RegExp, string[]][] = [
  [/^(from|origin|source|departure)$/u, ['from']],
  [/^(to|destination|location|city|place|address|where|pickup_location)$/u, ['to', 'in', 'at', 'for']],
  [
    /platform|engine|network|website|store|bank|company|service|site|library|university|provider|shop/u,
    ['using', 'via', 'on', 'through', 'at', 'from', 'with', 'in'],
  ],
  [/topic|subject|query|question|issue|theme|about|keyword/u, ['about', 'on', 'regarding', 'for', 'of']],
  [
    /name|title|movie|song|book|product|item|course|job|hotel|restaurant|doctor|lawyer|package|software|insurance|disease|food|bill|country|year/u,
    ['named', 'called', 'titled', 'for', 'of'],
  ],
  [/content|text|message|body|note|caption|instruction|prompt|template/u, ['saying', 'that says', 'reading', 'with the text', 'with the message']],
];

function objectData(schema: JsonSchema, source: string): Record<string, unknown> | undefined {
  const properties = isPlainObject(schema.properties) ? (schema.properties as Record<string, JsonSchema>) : {};
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const used = new Set<string>();
  const result: Record<string, unknown> = {};
  const quoted = quotedStrings(source);
  const stringFields = Object.entries(properties).filter(([, s]) => isPlainObject(s) && s.type === 'string' && !Array.isArray(s.enum));

  for (const [name, field] of Object.entries(properties)) {
    if (!isPlainObject(field)) continue;
    const key = name.toLowerCase();
    const description = typeof field.description === 'string' ? field.description.toLowerCase() : '';
    let value: unknown;
    if (Array.isArray(field.enum)) {
      value = enumValue(field.enum as unknown[], source);
    } else {
      const kind = FIELD_KINDS.find((k) => k.test(key, description, field));
      if (kind) value = kind.find(source, used, key);
      if (value === undefined && field.type === 'string') value = exampleValue(description, source, used);
      if (value === undefined && field.type === 'string') value = groupMembers(source, key).find((w) => !used.has(w));
      if (value === undefined && field.type === 'string') value = stringValue(key, source, used, quoted, stringFields.length);
      if (value === undefined && field.type === 'array') value = listValue(key, field, source, quoted);
    }
    if (value === undefined) continue;
    // Optional fields are only filled with values the text names; required ones are worth a best guess.
    if (!required.has(name) && value === '') continue;
    result[name] = value;
    used.add(String(value));
  }
  return Object.keys(result).length > 0 ? result : undefined;
}

/** A description that lists its values ("the operation, eg. buy, sell, short") names the one the text uses. */
function exampleValue(description: string, source: string, used: Set<string>): string | undefined {
  const listed = /\b(?:e\.?g\.?|such as|for example|like|one of)[,:]?\s+(.+)$/iu.exec(description)?.[1];
  if (!listed) return undefined;
  const candidates = listed
    .replace(/\betc\.?$/iu, '')
    .split(/\s*,\s*|\s+or\s+|\s+and\s+/u)
    .map((c) => c.trim().replace(/[.;]+$/u, '').toLowerCase())
    .filter((c) => c.length > 1);
  const tokens = new Set(words(source));
  return candidates.find((c) => tokens.has(c) && !used.has(c));
}

function stringValue(key: string, source: string, used: Set<string>, quoted: string[], stringFieldCount: number): string | undefined {
  const freeQuote = quoted.find((q) => !used.has(q));
  // "the Data Science course", "my electricity bill": the words just before the field's own noun.
  const before = phraseBefore(source, key.replace(/_/gu, ' '));
  if (before && !used.has(before) && !(freeQuote && source.includes(`'${freeQuote}' ${key}`))) return before;
  for (const [pattern, cues] of CUES) {
    if (!pattern.test(key)) continue;
    // "named X", "about X": the cue's phrase, or a quoted value when the text quotes one.
    const phrase = phraseAfter(source, [key.replace(/_/gu, ' '), ...cues]);
    if (freeQuote && (!phrase || phrase.includes(freeQuote))) return freeQuote;
    if (phrase && !used.has(phrase)) return phrase;
  }
  if (freeQuote && stringFieldCount === 1) return freeQuote;
  return undefined;
}

/** Up to four content words right before `noun` ("New Tech University", "Software Engineer" job). */
function phraseBefore(source: string, noun: string): string | undefined {
  const match = new RegExp(`((?:[\\p{L}\\p{N}][\\p{L}\\p{N}'.&-]*\\s+){1,4})${noun.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')}s?\\b`, 'iu').exec(source);
  if (!match?.[1]) return undefined;
  const kept: string[] = [];
  for (const word of match[1].trim().split(/\s+/u).reverse()) {
    if (isStopword(word) || /^(?:an?|the|my|your|our|their|some|this|that)$/iu.test(word)) break;
    kept.unshift(word);
  }
  const phrase = kept.join(' ');
  return phrase.length > 1 && !/^\d+$/u.test(phrase) ? phrase : undefined;
}

function listValue(key: string, field: JsonSchema, source: string, quoted: string[]): string[] | undefined {
  const items = isPlainObject(field.items) ? field.items : {};
  const itemsTakeStrings = items.type === 'string' || (Array.isArray(items.anyOf) && (items.anyOf as JsonSchema[]).some((b) => b.type === 'string'));
  if (!itemsTakeStrings || !/choice|option|item|tag|value|list|keyword/u.test(key)) return undefined;
  if (quoted.length >= 2) return quoted;
  // "between A, B and C" / "choose from A, B or C"
  const match = /\b(?:between|from|among|either)\s+(.+)$/iu.exec(source);
  if (!match?.[1]) return undefined;
  const parts = match[1].split(/\s*,\s*|\s+(?:and|or)\s+/u).map((p) => p.trim()).filter(Boolean);
  return parts.length >= 2 ? parts : undefined;
}

function enumValue(values: unknown[], source: string): unknown {
  const tokens = new Set(words(source));
  return values.find((value) => typeof value === 'string' && value.length > 1 && tokens.has(value.toLowerCase()));
}

const UNIT_MS: Record<string, number> = { ms: 1, millisecond: 1, s: 1000, sec: 1000, second: 1000, min: 60_000, minute: 60_000, h: 3_600_000, hour: 3_600_000 };

/** A number from the text; for a field in milliseconds, "5 seconds" is 5000. */
function numberFor(source: string, used: Set<string>, name: string): number | undefined {
  if (/ms$|millis/u.test(name)) {
    const match = /(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|mins?|minutes?|h|hours?)\b/iu.exec(source);
    if (match?.[1] && match[2]) {
      const unit = match[2].toLowerCase().replace(/s$/u, '');
      const factor = UNIT_MS[unit] ?? UNIT_MS[unit.replace(/ec$/u, 'econd')] ?? 1;
      return Math.round(Number(match[1]) * factor);
    }
    if (/\ba minute\b/iu.test(source)) return 60_000;
    if (/\ba second\b/iu.test(source)) return 1000;
  }
  const taken = new Set([...dates(source), ...phoneNumbers(source), ...times(source)].join(' ').match(/\d+/gu) ?? []);
  return numbers(source).find((n) => !used.has(String(n)) && !taken.has(String(n)));
}
