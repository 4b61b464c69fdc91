// Files that graph data names: resolved strictly inside a root folder (no absolute paths, no `..`, no symlink
// escapes). Writing them is graph/file.ts's writeFileAtomic.
import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { ActionError } from '../errors.js';

/**
 * Checks a relative path written in a graph without touching the disk: not absolute, no NUL, no `..` that
 * climbs out. Returns the reason it is refused, or undefined.
 */
export function relativePathProblem(relative: string): string | undefined {
  if (relative.trim() === '') return 'the path is empty';
  if (relative.includes('\0')) return 'the path contains a NUL character';
  if (path.isAbsolute(relative) || path.win32.isAbsolute(relative) || /^[A-Za-z]:/u.test(relative)) {
    return 'absolute paths are not allowed: give a path relative to the project folder';
  }
  const normalized = path.posix.normalize(relative.replace(/\\/g, '/'));
  if (normalized === '..' || normalized.startsWith('../')) return 'the path leaves the project folder';
  return undefined;
}

/**
 * The absolute path of `relative` inside `root`, after checking that neither `..` nor a symlink on the way
 * leads out of `root`. Throws ActionError PATH_OUTSIDE_PROJECT (not retryable).
 */
export async function resolveInsideDir(root: string, relative: string): Promise<string> {
  const problem = relativePathProblem(relative);
  if (problem) throw new ActionError('PATH_OUTSIDE_PROJECT', `"${relative}": ${problem}`, { retryable: false });
  const realRoot = await realpath(root);
  const target = path.resolve(realRoot, relative);
  if (!isInside(realRoot, target)) {
    throw new ActionError('PATH_OUTSIDE_PROJECT', `"${relative}": the path leaves the project folder`, { retryable: false });
  }
  // The deepest part of the path that exists decides where a write really lands: resolve its symlinks.
  let existing = target;
  for (;;) {
    try {
      const real = await realpath(existing);
      if (!isInside(realRoot, real)) {
        throw new ActionError('PATH_OUTSIDE_PROJECT', `"${relative}": a symlink leads out of the project folder`, {
          retryable: false,
        });
      }
      break;
    } catch (error) {
      if (error instanceof ActionError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      // A dangling symlink: realpath fails, but writing through it would create its target, wherever that is.
      if (existing === target && (await isSymlink(existing))) {
        throw new ActionError('PATH_OUTSIDE_PROJECT', `"${relative}": is a symlink that points nowhere`, { retryable: false });
      }
      const parent = path.dirname(existing);
      if (parent === existing) break;
      existing = parent;
    }
  }
  return target;
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

async function isSymlink(file: string): Promise<boolean> {
  try {
    return (await lstat(file)).isSymbolicLink();
  } catch {
    return false;
  }
}
