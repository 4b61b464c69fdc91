// A small, deterministic text matcher for the offline planner: tokens, light stemming, synonym groups, and a
// BM25 scorer over the actions' names, descriptions, examples and data field names.

const STOPWORDS = new Set(
  (
    'a an the and or but if then else otherwise of to in on at by for from with without into onto about as is are ' +
    'was were be been being it its this that these those there here i me my mine we us our you your he she they them ' +
    'their his her please kindly can could would should will shall may might must do does did done want wants wanted ' +
    'like need needs needed let lets help some any all each every so also just too very really up out over after before ' +
    'first next finally afterwards when while what which who whom whose how where why via using use through me myself ' +
    'i\'d i\'m i\'ll it\'s that\'s got make sure am have has had not no yes one provide give'
  ).split(' '),
);

/**
 * Words that name the same thing. Each group maps to its first word, so "purchase" and "buy" meet. Kept to
 * everyday action vocabulary: the point is recall on plain-language tasks, not a thesaurus.
 */
const SYNONYM_GROUPS: string[][] = [
  ['fetch', 'get', 'retrieve', 'download', 'load', 'request', 'grab', 'pull', 'http'],
  ['save', 'store', 'persist', 'file'],
  ['show', 'print', 'display', 'output', 'console', 'log', 'say'],
  ['ask', 'prompt', 'input', 'enter'],
  ['summary', 'summarize', 'summarise', 'summarization', 'summarisation', 'digest', 'condense', 'tldr'],
  ['approve', 'confirm', 'review', 'verify', 'approval', 'edit'],
  ['choose', 'choice', 'pick', 'select', 'option', 'decide'],
  ['tweet', 'twitter'],
  ['post', 'publish', 'share'],
  ['email', 'mail', 'e-mail', 'inbox'],
  ['sms', 'text-message'],
  ['call', 'phone', 'dial', 'ring'],
  ['buy', 'purchase', 'shop', 'shopping'],
  ['sell', 'auction'],
  ['movie', 'film', 'watch', 'cinema'],
  ['music', 'song', 'track', 'listen', 'tune'],
  ['news', 'headline', 'headlines', 'article', 'articles', 'latest'],
  ['weather', 'forecast', 'temperature'],
  ['search', 'find', 'lookup', 'look', 'google', 'query'],
  ['translate', 'translation'],
  ['classify', 'categorize', 'categorise', 'label', 'sort'],
  ['extract', 'parse', 'pull-out'],
  ['json', 'field'],
  ['note', 'notes', 'jot', 'remember', 'memo'],
  ['meeting', 'meet', 'conference', 'seminar', 'webinar'],
  ['alarm', 'wake', 'alert', 'reminder'],
  ['doctor', 'physician', 'medical', 'clinic'],
  ['lawyer', 'attorney', 'legal'],
  ['taxi', 'cab', 'ride'],
  ['drive', 'driving', 'car'],
  ['food', 'meal', 'pizza', 'sushi', 'dinner', 'lunch'],
  ['hotel', 'room', 'accommodation'],
  ['flight', 'fly', 'plane', 'airline'],
  ['restaurant', 'table', 'reservation'],
  ['package', 'parcel', 'deliver', 'ship'],
  ['bill', 'invoice', 'utility', 'electricity'],
  ['pay', 'payment', 'paid'],
  ['bank', 'banking', 'transfer', 'fund', 'funds', 'account'],
  ['stock', 'stocks', 'invest', 'trade'],
  ['course', 'class', 'enroll', 'enrol', 'study', 'university'],
  ['job', 'position', 'career', 'apply', 'application'],
  ['book', 'reserve', 'booking'],
  ['install', 'uninstall', 'software', 'app', 'update', 'upgrade'],
  ['robot', 'housework', 'clean', 'tidy', 'vacuum', 'chore'],
  ['audio', 'voice', 'sound'],
  ['video', 'camera'],
  ['document', 'pdf', 'paper'],
  ['social', 'facebook', 'instagram', 'linkedin', 'network'],
  ['message', 'notify', 'notification', 'tell'],
  ['text', 'string', 'content', 'words'],
  ['web', 'url', 'page', 'website', 'site', 'link', 'webpage'],
  ['condition', 'whether'],
];

const CANONICAL = new Map<string, string>();
for (const group of SYNONYM_GROUPS) {
  const head = stem(group[0] ?? '');
  for (const word of group) if (!CANONICAL.has(stem(word))) CANONICAL.set(stem(word), head);
}

/** Lowercase word tokens, identifiers split on `.`, `_`, `-` and camelCase. */
export function words(text: string): string[] {
  return text
    .replace(/([a-z])([A-Z])/gu, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9']+/u)
    .map((w) => w.replace(/^'+|'+$/gu, ''))
    .filter((w) => w.length > 0);
}

/** Light suffix stripping: plurals, -ing, -ed, -ly. Enough for "posting"/"posts"/"posted" to meet. */
export function stem(word: string): string {
  let w = word.toLowerCase();
  if (w.length <= 3) return w;
  if (w.endsWith('ies') && w.length > 4) return `${w.slice(0, -3)}y`;
  if (w.endsWith('sses')) return w.slice(0, -2);
  if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);
  for (const suffix of ['ing', 'ed']) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3) {
      w = w.slice(0, -suffix.length);
      // running → run, stopped → stop
      if (w.length >= 3 && w.at(-1) === w.at(-2) && !'lsz'.includes(w.at(-1) ?? '')) w = w.slice(0, -1);
      break;
    }
  }
  if (w.endsWith('ly') && w.length > 5) w = w.slice(0, -2);
  // approve / approved / approving all meet at "approv".
  if (w.endsWith('e') && w.length >= 4) w = w.slice(0, -1);
  return w;
}

/** Content tokens: words minus stopwords, stemmed, mapped to their synonym group. */
export function terms(text: string): string[] {
  return words(text)
    .filter((w) => !STOPWORDS.has(w))
    .map((w) => {
      const s = stem(w);
      return CANONICAL.get(s) ?? s;
    });
}

export function isStopword(word: string): boolean {
  return STOPWORDS.has(word.toLowerCase());
}

export interface MatchDocument {
  id: string;
  /** Weighted fields: name words count most, then examples, description, data field names. */
  fields: { text: string; weight: number }[];
  /**
   * Words of the name itself: a query word that names the action ("print" for output.console) counts even when
   * common words of descriptions make its IDF small.
   */
  nameText?: string;
  /** Phrases whose first word is a verb the action does ("summarise the text"): a step led by it counts more. */
  verbPhrases?: readonly string[];
}

export interface Match {
  id: string;
  score: number;
  /** The query terms that matched this document. */
  matched: string[];
}

/** BM25 over weighted fields, computed once per catalog. */
export class Bm25Index {
  readonly #docs: { id: string; tf: Map<string, number>; length: number; name: Set<string>; verbs: Set<string> }[] = [];
  readonly #df = new Map<string, number>();
  readonly #avgLength: number;
  static readonly k1 = 1.2;
  static readonly b = 0.5;
  /** Added per query word that is one of the action's name words. */
  static readonly nameBonus = 1;
  /** Added when the query's first word is the leading verb of one of the action's example phrases. */
  static readonly verbBonus = 0.75;
  /**
   * Taken off per IDF of each name word the query lacks: "buy headphones" is not about buy_insurance, whose
   * distinctive word is missing, while a missing common word ("online") costs little.
   */
  static readonly missingNamePenalty = 0.3;

  constructor(documents: MatchDocument[]) {
    let total = 0;
    for (const doc of documents) {
      const tf = new Map<string, number>();
      let length = 0;
      for (const field of doc.fields) {
        // A word counts once per field: a description that repeats "summary" is not more about summaries.
        for (const term of new Set(terms(field.text))) {
          tf.set(term, (tf.get(term) ?? 0) + field.weight);
          length += field.weight;
        }
      }
      for (const term of tf.keys()) this.#df.set(term, (this.#df.get(term) ?? 0) + 1);
      const verbs = new Set((doc.verbPhrases ?? []).map((phrase) => terms(phrase)[0]).filter((t): t is string => !!t));
      this.#docs.push({ id: doc.id, tf, length, name: new Set(terms(doc.nameText ?? '')), verbs });
      total += length;
    }
    this.#avgLength = documents.length > 0 ? total / documents.length : 1;
  }

  idf(term: string): number {
    const n = this.#docs.length;
    const df = this.#df.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Documents that share a term with the query, best first (ties broken by id for determinism). */
  search(query: string | string[]): Match[] {
    const allTerms = Array.isArray(query) ? query : terms(query);
    const queryTerms = [...new Set(allTerms)];
    const leading = allTerms[0];
    const results: Match[] = [];
    for (const doc of this.#docs) {
      let score = 0;
      const matched: string[] = [];
      for (const term of queryTerms) {
        const f = doc.tf.get(term);
        if (!f) continue;
        const norm = f * (Bm25Index.k1 + 1);
        const denom = f + Bm25Index.k1 * (1 - Bm25Index.b + (Bm25Index.b * doc.length) / this.#avgLength);
        score += this.idf(term) * (norm / denom) + (doc.name.has(term) ? Bm25Index.nameBonus : 0);
        matched.push(term);
      }
      if (score > 0 && leading !== undefined && doc.verbs.has(leading)) score += Bm25Index.verbBonus;
      if (score > 0) {
        for (const term of doc.name) if (!queryTerms.includes(term)) score -= Bm25Index.missingNamePenalty * this.idf(term);
      }
      if (score > 0) results.push({ id: doc.id, score, matched });
    }
    return results.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
  }
}

/** The canonical form of one word (stemmed, then its synonym group's head). */
export function canonical(word: string): string {
  const s = stem(word);
  return CANONICAL.get(s) ?? s;
}

/**
 * Words of `text` in the same synonym group as `field` but not the field's own word: for a field "food" in
 * "order a pizza", "pizza"; for "bill" in "pay my electricity bill", "electricity".
 */
export function groupMembers(text: string, field: string): string[] {
  const head = canonical(field);
  const own = stem(field);
  if (!CANONICAL.has(own) && !CANONICAL.has(stem(head))) return [];
  return words(text).filter((w) => !STOPWORDS.has(w) && stem(w) !== own && canonical(w) === head);
}
