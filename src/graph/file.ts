// Workflow files on disk: read with clear errors, write atomically (temp file + rename) so a crash never leaves
// half a graph behind.
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { ActionGraphError, GraphParseError } from '../errors.js';
import { parseWorkflow, serializeWorkflow } from './parse.js';
import type { Workflow } from './schema.js';

/** Reads the file's text. GraphParseError FILE_NOT_FOUND or FILE_UNREADABLE. */
export async function readWorkflowFileText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new GraphParseError('FILE_NOT_FOUND', `${file}: no such workflow file`, { file, cause: error });
    }
    const reason = code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new GraphParseError('FILE_UNREADABLE', `${file}: cannot read the workflow file: ${reason}`, { file, cause: error });
  }
}

/**
 * Reads and parses a workflow file (shape checked; graph checks are validateWorkflow's). Throws GraphParseError
 * (FILE_NOT_FOUND, FILE_UNREADABLE, PARSE_SYNTAX) or GraphValidationError.
 */
export async function loadWorkflowFile(file: string): Promise<{ workflow: Workflow; text: string }> {
  const text = await readWorkflowFileText(file);
  return { workflow: parseWorkflow(text, file), text };
}

export async function writeWorkflowFile(file: string, wf: Workflow): Promise<void> {
  await writeFileAtomic(file, serializeWorkflow(wf));
}

/**
 * Writes `text` to `file` atomically: a temp file in the same folder (same file system, so rename is atomic),
 * flushed to disk, then renamed over the target. Readers see the old file or the new one, never a mix.
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  // Keep the permissions of a file being replaced.
  const mode = await stat(file).then(
    (stats) => stats.mode & 0o777,
    () => 0o644,
  );
  let handle;
  try {
    handle = await open(temp, 'wx', mode);
    await handle.writeFile(text, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, file);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true }).catch(() => undefined);
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the folder does not exist' : (error as Error).message;
    throw new ActionGraphError('FILE_WRITE_FAILED', `${file}: cannot write: ${reason}`, { cause: error });
  }
}
