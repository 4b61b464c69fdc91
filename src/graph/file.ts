// Workflow files on disk, read with clear errors; and the project's one implementation of atomic writes (temp file +
// fsync + rename), used for workflow files, plugin scaffolds, action outputs and run folders, so a crash never
// leaves half a file behind.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { link, mkdir, open, readFile, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { ActionGraphError, GraphParseError } from '../errors.js';
import { parseWorkflow, serializeWorkflow } from './parse.js';
import type { Workflow } from './schema.js';

/**
 * Reads the file's text. GraphParseError FILE_NOT_FOUND, FILE_UNREADABLE, or FILE_NOT_UTF8 at the first byte that
 * is not UTF-8 (decoding would replace it with U+FFFD, and a later edit would write the replacement back: silent
 * data loss). Messages name the file as `display` (default: `file`), e.g. as the user typed it.
 */
export async function readWorkflowFileText(file: string, options: { display?: string } = {}): Promise<string> {
  const display = options.display ?? file;
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new GraphParseError('FILE_NOT_FOUND', `${display}: no such workflow file`, { file: display, cause: error });
    }
    const reason = code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new GraphParseError('FILE_UNREADABLE', `${display}: cannot read the workflow file: ${reason}`, { file: display, cause: error });
  }
  const text = bytes.toString('utf8');
  // Only a text with U+FFFD can hide an invalid byte, so a valid file costs one `includes`.
  const bad = text.includes('\uFFFD') ? invalidUtf8At(text, bytes) : undefined;
  if (bad !== undefined) {
    const before = text.slice(0, bad.index).split('\n');
    const line = before.length;
    const column = (before.at(-1)?.length ?? 0) + 1;
    throw new GraphParseError('FILE_NOT_UTF8', `${display}:${line}:${column}: not UTF-8 text (byte 0x${bad.byte}): save the file as UTF-8`, {
      file: display,
      line,
      column,
    });
  }
  return text;
}

/**
 * Where the first invalid byte is: the first U+FFFD in the decoded `text` whose bytes are not an encoded U+FFFD
 * (EF BF BD). Up to there the text decoded losslessly, so its UTF-8 length is the byte offset.
 */
function invalidUtf8At(text: string, bytes: Buffer): { index: number; byte: string } | undefined {
  let offset = 0;
  let from = 0;
  for (let index = text.indexOf('\uFFFD'); index !== -1; index = text.indexOf('\uFFFD', index + 1)) {
    offset += Buffer.byteLength(text.slice(from, index));
    from = index + 1;
    if (bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd) {
      offset += 3;
      continue;
    }
    return { index, byte: (bytes[offset] ?? 0).toString(16).padStart(2, '0') };
  }
  return undefined;
}

/**
 * Reads and parses a workflow file (shape checked; graph checks are validateWorkflow's). Throws GraphParseError
 * (FILE_NOT_FOUND, FILE_UNREADABLE, FILE_NOT_UTF8, PARSE_SYNTAX) or GraphValidationError.
 */
export async function loadWorkflowFile(file: string, options: { display?: string } = {}): Promise<{ workflow: Workflow; text: string }> {
  const text = await readWorkflowFileText(file, options);
  return { workflow: parseWorkflow(text, options.display ?? file), text };
}

export async function writeWorkflowFile(file: string, wf: Workflow): Promise<void> {
  await writeFileAtomic(file, serializeWorkflow(wf));
}

export interface WriteFileAtomicOptions {
  /**
   * false: an existing file is kept and the write fails with FILE_EXISTS. link(2) refuses an existing name
   * atomically, so of two writers racing for one name exactly one wins. Default true (replace).
   */
  overwrite?: boolean;
  /** Create missing parent folders (default false: a missing folder is FILE_WRITE_FAILED). */
  createFolders?: boolean;
}

/**
 * Writes `content` to `file` atomically: a temp file in the same folder (same file system, so rename is atomic),
 * flushed to disk, then renamed over the target (or linked, with `overwrite: false`). Readers see the old file or
 * the new one, never a mix; a replaced file keeps its permissions. Throws ActionGraphError FILE_WRITE_FAILED, or
 * FILE_EXISTS (with `overwrite: false`), which callers map to their own error family.
 */
export async function writeFileAtomic(file: string, content: string | Uint8Array, options: WriteFileAtomicOptions = {}): Promise<void> {
  const temp = tempPathFor(file);
  let handle: FileHandle | undefined;
  let placed = false;
  try {
    if (options.createFolders) await mkdir(path.dirname(file), { recursive: true });
    const mode = await stat(file).then(
      (stats) => stats.mode & 0o777,
      () => NEW_FILE_MODE,
    );
    handle = await open(temp, 'wx', mode);
    await handle.writeFile(content);
    await handle.sync();
    await handle.close();
    handle = undefined;
    if (options.overwrite === false) {
      await link(temp, file).catch((error: unknown) => {
        throw existsError(file, error);
      });
    } else {
      await rename(temp, file);
      placed = true;
    }
  } catch (error) {
    await handle?.close().catch(() => undefined);
    throw writeError(file, error);
  } finally {
    // After a link (or a failure) the temp name is still there; after a rename it is gone.
    if (!placed) await rm(temp, { force: true }).catch(() => undefined);
  }
}

/**
 * writeFileAtomic for callers that cannot await: startRun and resumeRun set up the run folder (workflow copy,
 * run.json) synchronously, so that a run handle exists only for a run that can be resumed, and setup errors are
 * thrown by the call itself. Always replaces; same errors.
 */
export function writeFileAtomicSync(file: string, content: string | Uint8Array): void {
  const temp = tempPathFor(file);
  let fd: number | undefined;
  try {
    let mode = NEW_FILE_MODE;
    try {
      mode = fs.statSync(file).mode & 0o777;
    } catch {
      // a new file
    }
    fd = fs.openSync(temp, 'wx', mode);
    const bytes = typeof content === 'string' ? Buffer.from(content) : content;
    for (let offset = 0; offset < bytes.length; ) offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(temp, file);
  } catch (error) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw writeError(file, error);
  }
}

const NEW_FILE_MODE = 0o644;

function tempPathFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

function existsError(file: string, error: unknown): unknown {
  if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return error;
  return new ActionGraphError('FILE_EXISTS', `${file}: exists already; not overwriting it`, { cause: error });
}

function writeError(file: string, error: unknown): ActionGraphError {
  if (error instanceof ActionGraphError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT'
      ? 'the folder does not exist'
      : code === 'EISDIR'
        ? 'it is a folder'
        : code === 'ENOTDIR' || code === 'EEXIST'
          ? 'a part of its folder path is a file, not a folder'
          : code === 'EACCES'
            ? 'permission denied'
            : (error as Error).message;
  return new ActionGraphError('FILE_WRITE_FAILED', `${file}: cannot write: ${reason}`, { cause: error });
}
