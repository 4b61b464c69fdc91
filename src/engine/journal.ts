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
  /** Lines not yet written, encoded straight into one reused buffer (no per-commit joins or allocations). */
  #buffer = Buffer.allocUnsafe(1 << 16);
  #used = 0;
  #lines = 0;
  #syncing: Promise<void> | undefined;
  #dirty = false;
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
    this.#push(this.#serialize(event));
  }

  /** `"nodeId":...,"action":...` per running node, quoted once at node.started and reused at its end. */
  readonly #nodeFragments = new Map<string, string>();

  /**
   * JSON.stringify(event), with a fast path for the two events every node writes: their fixed parts are
   * concatenated around a cached, already-quoted id and action (half the cost of stringifying the object).
   */
  #serialize(event: RunEvent): string {
    if (event.type === 'node.started') {
      const fragment = `"nodeId":${JSON.stringify(event.nodeId)},"action":${JSON.stringify(event.action)}`;
      this.#nodeFragments.set(event.nodeId, fragment);
      return `{"type":"node.started","t":${event.t},${fragment},"attempt":${event.attempt}}`;
    }
    if (event.type === 'node.succeeded') {
      const fragment =
        this.#nodeFragments.get(event.nodeId) ?? `"nodeId":${JSON.stringify(event.nodeId)},"action":${JSON.stringify(event.action)}`;
      const output = event.output === undefined ? undefined : JSON.stringify(event.output);
      const line = `{"type":"node.succeeded","t":${event.t},${fragment},"attempt":${event.attempt},"ms":${event.ms}${
        output === undefined ? '' : `,"output":${output}`
      }${event.sampled ? ',"sampled":true' : ''}}`;
      this.#nodeFragments.delete(event.nodeId);
      return line;
    }
    if (event.type === 'node.failed' || event.type === 'node.cancelled') this.#nodeFragments.delete(event.nodeId);
    return JSON.stringify(event);
  }

  #push(line: string): void {
    // Worst case 3 bytes per UTF-16 unit, plus the newline.
    const worst = line.length * 3 + 1;
    if (this.#used + worst > this.#buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.#buffer.length * 2, this.#used + worst));
      this.#buffer.copy(grown, 0, 0, this.#used);
      this.#buffer = grown;
    }
    this.#used += this.#buffer.write(line, this.#used, 'utf8');
    this.#buffer[this.#used++] = 0x0a;
    this.#lines++;
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
      this.#push(
        JSON.stringify(event, (_key, value: unknown) => {
          if (typeof value === 'bigint') return value.toString();
          if (typeof value === 'object' && value !== null) {
            if (seen.has(value)) return '[circular]';
            seen.add(value);
          }
          return value;
        }),
      );
    }
  }

  /** Writes every buffered line to the OS now (one write call), and starts a background fdatasync if none is running. */
  commit(): void {
    if (this.#used === 0 || this.#closed) return;
    const length = this.#used;
    let offset = 0;
    while (offset < length) offset += fs.writeSync(this.#fd, this.#buffer, offset, length - offset);
    this.#used = 0;
    this.stats.lines += this.#lines;
    this.#lines = 0;
    this.stats.writes++;
    this.stats.bytes += length;
    if (this.#sync) this.#requestSync();
  }

  #requestSync(): void {
    if (this.#syncing) {
      this.#dirty = true;
      return;
    }
    this.#dirty = false;
    this.stats.syncs++;
    this.#syncing = new Promise<void>((resolve) => {
      fs.fdatasync(this.#fd, () => {
        // A failed background sync is retried by the final synchronous one in close(), which does report errors.
        this.#syncing = undefined;
        if (this.#dirty && !this.#closed) this.#requestSync();
        resolve();
      });
    });
  }

  /** Commits, waits for a background sync in flight (the fd must stay open for it), syncs once more and closes. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.commit();
    this.#closed = true;
    while (this.#syncing) await this.#syncing;
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
