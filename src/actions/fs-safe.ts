// Files that graph data names: resolved strictly inside a root folder (no absolute paths, no `..`, no symlink
// escapes, nothing the engine or its tools trust). Writing them is graph/file.ts's writeFileAtomic.
import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { ActionError } from '../errors.js';

/**
 * Folders a graph may not write into, at any depth: what is in them runs as code (`.git` hooks, `node_modules`)
 * or is the engine's own state (`.actiongraph`: journals and workflow copies that resume trusts, approvals
 * included, and compiled plugins that the loader runs).
 */
const PROTECTED_FOLDERS: ReadonlySet<string> = new Set(['.git', '.actiongraph', 'node_modules']);

/**
 * Names at the top of the project a graph may not write: every command loads and runs the plugins in `actions/`;
 * the config can add plugins, turn approval off or send the model's API key to another host; `.env` holds the
 * secrets; npm runs the scripts of package.json. A written workflow could otherwise approve its own next run.
 */
const PROTECTED_TOP_LEVEL: ReadonlySet<string> = new Set(['actions', 'actiongraph.config.json', '.env', 'package.json', '.npmrc']);

/**
 * Checks a relative path written in a graph without touching the disk: not absolute, no NUL, no `..` that
 * climbs out, nothing protected. Returns the reason it is refused, or undefined.
 */
export function relativePathProblem(relative: string): string | undefined {
  return pathProblem(relative)?.message;
}

function pathProblem(relative: string): { code: 'PATH_OUTSIDE_PROJECT' | 'PATH_PROTECTED'; message: string } | undefined {
  const outside = (message: string) => ({ code: 'PATH_OUTSIDE_PROJECT' as const, message });
  if (relative.trim() === '') return outside('the path is empty');
  if (relative.includes('\0')) return outside('the path contains a NUL character');
  if (path.isAbsolute(relative) || path.win32.isAbsolute(relative) || /^[A-Za-z]:/u.test(relative)) {
    return outside('absolute paths are not allowed: give a path relative to the project folder');
  }
  const normalized = path.posix.normalize(relative.replace(/\\/g, '/'));
  if (normalized === '..' || normalized.startsWith('../')) return outside('the path leaves the project folder');
  const protectedProblem = protectedPathProblem(normalized.split('/'));
  return protectedProblem === undefined ? undefined : { code: 'PATH_PROTECTED', message: protectedProblem };
}

/** Why the path made of `segments` (relative to the project folder, already normalised) is protected, or undefined. */
function protectedPathProblem(segments: readonly string[]): string | undefined {
  // Compare as a case-insensitive file system would, and as Windows does: trailing dots and spaces, and an
  // alternate data stream (".git::$INDEX_ALLOCATION"), name the same folder.
  const names = segments.filter((segment) => segment !== '' && segment !== '.').map((segment) => comparable(segment));
  // The last name counts too: a file named `.git` can point git at another folder.
  const folder = names.find((name) => PROTECTED_FOLDERS.has(name));
  if (folder !== undefined) return `writing into ${folder}/ is not allowed`;
  const top = names[0];
  if (top !== undefined && (PROTECTED_TOP_LEVEL.has(top) || top.startsWith('.env.'))) {
    return `writing ${top === 'actions' ? 'into actions/ (plugins)' : top} is not allowed: it configures or extends the next run`;
  }
  return undefined;
}

function comparable(name: string): string {
  return name.toLowerCase().replace(/:.*$/su, '').replace(/[. ]+$/u, '');
}

/**
 * The absolute path of `relative` inside `root`, after checking that neither `..` nor a symlink on the way
 * leads out of `root` or into a protected place. Throws ActionError PATH_OUTSIDE_PROJECT or PATH_PROTECTED
 * (not retryable).
 */
export async function resolveInsideDir(root: string, relative: string): Promise<string> {
  const problem = pathProblem(relative);
  if (problem) throw new ActionError(problem.code, `"${relative}": ${problem.message}`, { retryable: false });
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
      // A symlink inside the project may still lead into a protected folder (`out -> .git`): check where it lands.
      const landing = path.relative(realRoot, path.join(real, path.relative(existing, target)));
      const protectedProblem = protectedPathProblem(landing.split(path.sep));
      if (protectedProblem) {
        throw new ActionError('PATH_PROTECTED', `"${relative}": a symlink leads to a protected place: ${protectedProblem}`, {
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
