// A small JSON5 reader (comments, trailing commas, single quotes, unquoted keys, hex, ±Infinity/NaN) that keeps what
// JSON.parse and the json5 package lose: the file order of integer-like keys ("10" before "2"), duplicate keys,
// and offsets for line/column messages. Objects come out as plain objects (as JSON.parse makes them), with a
// `__proto__` key stored as an own property, never as a prototype.

export class Json5SyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'Json5SyntaxError';
  }
}

export interface DuplicateKey {
  /** The path of the repeated member, e.g. ['nodes', '3']. */
  path: (string | number)[];
  /** Offset of the second (ignored-order, winning-value) occurrence of the key. */
  offset: number;
}

export interface Json5Document {
  value: unknown;
  /** Key order for objects whose Object.keys order differs from the file (those with integer-like keys). */
  keyOrder: WeakMap<object, string[]>;
  duplicateKeys: DuplicateKey[];
}

/** Nesting deeper than this is refused: recursion depth is bounded on untrusted input. */
export const MAX_DEPTH = 1000;

/** The keys of a parsed object in file order. */
export function orderedKeys(doc: Pick<Json5Document, 'keyOrder'>, object: object): string[] {
  return doc.keyOrder.get(object) ?? Object.keys(object);
}

export function parseJson5(text: string): Json5Document {
  const reader = new Json5Reader(text);
  const value = reader.readDocument();
  return { value, keyOrder: reader.keyOrder, duplicateKeys: reader.duplicateKeys };
}

// Char codes used below.
const TAB = 9;
const LF = 10;
const VT = 11;
const FF = 12;
const CR = 13;
const SPACE = 32;
const QUOTE = 34;
const APOSTROPHE = 39;
const PLUS = 43;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const SLASH = 47;
const DIGIT_0 = 48;
const DIGIT_9 = 57;
const COLON = 58;
const BACKSLASH = 92;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

const ID_START = /[$_\p{ID_Start}]/u;
const ID_CONTINUE = /[$\u200c\u200d\p{ID_Continue}]/u;

function isDigit(code: number): boolean {
  return code >= DIGIT_0 && code <= DIGIT_9;
}

function isHexDigit(code: number): boolean {
  return isDigit(code) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

/** Keys that JS objects list first, in numeric order: digits only, no leading zero. */
function isIndexLike(key: string): boolean {
  const first = key.charCodeAt(0);
  if (!isDigit(first) || (first === DIGIT_0 && key.length > 1)) return false;
  for (let i = 1; i < key.length; i++) if (!isDigit(key.charCodeAt(i))) return false;
  return true;
}

/** Describes the character at `offset` for a message: `'}'`, `U+0007` or `end of input`. */
function describeChar(text: string, offset: number): string {
  if (offset >= text.length) return 'end of input';
  const code = text.codePointAt(offset) ?? 0;
  if (code < 32 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029) {
    return `character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return `'${String.fromCodePoint(code)}'`;
}

/**
 * The tokenizer and value builder. `skipValue` and the member loop are shared with the path locator, which walks
 * the same text without building values.
 */
export class Json5Reader {
  pos = 0;
  readonly keyOrder = new WeakMap<object, string[]>();
  readonly duplicateKeys: DuplicateKey[] = [];
  /** The member path of the value being read; only used to name duplicate keys. */
  readonly #path: (string | number)[] = [];

  constructor(readonly text: string) {}

  readDocument(): unknown {
    this.skipSpace();
    if (this.pos >= this.text.length) this.fail('the file is empty: expected a JSON value');
    const value = this.readValue(0);
    this.skipSpace();
    if (this.pos < this.text.length) this.fail(`unexpected ${describeChar(this.text, this.pos)} after the end of the value`);
    return value;
  }

  fail(message: string, offset = this.pos): never {
    throw new Json5SyntaxError(message, offset);
  }

  unexpected(expected: string): never {
    this.fail(`unexpected ${describeChar(this.text, this.pos)}: expected ${expected}`);
  }

  /** Skips whitespace (JSON5's set, including Unicode spaces and the BOM) and comments. */
  skipSpace(): void {
    const text = this.text;
    const length = text.length;
    while (this.pos < length) {
      const code = text.charCodeAt(this.pos);
      if (code === SPACE || code === LF || code === CR || code === TAB) {
        this.pos++;
      } else if (code === SLASH) {
        const next = text.charCodeAt(this.pos + 1);
        if (next === SLASH) {
          this.pos += 2;
          while (this.pos < length) {
            const c = text.charCodeAt(this.pos);
            if (c === LF || c === CR || c === 0x2028 || c === 0x2029) break;
            this.pos++;
          }
        } else if (next === 42 /* * */) {
          const end = text.indexOf('*/', this.pos + 2);
          if (end < 0) this.fail('unterminated /* comment');
          this.pos = end + 2;
        } else {
          return;
        }
      } else if (
        code === VT ||
        code === FF ||
        code === 0xa0 ||
        code === 0xfeff ||
        code === 0x2028 ||
        code === 0x2029 ||
        code === 0x1680 ||
        (code >= 0x2000 && code <= 0x200a) ||
        code === 0x202f ||
        code === 0x205f ||
        code === 0x3000
      ) {
        this.pos++;
      } else {
        return;
      }
    }
  }

  /** Reads the value at the current position (whitespace already skipped). */
  readValue(depth: number): unknown {
    const code = this.text.charCodeAt(this.pos);
    if (code === OPEN_BRACE) return this.readObject(depth + 1);
    if (code === OPEN_BRACKET) return this.readArray(depth + 1);
    if (code === QUOTE || code === APOSTROPHE) return this.readString(code);
    return this.readScalar();
  }

  /** Skips the value at the current position, checking its syntax. */
  skipValue(depth: number): void {
    const code = this.text.charCodeAt(this.pos);
    if (code === OPEN_BRACE) {
      this.enter(depth + 1);
      this.readMembers(() => this.skipValue(depth + 1));
    } else if (code === OPEN_BRACKET) {
      this.enter(depth + 1);
      this.readElements(() => this.skipValue(depth + 1));
    } else if (code === QUOTE || code === APOSTROPHE) {
      this.readString(code);
    } else {
      this.readScalar();
    }
  }

  enter(depth: number): void {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels`);
  }

  readObject(depth: number): Record<string, unknown> {
    this.enter(depth);
    const object: Record<string, unknown> = {};
    let order: string[] | undefined;
    const path = this.#path;
    this.readMembers((key, keyOffset) => {
      path.push(key);
      const value = this.readValue(depth);
      if (Object.hasOwn(object, key)) {
        this.duplicateKeys.push({ path: [...path], offset: keyOffset });
      } else if (order) {
        order.push(key);
      } else if (isIndexLike(key)) {
        // Up to now Object.keys matched the file; from here on it would not.
        order = Object.keys(object);
        order.push(key);
      }
      path.pop();
      if (key === '__proto__') {
        Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
      } else {
        object[key] = value;
      }
    });
    if (order) this.keyOrder.set(object, order);
    return object;
  }

  readArray(depth: number): unknown[] {
    this.enter(depth);
    const array: unknown[] = [];
    const path = this.#path;
    path.push(0);
    this.readElements((index) => {
      path[path.length - 1] = index;
      array.push(this.readValue(depth));
    });
    path.pop();
    return array;
  }

  /**
   * Reads `{ key: value, ... }` with the cursor on `{`; `onMember` must consume the value. Trailing commas allowed.
   */
  readMembers(onMember: (key: string, keyOffset: number) => void): void {
    this.pos++;
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) === CLOSE_BRACE) {
      this.pos++;
      return;
    }
    for (;;) {
      const keyOffset = this.pos;
      const key = this.readKey();
      this.skipSpace();
      if (this.text.charCodeAt(this.pos) !== COLON) this.unexpected(`':' after the key "${key}"`);
      this.pos++;
      this.skipSpace();
      if (this.pos >= this.text.length) this.unexpected('a value');
      onMember(key, keyOffset);
      this.skipSpace();
      const code = this.text.charCodeAt(this.pos);
      if (code === COMMA) {
        this.pos++;
        this.skipSpace();
        if (this.text.charCodeAt(this.pos) === CLOSE_BRACE) {
          this.pos++;
          return;
        }
      } else if (code === CLOSE_BRACE) {
        this.pos++;
        return;
      } else {
        this.unexpected("',' or '}'");
      }
    }
  }

  /** Reads `[ value, ... ]` with the cursor on `[`; `onElement` must consume the value. Trailing commas allowed. */
  readElements(onElement: (index: number) => void): void {
    this.pos++;
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) === CLOSE_BRACKET) {
      this.pos++;
      return;
    }
    for (let index = 0; ; index++) {
      if (this.pos >= this.text.length) this.unexpected('a value');
      onElement(index);
      this.skipSpace();
      const code = this.text.charCodeAt(this.pos);
      if (code === COMMA) {
        this.pos++;
        this.skipSpace();
        if (this.text.charCodeAt(this.pos) === CLOSE_BRACKET) {
          this.pos++;
          return;
        }
      } else if (code === CLOSE_BRACKET) {
        this.pos++;
        return;
      } else {
        this.unexpected("',' or ']'");
      }
    }
  }

  readKey(): string {
    const code = this.text.charCodeAt(this.pos);
    if (code === QUOTE || code === APOSTROPHE) return this.readString(code);
    return this.readIdentifier();
  }

  /** An unquoted key: an ECMAScript IdentifierName, `\uXXXX` escapes included. */
  readIdentifier(): string {
    const text = this.text;
    const start = this.pos;
    let name = '';
    for (;;) {
      const code = text.charCodeAt(this.pos);
      let ch: string;
      let width: number;
      if (code === BACKSLASH) {
        if (text.charCodeAt(this.pos + 1) !== 117 /* u */) this.fail('invalid escape in a key: expected \\uXXXX');
        ch = String.fromCharCode(this.readHex(this.pos + 2, 4));
        width = 6;
      } else {
        const point = text.codePointAt(this.pos);
        if (point === undefined) break;
        ch = String.fromCodePoint(point);
        width = ch.length;
      }
      const ok = name === '' ? ID_START.test(ch) : ID_CONTINUE.test(ch);
      if (!ok) {
        if (name === '') this.unexpected('a key (a string or an identifier)');
        if (code === BACKSLASH) this.fail(`invalid character in the key "${name}"`);
        break;
      }
      name += ch;
      this.pos += width;
    }
    if (this.pos === start) this.unexpected('a key');
    return name;
  }

  readHex(offset: number, digits: number): number {
    let value = 0;
    for (let i = 0; i < digits; i++) {
      const code = this.text.charCodeAt(offset + i);
      if (!isHexDigit(code)) this.fail(`invalid escape: expected ${digits} hexadecimal digits`, offset + i);
      value = value * 16 + Number.parseInt(String.fromCharCode(code), 16);
    }
    return value;
  }

  /** Reads a quoted string with the cursor on its opening quote. */
  readString(quote: number): string {
    const text = this.text;
    const length = text.length;
    const open = this.pos;
    let start = ++this.pos;
    let out = '';
    for (;;) {
      if (this.pos >= length) this.fail('unterminated string', open);
      const code = text.charCodeAt(this.pos);
      if (code === quote) {
        out += text.slice(start, this.pos);
        this.pos++;
        return out;
      }
      if (code === LF || code === CR) this.fail('unterminated string (a line break inside a string must be escaped)', open);
      if (code === BACKSLASH) {
        out += text.slice(start, this.pos);
        out += this.readEscape();
        start = this.pos;
        continue;
      }
      this.pos++;
    }
  }

  /** Reads one escape sequence with the cursor on the backslash; returns its text. */
  readEscape(): string {
    const text = this.text;
    const code = text.charCodeAt(this.pos + 1);
    this.pos += 2;
    switch (code) {
      case QUOTE:
        return '"';
      case APOSTROPHE:
        return "'";
      case BACKSLASH:
        return '\\';
      case SLASH:
        return '/';
      case 98 /* b */:
        return '\b';
      case 102 /* f */:
        return '\f';
      case 110 /* n */:
        return '\n';
      case 114 /* r */:
        return '\r';
      case 116 /* t */:
        return '\t';
      case 118 /* v */:
        return '\v';
      case 48 /* 0 */:
        if (isDigit(text.charCodeAt(this.pos))) this.fail('invalid escape: \\0 followed by a digit', this.pos - 2);
        return '\0';
      case 120 /* x */: {
        const value = this.readHex(this.pos, 2);
        this.pos += 2;
        return String.fromCharCode(value);
      }
      case 117 /* u */: {
        const value = this.readHex(this.pos, 4);
        this.pos += 4;
        return String.fromCharCode(value);
      }
      case CR:
        // A line continuation: the escaped line break is dropped.
        if (text.charCodeAt(this.pos) === LF) this.pos++;
        return '';
      case LF:
      case 0x2028:
      case 0x2029:
        return '';
      default:
        if (Number.isNaN(code)) this.fail('unterminated string', this.pos - 2);
        if (isDigit(code)) this.fail(`invalid escape '\\${String.fromCharCode(code)}'`, this.pos - 2);
        // JSON5 keeps any other escaped character as itself.
        this.pos -= 1;
        {
          const point = text.codePointAt(this.pos) ?? 0;
          const ch = String.fromCodePoint(point);
          this.pos += ch.length;
          return ch;
        }
    }
  }

  /** null, true, false, or a number (JSON5 numbers: sign, hex, leading/trailing dot, Infinity, NaN). */
  readScalar(): unknown {
    const text = this.text;
    const start = this.pos;
    const code = text.charCodeAt(start);
    if (code === 110 /* n */ && text.startsWith('null', start)) return this.word(4, null);
    if (code === 116 /* t */ && text.startsWith('true', start)) return this.word(4, true);
    if (code === 102 /* f */ && text.startsWith('false', start)) return this.word(5, false);
    let sign = 1;
    if (code === PLUS || code === MINUS) {
      sign = code === MINUS ? -1 : 1;
      this.pos++;
    }
    if (text.startsWith('Infinity', this.pos)) return this.word(8, sign * Infinity);
    if (text.startsWith('NaN', this.pos)) return this.word(3, NaN);
    const first = text.charCodeAt(this.pos);
    if (first === DIGIT_0 && (text.charCodeAt(this.pos + 1) | 32) === 120 /* x */) {
      this.pos += 2;
      const digits = this.pos;
      while (isHexDigit(text.charCodeAt(this.pos))) this.pos++;
      if (this.pos === digits) this.unexpected('hexadecimal digits');
      this.endOfWord();
      return sign * Number.parseInt(text.slice(digits, this.pos), 16);
    }
    if (!isDigit(first) && first !== DOT) {
      this.pos = start;
      this.unexpected('a value');
    }
    const intStart = this.pos;
    while (isDigit(text.charCodeAt(this.pos))) this.pos++;
    if (this.pos - intStart > 1 && first === DIGIT_0) this.fail('a number must not start with 0', intStart);
    let digits = this.pos - intStart;
    if (text.charCodeAt(this.pos) === DOT) {
      this.pos++;
      const fraction = this.pos;
      while (isDigit(text.charCodeAt(this.pos))) this.pos++;
      digits += this.pos - fraction;
    }
    if (digits === 0) {
      this.pos = start;
      this.unexpected('a value');
    }
    if ((text.charCodeAt(this.pos) | 32) === 101 /* e */) {
      this.pos++;
      const c = text.charCodeAt(this.pos);
      if (c === PLUS || c === MINUS) this.pos++;
      const exponent = this.pos;
      while (isDigit(text.charCodeAt(this.pos))) this.pos++;
      if (this.pos === exponent) this.unexpected('exponent digits');
    }
    this.endOfWord();
    return Number(text.slice(start, this.pos));
  }

  word<T>(length: number, value: T): T {
    this.pos += length;
    this.endOfWord();
    return value;
  }

  /** `truex` or `12abc` are one bad token, not a value followed by junk. */
  endOfWord(): void {
    const point = this.text.codePointAt(this.pos);
    if (point !== undefined && ID_CONTINUE.test(String.fromCodePoint(point))) {
      this.unexpected('a separator after the value');
    }
  }
}

/** Offsets of line starts, for turning offsets into 1-based line and column numbers. */
export class LineIndex {
  readonly #starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === LF || code === 0x2028 || code === 0x2029) this.#starts.push(i + 1);
      else if (code === CR) {
        if (text.charCodeAt(i + 1) === LF) i++;
        this.#starts.push(i + 1);
      }
    }
  }

  /** 1-based line and column (in UTF-16 units, as editors count) of an offset. */
  position(offset: number): { line: number; column: number } {
    const starts = this.#starts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (starts[low] ?? 0) + 1 };
  }
}

/** Line and column of one offset (builds no index: counts up to the offset). */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === LF || code === 0x2028 || code === 0x2029) {
      line++;
      lineStart = i + 1;
    } else if (code === CR) {
      if (text.charCodeAt(i + 1) === LF && i + 1 < end) i++;
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
