// Loads action plugins: every .ts/.js/.mjs file in the project's actions/ folder and in extra folders, plus npm
// packages named in the config. One broken or hanging plugin is reported (with its file and the reason) and the
// others still load. .ts files load without a build step: compiled once into the project's plugin cache and
// imported from there, or through tsx (imported only when needed) when a plugin cannot be cached.
import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PluginError } from '../errors.js';
import { builtinActions } from './builtin/index.js';
import { withAdoptedErrors } from './adopt-errors.js';
import { definitionProblem } from './check-definition.js';
import { type AnyActionDefinition, isActionDefinition } from './define.js';
import { createPluginCache, type PluginCompiler } from './plugin-cache.js';
import { ActionRegistry, type RegisteredAction } from './registry.js';
import { resolvePackageEntry } from './resolve-package.js';

export const PROJECT_ACTIONS_DIR = 'actions';
export const DEFAULT_PLUGIN_TIMEOUT_MS = 10_000;

const PLUGIN_EXTENSIONS = new Set(['.ts', '.js', '.mjs']);
/** Test files and declarations live next to plugins but are not plugins. */
const NOT_PLUGINS = /(\.d\.ts|\.(test|spec)\.(ts|js|mjs))$/u;

export interface LoadPluginsOptions {
  /** The project folder: its actions/ folder is always read, and packages resolve from it. */
  projectDir: string;
  /** More plugin folders, relative to projectDir or absolute (--actions DIR, actionsDirs in the config). */
  dirs?: string[];
  /** npm packages whose exports are action definitions (plugins in the config). */
  packages?: string[];
  /** How long one plugin module may take to load before it is reported as PLUGIN_TIMEOUT. */
  timeoutMs?: number;
  /** Compiles .ts plugins into the cache; esbuild unless a test injects another (to count compilations). */
  tsCompiler?: PluginCompiler;
}

export interface LoadedPlugins {
  /** Definitions in a stable order (folders in order, files by name, default export then named ones), with their source. */
  definitions: RegisteredAction[];
  /** PLUGIN_LOAD_FAILED, PLUGIN_TIMEOUT, PLUGIN_INVALID, PLUGIN_EMPTY, PLUGIN_DIR_NOT_FOUND. */
  problems: PluginError[];
}

interface PluginModuleRef {
  /** Shown to people: a path relative to the project folder, or the package name. */
  source: string;
  load(): Promise<Record<string, unknown>>;
}

let loadCounter = 0;

export async function loadPlugins(options: LoadPluginsOptions): Promise<LoadedPlugins> {
  const projectDir = path.resolve(options.projectDir);
  const timeoutMs = options.timeoutMs ?? DEFAULT_PLUGIN_TIMEOUT_MS;
  const problems: PluginError[] = [];
  const files = await findPluginFiles(projectDir, options.dirs ?? [], problems);
  const loadId = ++loadCounter;

  // A .ts plugin loads from the compile cache; tsx is imported only for one that cannot be cached (outside the
  // project, a CommonJS package, a read-only project). If tsx cannot start, each such plugin reports that reason.
  const hasTs = files.some((file) => file.endsWith('.ts'));
  const cache = hasTs ? createPluginCache({ projectDir, ...(options.tsCompiler ? { compiler: options.tsCompiler } : {}) }) : undefined;
  let tsxImporter: ReturnType<typeof createTsImporter> | undefined;
  const importTs = async (file: string): Promise<Record<string, unknown>> => {
    const cached = await cache?.moduleUrl(file);
    if (cached !== undefined) return import(`${cached}?actiongraph-load=${loadId}`) as Promise<Record<string, unknown>>;
    tsxImporter ??= createTsImporter(projectDir, loadId);
    return (await tsxImporter)(file);
  };
  const refs: PluginModuleRef[] = [];
  for (const file of files) {
    const source = sourceName(projectDir, file);
    if (file.endsWith('.ts')) {
      refs.push({ source, load: () => importTs(file) });
    } else {
      // A query makes each load a fresh module instance, so a long-lived host that loads again sees edits.
      refs.push({ source, load: () => import(`${pathToFileURL(file).href}?actiongraph-load=${loadId}`) as Promise<Record<string, unknown>> });
    }
  }
  for (const name of options.packages ?? []) {
    refs.push({
      source: name,
      load: async () => import(pathToFileURL(await resolvePackageEntry(name, projectDir)).href) as Promise<Record<string, unknown>>,
    });
  }

  // Load concurrently, each bounded by its own timer; keep the results in the order of `refs`.
  const results = await Promise.all(refs.map((ref) => loadWithTimeout(ref, timeoutMs)));
  const definitions: RegisteredAction[] = [];
  for (const [index, result] of results.entries()) {
    const ref = refs[index] as PluginModuleRef;
    if ('error' in result) {
      problems.push(result.error);
      continue;
    }
    const found = definitionsIn(result.module, ref.source, problems);
    if (found.length === 0 && !problems.some((p) => p.source === ref.source)) {
      problems.push(
        new PluginError('PLUGIN_EMPTY', `${ref.source}: exports no action definitions (export default defineAction({...}))`, {
          source: ref.source,
        }),
      );
    }
    for (const definition of found) definitions.push({ definition: withAdoptedErrors(definition), source: ref.source });
  }
  return { definitions, problems };
}

/**
 * A registry with the built-in actions, then every plugin. A plugin definition that cannot be registered (a
 * duplicate name, a bad name) becomes a problem naming both sources; the rest still register.
 */
export async function createRegistry(
  options: LoadPluginsOptions & { builtins?: readonly AnyActionDefinition[] },
): Promise<{ registry: ActionRegistry; problems: PluginError[] }> {
  const registry = new ActionRegistry();
  for (const definition of options.builtins ?? builtinActions) registry.register(definition, 'builtin');
  const { definitions, problems } = await loadPlugins(options);
  for (const { definition, source } of definitions) {
    try {
      registry.register(definition, source);
    } catch (error) {
      if (!(error instanceof PluginError)) throw error;
      problems.push(error);
    }
  }
  return { registry, problems };
}

async function findPluginFiles(projectDir: string, extraDirs: string[], problems: PluginError[]): Promise<string[]> {
  const dirs = [
    { dir: path.join(projectDir, PROJECT_ACTIONS_DIR), required: false },
    ...extraDirs.map((dir) => ({ dir: path.resolve(projectDir, dir), required: true })),
  ];
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();
  const files: string[] = [];
  for (const { dir, required } of dirs) {
    let real: string;
    try {
      real = await realpath(dir);
      if (!(await stat(real)).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    } catch (error) {
      if (required) {
        const source = sourceName(projectDir, dir);
        const reason = (error as NodeJS.ErrnoException).code === 'ENOTDIR' ? 'is not a folder' : 'does not exist';
        problems.push(new PluginError('PLUGIN_DIR_NOT_FOUND', `${source}: the plugin folder ${reason}`, { source, cause: error }));
      }
      continue;
    }
    // --actions actions (or a symlink to it) must not load the same plugins twice.
    if (seenDirs.has(real)) continue;
    seenDirs.add(real);
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      const source = sourceName(projectDir, dir);
      problems.push(
        new PluginError('PLUGIN_LOAD_FAILED', `${source}: cannot read the plugin folder: ${(error as Error).message}`, { source, cause: error }),
      );
      continue;
    }
    const names = entries
      .filter((entry) => entry.isFile() || entry.isSymbolicLink())
      .map((entry) => entry.name)
      .filter((name) => !name.startsWith('.') && PLUGIN_EXTENSIONS.has(path.extname(name)) && !NOT_PLUGINS.test(name))
      .sort();
    for (const name of names) {
      const file = path.join(dir, name);
      const realFile = await realpath(file).catch(() => file);
      if (seenFiles.has(realFile)) continue;
      seenFiles.add(realFile);
      files.push(file);
    }
  }
  return files;
}

/**
 * An importer for .ts plugins through tsx, for those the compile cache cannot take; scoped to a namespace so it
 * changes nothing else in the process. The project's tsconfig.json (when present) gives tsx its `paths`. (The
 * cache keeps installed packages bare even when `paths` maps them: in the actiongraph repository a cached plugin's
 * 'actiongraph' is the package's self-reference, dist/index.js, the same copy the CLI runs.)
 */
async function createTsImporter(projectDir: string, loadId: number): Promise<(file: string) => Promise<Record<string, unknown>>> {
  const { register } = await import('tsx/esm/api');
  const tsconfig = path.join(projectDir, 'tsconfig.json');
  const hasTsconfig = await stat(tsconfig).then(
    (s) => s.isFile(),
    () => false,
  );
  // The registration stays active: a plugin may import more .ts files lazily while it runs.
  const api = register({ namespace: `actiongraph-plugins-${process.pid}-${loadId}`, tsconfig: hasTsconfig ? tsconfig : false });
  const parentURL = pathToFileURL(path.join(projectDir, 'noop.js')).href;
  return async (file) => (await api.import(pathToFileURL(file).href, parentURL)) as Record<string, unknown>;
}

async function loadWithTimeout(
  ref: PluginModuleRef,
  timeoutMs: number,
): Promise<{ module: Record<string, unknown> } | { error: PluginError }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ error: PluginError }>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          error: new PluginError('PLUGIN_TIMEOUT', `${ref.source}: did not finish loading within ${timeoutMs} ms`, {
            source: ref.source,
          }),
        }),
      timeoutMs,
    );
  });
  const loading = ref.load().then(
    (module) => ({ module }),
    (error: unknown) => ({
      error: new PluginError('PLUGIN_LOAD_FAILED', `${ref.source}: cannot load: ${loadFailureReason(error)}`, {
        source: ref.source,
        cause: error,
      }),
    }),
  );
  try {
    return await Promise.race([loading, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The definitions a module exports: the default export first, then named exports (a module namespace lists them
 * by name); arrays are flattened. A CommonJS module (a .ts plugin in a project without "type": "module" compiles
 * to one) arrives as `default` = module.exports, so a default that is a plain object is searched one level down.
 */
function definitionsIn(module: Record<string, unknown>, source: string, problems: PluginError[]): AnyActionDefinition[] {
  const found: AnyActionDefinition[] = [];
  const seen = new Set<unknown>();
  const entries: [string, unknown][] = [];
  const { default: defaultExport, ...named } = module;
  if (defaultExport !== undefined) entries.push(['default', defaultExport]);
  if (isPlainObject(defaultExport) && !isActionDefinition(defaultExport)) {
    for (const [key, value] of Object.entries(defaultExport)) entries.push([key, value]);
  }
  entries.push(...Object.entries(named));
  for (const [key, value] of entries) {
    const candidates = Array.isArray(value) ? value : [value];
    for (const candidate of candidates) {
      if (!isActionDefinition(candidate) || seen.has(candidate)) continue;
      seen.add(candidate);
      const problem = definitionProblem(candidate);
      if (problem) {
        problems.push(new PluginError('PLUGIN_INVALID', `${source}: export "${key}": ${problem}`, { source }));
        continue;
      }
      found.push(candidate);
    }
  }
  return found;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** One line on why a module failed: esbuild's syntax errors put the useful line (file:line:col: ERROR: ...) second. */
function loadFailureReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split('\n').map((line) => line.trim()).filter(Boolean);
  const located = lines.find((line) => /:\d+:\d+: ERROR: /u.test(line));
  if (located) return located.replace(/^.*?(\d+:\d+): ERROR: /u, 'line $1: ');
  return lines[0] ?? 'unknown error';
}

function sourceName(projectDir: string, file: string): string {
  const relative = path.relative(projectDir, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative.split(path.sep).join('/');
}
