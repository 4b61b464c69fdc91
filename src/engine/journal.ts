// The run journal: one JSON event per line in `.actiongraph/runs/<runId>/journal.jsonl`. Lines are buffered and
// written with one write(2) per batch of completions, before any successor of the batch starts, so a SIGKILL loses
// nothing that was reported done; fdatasync runs in the background as a group commit (one sync covers every line
// written since the last one began) and once more, synchronously, when the journal closes.
import fs from 'node:fs';
import { RunError } from '../errors.js';
import type { RunEvent } from './events.js';

export const JOURNAL_FILE = 'journal.jsonl';

export interface JournalStats {
  lines: number;
  writes: number;
  syncs: number;
  bytes: number;
}

export class JournalWriter {
  readonly file: string;
  readonly #fd: number;
  readonly #sync: boolean;
  /**
   * Lines not yet written, as one string: appending is a cheap rope concatenation, and the whole batch is encoded
   * once per commit into #buffer (one native call per commit instead of one per line). A batch of huge outputs is
   * encoded in parts as it grows (#spill), so it never nears the longest string JavaScript can hold.
   */
  #pending = '';
  #buffer = Buffer.allocUnsafe(1 << 16);
  /** Bytes of #buffer already holding encoded lines. */
  #used = 0;
  #lines = 0;
  /** Background fdatasyncs started and not yet finished. */
  #inFlight = 0;
  /** Lines were written after the newest background sync began. */
  #dirty = false;
  #unsyncedBytes = 0;
  /** close() waiting for the background syncs to finish. */
  readonly #idle: (() => void)[] = [];
  #closed = false;
  readonly stats: JournalStats = { lines: 0, writes: 0, syncs: 0, bytes: 0 };

  /** Opens `file` for appending (creating it). With `sync: false`, lines still reach the OS but are never fsynced. */
  constructor(file: string, options: { sync?: boolean } = {}) {
    this.file = file;
    this.#sync = options.sync ?? true;
    this.#fd = fs.openSync(file, 'a');
  }

  /** Buffers one event. Throws (before buffering anything) when the event cannot be serialised as JSON. */
  append(event: RunEvent): void {
    if (this.#closed) return;
    this.#add(this.#serialize(event));
  }

  #add(line: string): void {
    if (this.#pending.length + line.length > SPILL_CHARS) this.#spill();
    this.#pending += line;
    this.#lines++;
  }

  /** Encodes the pending lines into #buffer (after what is there already). */
  #spill(): void {
    const pending = this.#pending;
    // Worst case 3 bytes per UTF-16 unit (the JSON is well formed: lone surrogates are escaped).
    const needed = this.#used + pending.length * 3;
    if (needed > this.#buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.#buffer.length * 2, needed));
      this.#buffer.copy(grown, 0, 0, this.#used);
      this.#buffer = grown;
    }
    this.#used += this.#buffer.write(pending, this.#used, 'utf8');
    this.#pending = '';
  }

  /** Action names, JSON-quoted: a run has a handful, written twice per node. */
  readonly #quotedActions = new Map<string, string>();
  /** The last `t` and its digits: a batch of lines mostly shares one millisecond. */
  #lastT = Number.NaN;
  #lastTText = '';

  /**
   * One JSON line (with its newline), exactly JSON.stringify(event). The two events every node writes are built by
   * hand: ids, action names and outputs go through JSON.stringify (which escapes quotes, control characters and
   * lone surrogates), the fixed parts are ASCII, and numbers JSON would write differently (NaN, Infinity) take the
   * general path. Cheaper than stringifying the event object, whose keys JSON.stringify has to walk.
   */
  #serialize(event: RunEvent): string {
    const type = event.type;
    if (type === 'node.started') {
      if (!plainNumbers(event.t, event.attempt)) return `${JSON.stringify(event)}\n`;
      return `{"type":"node.started","t":${this.#time(event.t)},"nodeId":${JSON.stringify(event.nodeId)},"action":${this.#quoteAction(
        event.action,
      )},"attempt":${event.attempt}}\n`;
    }
    if (type === 'node.succeeded') {
      if (!plainNumbers(event.t, event.attempt) || !Number.isFinite(event.ms)) return `${JSON.stringify(event)}\n`;
      // JSON.stringify leaves out an output it has no JSON for (undefined, a function), and so does this.
      const json = JSON.stringify(event.output) as string | undefined;
      const output = json === undefined ? '' : `,"output":${json}`;
      return `{"type":"node.succeeded","t":${this.#time(event.t)},"nodeId":${JSON.stringify(event.nodeId)},"action":${this.#quoteAction(
        event.action,
      )},"attempt":${event.attempt},"ms":${event.ms}${output}${event.sampled ? ',"sampled":true' : ''}}\n`;
    }
    return `${JSON.stringify(event)}\n`;
  }

  #quoteAction(action: string): string {
    let quoted = this.#quotedActions.get(action);
    if (quoted === undefined) {
      quoted = JSON.stringify(action);
      this.#quotedActions.set(action, quoted);
    }
    return quoted;
  }

  #time(t: number): string {
    if (t !== this.#lastT) {
      this.#lastT = t;
      this.#lastTText = String(t);
    }
    return this.#lastTText;
  }

  /**
   * Buffers an event whose payload came from handler code (log fields, questions): values JSON cannot hold become
   * strings instead of failing the caller.
   */
  appendLenient(event: RunEvent): void {
    try {
      this.append(event);
    } catch {
      const seen = new WeakSet<object>();
      this.#add(
        `${JSON.stringify(event, (_key, value: unknown) => {
          if (typeof value === 'bigint') return value.toString();
          if (typeof value === 'object' && value !== null) {
            if (seen.has(value)) return '[circular]';
            seen.add(value);
          }
          return value;
        })}\n`,
      );
    }
  }

  /** Writes every buffered line to the OS now (one write call), and starts a background fdatasync when one is due. */
  commit(): void {
    if ((this.#pending === '' && this.#used === 0) || this.#closed) return;
    this.#spill();
    const length = this.#used;
    let offset = 0;
    while (offset < length) offset += fs.writeSync(this.#fd, this.#buffer, offset, length - offset);
    this.#used = 0;
    // A huge batch (a big output) does not pin its encoding buffer for the rest of the run.
    if (this.#buffer.length > MAX_KEPT_BUFFER) this.#buffer = Buffer.allocUnsafe(1 << 16);
    this.stats.lines += this.#lines;
    this.#lines = 0;
    this.stats.writes++;
    this.stats.bytes += length;
    if (this.#sync) this.#requestSync(length);
  }

  #requestSync(bytes: number): void {
    this.#unsyncedBytes += bytes;
    // One sync in flight covers every line written before it began (group commit); lines written meanwhile wait
    // for the next. But a run whose handlers never yield to the event loop never sees a sync finish: once
    // SYNC_AHEAD_BYTES more are written another starts anyway, so the disk keeps up and close() has little left.
    if (this.#inFlight > 0 && this.#unsyncedBytes < SYNC_AHEAD_BYTES) {
      this.#dirty = true;
      return;
    }
    this.#startSync();
  }

  #startSync(): void {
    this.#dirty = false;
    this.#unsyncedBytes = 0;
    this.#inFlight++;
    this.stats.syncs++;
    fs.fdatasync(this.#fd, () => {
      // A failed background sync is retried by the final synchronous one in close(), which does report errors.
      this.#inFlight--;
      if (this.#inFlight > 0) return;
      if (this.#dirty && !this.#closed) this.#startSync();
      else for (const resolve of this.#idle.splice(0)) resolve();
    });
  }

  /** Commits, waits for background syncs in flight (the fd must stay open for them), syncs once more and closes. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.commit();
    this.#closed = true;
    if (this.#inFlight > 0) await new Promise<void>((resolve) => this.#idle.push(resolve));
    try {
      if (this.#sync) {
        fs.fdatasyncSync(this.#fd);
        this.stats.syncs++;
      }
    } finally {
      fs.closeSync(this.#fd);
    }
  }
}

const MAX_KEPT_BUFFER = 4 << 20;

/** Pending characters after which lines are encoded before the commit (the longest string V8 holds is 2^29 - 24). */
const SPILL_CHARS = 16 << 20;

/** Bytes written while a background sync is in flight after which another one starts anyway. */
const SYNC_AHEAD_BYTES = 4 << 20;

/** Whether JSON writes these numbers the way JavaScript prints them (finite: not NaN or Infinity, which become null). */
function plainNumbers(a: number, b: number): boolean {
  return Number.isFinite(a) && Number.isFinite(b);
}

export interface JournalContents {
  events: RunEvent[];
  /** Bytes of complete lines; anything after is a torn line from a crash mid-write. */
  validBytes: number;
  tornBytes: number;
}

/**
 * Reads a journal. A torn last line (no newline: the process died mid-write) is ignored; any other line that is
 * not JSON is corruption and an error naming the line.
 */
export function readJournal(file: string): JournalContents {
  let buffer: Buffer;
  try {
    buffer = fs.readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { events: [], validBytes: 0, tornBytes: 0 };
    throw new RunError('JOURNAL_UNREADABLE', `${file}: cannot read the journal: ${(error as Error).message}`, { cause: error });
  }
  const lastNewline = buffer.lastIndexOf(0x0a);
  const validBytes = lastNewline + 1;
  const text = buffer.subarray(0, validBytes).toString('utf8');
  const events: RunEvent[] = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    if (line === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      throw new RunError('JOURNAL_CORRUPT', `${file}:${n + 1}: journal line is not JSON: ${(error as Error).message}`, { cause: error });
    }
    if (parsed === null || typeof parsed !== 'object' || typeof (parsed as { type?: unknown }).type !== 'string') {
      throw new RunError('JOURNAL_CORRUPT', `${file}:${n + 1}: journal line is not an event`);
    }
    events.push(parsed as RunEvent);
  }
  return { events, validBytes, tornBytes: buffer.length - validBytes };
}

/** Cuts a torn last line off, so the next append starts on a line of its own. */
export function truncateTornTail(file: string, contents: JournalContents): void {
  if (contents.tornBytes > 0) fs.truncateSync(file, contents.validBytes);
}
