// Finds the ESM entry file of an npm package installed in a project, as `import` would from a file in that
// project: node_modules folders walking up from the project, then the package's "exports" (conditions import,
// node, default) or "main". Needed because import() resolves from actiongraph's own location, not the project's.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

const CONDITIONS = ['import', 'node', 'default'];
const PACKAGE_NAME = /^(?:@[a-z0-9][\w.~-]*\/)?[a-z0-9][\w.~-]*$/iu;

export class PackageResolutionError extends Error {
  override name = 'PackageResolutionError';
}

/** `pkg`, `@scope/pkg` or `pkg/subpath` → the absolute path of the file import() would load. */
export async function resolvePackageEntry(specifier: string, projectDir: string): Promise<string> {
  const parts = specifier.split('/');
  const nameLength = specifier.startsWith('@') ? 2 : 1;
  const name = parts.slice(0, nameLength).join('/');
  const subpath = parts.length > nameLength ? `./${parts.slice(nameLength).join('/')}` : '.';
  if (!PACKAGE_NAME.test(name) || parts.slice(nameLength).some((part) => part === '' || part === '..' || part === '.')) {
    throw new PackageResolutionError(`"${specifier}" is not an npm package name`);
  }
  const packageDir = await findPackageDir(name, path.resolve(projectDir));
  if (packageDir === undefined) {
    throw new PackageResolutionError(`package "${name}" is not installed in ${projectDir} (npm install ${name})`);
  }
  let manifest: { exports?: unknown; main?: unknown };
  try {
    manifest = JSON.parse(await readFile(path.join(packageDir, 'package.json'), 'utf8')) as typeof manifest;
  } catch (error) {
    throw new PackageResolutionError(`package "${name}": cannot read its package.json: ${(error as Error).message}`);
  }
  let target: string | undefined;
  if (manifest.exports !== undefined && manifest.exports !== null) {
    target = resolveExports(manifest.exports, subpath);
    if (target === undefined) throw new PackageResolutionError(`package "${name}" does not export "${subpath}"`);
  } else if (subpath === '.') {
    target = typeof manifest.main === 'string' ? manifest.main : 'index.js';
  } else {
    target = subpath;
  }
  const file = path.resolve(packageDir, target);
  if (path.relative(packageDir, file).startsWith('..')) {
    throw new PackageResolutionError(`package "${name}": its entry "${target}" is outside the package`);
  }
  for (const candidate of [file, `${file}.js`, `${file}.mjs`, path.join(file, 'index.js')]) {
    if (await isFile(candidate)) return candidate;
  }
  throw new PackageResolutionError(`package "${name}": its entry "${target}" does not exist`);
}

async function findPackageDir(name: string, from: string): Promise<string | undefined> {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (await isFile(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Node's exports resolution, reduced to what plugin packages use: subpath keys, `*` patterns, conditions, arrays. */
export function resolveExports(exports: unknown, subpath: string): string | undefined {
  const isSubpathMap =
    typeof exports === 'object' && exports !== null && !Array.isArray(exports) && Object.keys(exports).some((k) => k.startsWith('.'));
  if (!isSubpathMap) return subpath === '.' ? resolveTarget(exports, undefined) : undefined;
  const map = exports as Record<string, unknown>;
  if (Object.hasOwn(map, subpath)) return resolveTarget(map[subpath], undefined);
  // The longest matching pattern wins, as in Node.
  let best: { key: string; match: string } | undefined;
  for (const key of Object.keys(map)) {
    const star = key.indexOf('*');
    if (star === -1) continue;
    const prefix = key.slice(0, star);
    const suffix = key.slice(star + 1);
    if (subpath.startsWith(prefix) && subpath.endsWith(suffix) && subpath.length >= key.length - 1) {
      if (!best || prefix.length > best.key.indexOf('*')) {
        best = { key, match: subpath.slice(prefix.length, subpath.length - suffix.length) };
      }
    }
  }
  return best ? resolveTarget(map[best.key], best.match) : undefined;
}

function resolveTarget(target: unknown, match: string | undefined): string | undefined {
  if (typeof target === 'string') {
    if (!target.startsWith('./')) return undefined;
    return match === undefined ? target : target.replaceAll('*', match);
  }
  if (Array.isArray(target)) {
    for (const item of target) {
      const resolved = resolveTarget(item, match);
      if (resolved !== undefined) return resolved;
    }
    return undefined;
  }
  if (typeof target === 'object' && target !== null) {
    for (const [condition, value] of Object.entries(target)) {
      if (CONDITIONS.includes(condition)) {
        const resolved = resolveTarget(value, match);
        if (resolved !== undefined) return resolved;
      }
    }
  }
  return undefined;
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
