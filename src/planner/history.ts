// Earlier versions of workflow files, kept before an edit (or a forced overwrite) replaces them, so
// `actiongraph undo` can restore them one by one. One folder per file under .actiongraph/history/, named by a
// hash of the file's path; entries are numbered so the newest is always last.
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from '../graph/file.js';

export const HISTORY_DIR = path.join('.actiongraph', 'history');
const ENTRY = /^(\d{6,})-[\w-]+\.json$/u;

export interface HistoryEntry {
  /** The entry's file. */
  file: string;
  seq: number;
}

export class FileHistory {
  readonly projectDir: string;
  readonly #now: () => Date;

  constructor(projectDir: string, options: { now?: () => Date } = {}) {
    this.projectDir = projectDir;
    this.#now = options.now ?? (() => new Date());
  }

  /** The folder that holds `file`'s earlier versions. */
  dirFor(file: string): string {
    return path.join(this.projectDir, HISTORY_DIR, historyKey(this.projectDir, file));
  }

  /** Oldest first. */
  async list(file: string): Promise<HistoryEntry[]> {
    const dir = this.dirFor(file);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return names
      .map((name) => ({ name, match: ENTRY.exec(name) }))
      .filter((e): e is { name: string; match: RegExpExecArray } => e.match !== null)
      .map((e) => ({ file: path.join(dir, e.name), seq: Number(e.match[1]) }))
      .sort((a, b) => a.seq - b.seq);
  }

  /** Keeps `text` as the newest earlier version of `file`. */
  async push(file: string, text: string): Promise<HistoryEntry> {
    const dir = this.dirFor(file);
    await mkdir(dir, { recursive: true });
    const entries = await this.list(file);
    const seq = (entries.at(-1)?.seq ?? 0) + 1;
    const stamp = this.#now().toISOString().replace(/[:.]/gu, '-');
    const entry = path.join(dir, `${String(seq).padStart(6, '0')}-${stamp}.json`);
    await writeFileAtomic(entry, text);
    // Which file this folder belongs to, for a person browsing .actiongraph/.
    await writeFileAtomic(path.join(dir, 'FILE'), `${relativeName(this.projectDir, file)}\n`);
    return { file: entry, seq };
  }

  /**
   * Restores the newest earlier version of `file` (atomically) and drops it from the history.
   * UsageError UNDO_NOTHING when there is none.
   */
  async undo(file: string): Promise<{ restored: HistoryEntry; remaining: number }> {
    const entries = await this.list(file);
    const newest = entries.at(-1);
    if (!newest) {
      throw new UsageError(`${relativeName(this.projectDir, file)}: nothing to undo (no earlier version is kept)`, {
        code: 'UNDO_NOTHING',
      });
    }
    const text = await readFile(newest.file, 'utf8');
    await writeFileAtomic(file, text);
    await rm(newest.file, { force: true });
    return { restored: newest, remaining: entries.length - 1 };
  }
}

function relativeName(projectDir: string, file: string): string {
  const relative = path.relative(projectDir, path.resolve(projectDir, file));
  const outside = relative.startsWith('..') || path.isAbsolute(relative);
  return (outside ? path.resolve(projectDir, file) : relative).split(path.sep).join('/');
}

/** Stable per file: the hash of its path relative to the project (absolute when outside it). */
export function historyKey(projectDir: string, file: string): string {
  return createHash('sha256').update(relativeName(projectDir, file)).digest('hex').slice(0, 16);
}
