// Reading a plain-language task for the offline planner: split it into steps ("then", "after that", commas,
// "and", "if ... otherwise ..."), and pull out the values a step names (quoted text, URLs, e-mail addresses,
// file names, numbers, dates, times, phone numbers).

/** One step of the task, with the branch it sits on when the task says "if ... otherwise ...". */
export interface TaskStep {
  text: string;
  /** Set on the first step of each branch: the condition's text and which side this branch is. */
  branch?: { condition: string; side: 'then' | 'else'; group: number };
}

const PLACEHOLDER = /\u0000(\d+)\u0000/gu;
const MONTH_WORDS =
  'january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec';

/**
 * Values that must never be split (a URL's dots, a quoted "a, b and c") are swapped for placeholders while
 * splitting and restored after.
 */
export class Protected {
  readonly values: string[] = [];
  readonly text: string;

  constructor(text: string) {
    const patterns = [
      /"[^"\n]*"|“[^”\n]*”|‘[^’\n]*’|(?<![\p{L}\p{N}])'[^'\n]+'(?![\p{L}\p{N}])/gu,
      /\bhttps?:\/\/[^\s"'<>]+[^\s"'<>.,;:!?)]/gu,
      /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/gu,
      /\b[\w-]+(?:\.[\w-]+)*\.[A-Za-z][A-Za-z0-9]{0,4}\b(?=[\s,;:!?)]|\.(?:\s|$)|$)/gu,
      /\b(?:Dr|Mr|Mrs|Ms|St|Ave|Inc|Ltd|Jr|Sr|vs|etc|e\.g|i\.e)\./gu,
      /\b\d+(?:[.,:]\d+)+\b/gu,
      // "August 1, 2023" and "1st of November, 2022" must survive the split on commas.
      new RegExp(`\\b(?:${MONTH_WORDS})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,\\s*\\d{4}\\b`, 'giu'),
      new RegExp(`\\b\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?(?:${MONTH_WORDS})\\.?,\\s*\\d{4}\\b`, 'giu'),
    ];
    let current = text;
    for (const pattern of patterns) {
      current = current.replace(pattern, (match) => {
        // A "file name" that is really a sentence end followed by a word ("done.Then") is not protected.
        this.values.push(match);
        return `\u0000${this.values.length - 1}\u0000`;
      });
    }
    this.text = current;
  }

  restore(text: string): string {
    let result = text;
    // Placeholders may nest (a quoted string that held a URL), so restore until none are left.
    for (let i = 0; i < 5 && PLACEHOLDER.test(result); i++) {
      result = result.replace(PLACEHOLDER, (_, index: string) => this.values[Number(index)] ?? '');
    }
    return result;
  }
}

const SENTENCE_END = /(?<=[.!?;])\s+|(?<=[.!?;])$/u;
const THEN_PHRASES = [
  'and then',
  'and after that',
  'after that',
  'afterwards',
  'and afterwards',
  'then',
  'and finally',
  'finally',
  'next',
  'followed by',
  "once (?:that is|that's|it is|it's) done",
  "when (?:that is|that's|it is|it's) done",
];
const THEN_WORDS = new RegExp(String.raw`\s*(?:,\s*)?\b(?:${THEN_PHRASES.join('|')})\b[,:]?\s*`, 'giu');
const COMMA = /\s*,\s*(?:and\s+(?:also\s+)?)?/gu;
const AND = /\s+and\s+(?:also\s+)?/giu;

/** Splits a task into steps, in order. Fine-grained: the planner merges steps that match no action. */
export function splitSteps(task: string): TaskStep[] {
  const guarded = new Protected(task.replace(/\s+/gu, ' ').trim());
  const steps: TaskStep[] = [];
  let group = 0;
  const sentences = guarded.text.split(SENTENCE_END).map((s) => s.replace(/[.!?;]+$/u, '').trim()).filter(Boolean);
  for (const sentence of sentences) {
    const conditional = splitConditional(sentence);
    if (conditional) {
      group++;
      pushClauses(steps, conditional.before, guarded);
      const thenSteps = clauses(conditional.then, guarded);
      const elseSteps = conditional.otherwise ? clauses(conditional.otherwise, guarded) : [];
      const condition = guarded.restore(conditional.condition);
      thenSteps.forEach((text, index) =>
        steps.push(index === 0 ? { text, branch: { condition, side: 'then', group } } : { text }),
      );
      elseSteps.forEach((text, index) =>
        steps.push(index === 0 ? { text, branch: { condition, side: 'else', group } } : { text }),
      );
      continue;
    }
    const otherwise = /^(?:otherwise|else|if not)\b[,:]?\s*(.*)$/iu.exec(sentence);
    if (otherwise && group > 0 && otherwise[1]) {
      const previous = [...steps].reverse().find((s) => s.branch?.group === group);
      clauses(otherwise[1], guarded).forEach((text, index) =>
        steps.push(index === 0 ? { text, branch: { condition: previous?.branch?.condition ?? '', side: 'else', group } } : { text }),
      );
      continue;
    }
    pushClauses(steps, sentence, guarded);
  }
  return steps;
}

function pushClauses(steps: TaskStep[], text: string, guarded: Protected): void {
  for (const clause of clauses(text, guarded)) steps.push({ text: clause });
}

function clauses(text: string, guarded: Protected): string[] {
  return text
    .split(THEN_WORDS)
    .flatMap((part) => part.split(COMMA))
    .flatMap((part) => part.split(AND))
    .map((part) => guarded.restore(part.trim()))
    .filter((part) => part.length > 0);
}

/** "[before,] if X[,] [then] A[, otherwise B]" */
function splitConditional(
  sentence: string,
): { before: string; condition: string; then: string; otherwise?: string } | undefined {
  const match = /^(.*?)\b(if|in case|unless|when)\s+(.+)$/iu.exec(sentence);
  if (!match) return undefined;
  const before = (match[1] ?? '').replace(/[,\s]+$/u, '').replace(/\b(?:and|then)$/iu, '').replace(/[,\s]+$/u, '').trim();
  const negated = (match[2] ?? '').toLowerCase() === 'unless';
  const rest = match[3] ?? '';
  // The condition ends at ", then", " then ", or the first comma.
  // The condition ends at ", then", " then " or a comma; without those, a condition like "I approve it" usually
  // ends at its object pronoun.
  const splits = [
    /^(.+?)(?:,\s*then\s+|\s+then\s+|,\s*)(.+)$/iu.exec(rest),
    /^(.+?\b(?:it|them|this|that|so|ok|okay|yes|approved|true|false))\s+(.+)$/iu.exec(rest),
  ];
  for (const split of splits) {
    if (!split) continue;
    const condition = (split[1] ?? '').trim();
    let then = (split[2] ?? '').trim();
    let otherwise: string | undefined;
    const other = /^(.*?)(?:,?\s*\b(?:otherwise|else|or else|if not)\b[,:]?\s*)(.*)$/iu.exec(then);
    if (other) {
      then = (other[1] ?? '').trim();
      otherwise = (other[2] ?? '').trim() || undefined;
    }
    if (!then || !condition) continue;
    const result = { before, condition: negated ? `not ${condition}` : condition, then };
    return otherwise ? { ...result, otherwise } : result;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Values in a step

export function quotedStrings(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/"([^"\n]+)"|“([^”\n]+)”|‘([^’\n]+)’|(?<![\p{L}\p{N}])'([^'\n]+)'(?![\p{L}\p{N}])/gu)) {
    const value = match[1] ?? match[2] ?? match[3] ?? match[4];
    if (value) found.push(value);
  }
  return found;
}

export function urls(text: string): string[] {
  return [...text.matchAll(/\bhttps?:\/\/[^\s"'<>]+[^\s"'<>.,;:!?)]/gu)].map((m) => m[0]);
}

export function emails(text: string): string[] {
  return [...text.matchAll(/\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/gu)].map((m) => m[0]);
}

export function fileNames(text: string): string[] {
  const withoutUrls = text.replace(/\bhttps?:\/\/\S+/gu, ' ').replace(/\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/gu, ' ');
  return [...withoutUrls.matchAll(/(?<![\w@/])((?:[\w-]+\/)*[\w-]+(?:\.[\w-]+)*\.(?:[a-z][a-z0-9]{0,4}))\b/giu)]
    .map((m) => m[1] ?? '')
    .filter((name) => !/^\d+\.\d+$/u.test(name) && !/^(?:e\.g|i\.e|dr|mr|mrs|st)\.?$/iu.test(name) && /[a-z]/iu.test(name.split('.').at(-1) ?? ''));
}

export function phoneNumbers(text: string): string[] {
  return [...text.matchAll(/(?<![\w-])\+?\d[\d\s().-]{6,}\d(?![\w-])/gu)]
    .map((m) => m[0].trim())
    .filter((value) => value.replace(/\D/gu, '').length >= 7 && !/^\d{4}-\d{2}-\d{2}$/u.test(value));
}

export function numbers(text: string): number[] {
  const cleaned = text.replace(/\bhttps?:\/\/\S+/gu, ' ');
  return [...cleaned.matchAll(/(?<![\w.])-?\d+(?:\.\d+)?(?![\w.]*\w)/gu)].map((m) => Number(m[0])).filter(Number.isFinite);
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** Dates as ISO `YYYY-MM-DD`: "2023-08-01", "August 1, 2023", "1st of November, 2022", "May 20th 2023". */
export function dates(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/\b(\d{4})-(\d{2})-(\d{2})\b/gu)) found.push(`${m[1]}-${m[2]}-${m[3]}`);
  const month = `(${MONTHS.join('|')}|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\\.?`;
  const day = '(\\d{1,2})(?:st|nd|rd|th)?';
  const monthFirst = new RegExp(`\\b${month}\\s+${day}(?:,?\\s+(\\d{4}))?\\b`, 'giu');
  const dayFirst = new RegExp(`\\b(?:the\\s+)?${day}(?:\\s+of)?\\s+${month}(?:,?\\s+(\\d{4}))?\\b`, 'giu');
  for (const m of text.matchAll(monthFirst)) pushDate(found, m[1], m[2], m[3]);
  for (const m of text.matchAll(dayFirst)) pushDate(found, m[2], m[1], m[3]);
  return [...new Set(found)];
}

function pushDate(found: string[], monthName: string | undefined, day: string | undefined, year: string | undefined): void {
  if (!monthName || !day || !year) return;
  const index = MONTHS.findIndex((name) => name.startsWith(monthName.toLowerCase().replace(/\.$/u, '').slice(0, 3)));
  const d = Number(day);
  if (index < 0 || d < 1 || d > 31) return;
  found.push(`${year}-${String(index + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
}

/** Times of day as written: "08:00", "9:00 AM", "7 pm". */
export function times(text: string): string[] {
  return [...text.matchAll(/\b(\d{1,2}:\d{2}(?:\s?[AaPp]\.?[Mm]\.?)?|\d{1,2}\s?[AaPp]\.?[Mm]\.?)(?!\w)/gu)].map((m) => (m[1] ?? '').trim());
}

/**
 * The phrase after one of `cues` ("about", "named", "to", ...), up to the next cue-like word or punctuation:
 * "order a taxi to 123 Main St using Uber" with cue "to" gives "123 Main St".
 */
export function phraseAfter(text: string, cues: readonly string[]): string | undefined {
  for (const cue of cues) {
    const pattern = new RegExp(
      `(?:^|\\s)${escapeRegExp(cue)}\\s+(?:the\\s+|a\\s+|an\\s+|my\\s+)?(.+?)(?=\\s+(?:${STOP_CUES})\\b|[,;:!?]|\\.(?:\\s|$)|$)`,
      'iu',
    );
    for (const match of text.matchAll(new RegExp(pattern.source, 'giu'))) {
      // "want to book a car" is a verb, not a destination.
      const before = text.slice(0, match.index).trimEnd().split(/\s+/u).at(-1)?.toLowerCase() ?? '';
      if (cue === 'to' && INFINITIVE_BEFORE.has(before)) continue;
      const phrase = match[1]?.trim().replace(/^['"“‘]|['"”’]$/gu, '');
      if (phrase) return phrase;
    }
  }
  return undefined;
}

const INFINITIVE_BEFORE = new Set(['want', 'wants', 'need', 'needs', 'like', 'love', 'have', 'has', 'going', 'able', 'how', 'wish', 'plan', 'try', 'me', 'him', 'her', 'them', 'us', 'used', 'ought', 'supposed', 'trying', 'order', 'robot']);

const STOP_CUES =
  'to|from|using|via|through|on|at|in|for|about|with|by|and|then|named|called|titled|saying|that|which|who|so|because|after|before|into|onto|as|of';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
}
