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
  #pending: string[] = [];
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
    const line = JSON.stringify(event);
    this.#pending.push(line);
  }

  /** Writes every buffered line to the OS now (one write call), and starts a background fdatasync if none is running. */
  commit(): void {
    if (this.#pending.length === 0 || this.#closed) return;
    const text = `${this.#pending.join('\n')}\n`;
    this.stats.lines += this.#pending.length;
    this.#pending = [];
    const buffer = Buffer.from(text, 'utf8');
    let offset = 0;
    while (offset < buffer.length) offset += fs.writeSync(this.#fd, buffer, offset);
    this.stats.writes++;
    this.stats.bytes += buffer.length;
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
