// Finds the JSON object in a model's answer: the whole text, a fenced code block, or the first balanced {...} in
// prose. Lenient on what models commonly get wrong (trailing commas, comments) by falling back to JSON5.
import JSON5 from 'json5';

export type Extracted = { ok: true; value: unknown } | { ok: false; reason: string };

export function extractJson(text: string): Extracted {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, reason: 'the answer is empty' };
  const whole = tryParse(trimmed);
  if (whole.ok) return whole;

  for (const block of fencedBlocks(trimmed)) {
    const parsed = tryParse(block);
    if (parsed.ok) return parsed;
  }
  for (const candidate of balancedObjects(trimmed)) {
    const parsed = tryParse(candidate);
    if (parsed.ok) return parsed;
  }
  return { ok: false, reason: `no JSON object found in the answer (${describeStart(trimmed)})` };
}

function tryParse(text: string): Extracted {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    try {
      return { ok: true, value: JSON5.parse(text) as unknown };
    } catch (error) {
      return { ok: false, reason: (error as Error).message };
    }
  }
}

function* fencedBlocks(text: string): Generator<string> {
  const fence = /```[A-Za-z0-9_-]*[ \t]*\r?\n([\s\S]*?)```/gu;
  for (const match of text.matchAll(fence)) {
    if (match[1] !== undefined) yield match[1].trim();
  }
}

/** Every balanced {...} span, outermost first, skipping braces inside strings. */
function* balancedObjects(text: string): Generator<string> {
  let start = text.indexOf('{');
  while (start !== -1) {
    const end = matchingBrace(text, start);
    if (end !== -1) {
      yield text.slice(start, end + 1);
      start = text.indexOf('{', end + 1);
    } else {
      start = text.indexOf('{', start + 1);
    }
  }
}

function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (quote !== undefined) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"') quote = ch;
    else if (ch === '{') depth++;
    else if (ch === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function describeStart(text: string): string {
  const flat = text.replace(/\s+/gu, ' ');
  return `it starts with "${flat.length > 40 ? `${flat.slice(0, 40)}...` : flat}"`;
}
