// How actions read "the text" of their input: a predecessor's output may be a string, an object with a `text`
// field (the convention of every text-producing built-in) or anything else (shown as JSON).

/** The text an input carries: a string as is, `{ text }`'s text, nothing for undefined/null, else pretty JSON. */
export function inputText(input: unknown): string {
  if (input === undefined || input === null) return '';
  if (typeof input === 'string') return input;
  if (typeof input === 'number' || typeof input === 'boolean' || typeof input === 'bigint') return String(input);
  if (typeof input === 'object' && !Array.isArray(input) && Object.hasOwn(input, 'text')) {
    const text = (input as { text: unknown }).text;
    if (typeof text === 'string') return text;
  }
  return JSON.stringify(input, null, 2) ?? '';
}

/** The value of an own field of an object input, or undefined: never reads a prototype. */
export function inputField(input: unknown, field: string): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  return Object.hasOwn(input, field) ? (input as Record<string, unknown>)[field] : undefined;
}
