// A compile cache for .ts plugins: each is bundled once with esbuild into <project>/.actiongraph/cache/plugins/, so
// later starts import plain JavaScript instead of starting tsx (about 0.5 s). A manifest per plugin lists every
// source file that went into the bundle with its hash, so a hit is checked by reading a few small files, without
// loading esbuild at all.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { access, constants, mkdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire, isBuiltin } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The cache folder, relative to the project folder. */
export const PLUGIN_CACHE_DIR = path.join('.actiongraph', 'cache', 'plugins');

/** Part of every cache key and manifest: bump it when the build options or the manifest layout change. */
const CACHE_FORMAT = 1;

/** One file that went into a compiled plugin, as it was when compiled; sha256 null means "did not exist". */
export interface CompiledInput {
  path: string;
  size: number;
  sha256: string | null;
}

export interface CompileRequest {
  /** The plugin, a real (symlink-free) absolute path. */
  file: string;
  projectDir: string;
  /** The project's tsconfig.json when it has one: the same file tsx would use. */
  tsconfig: string | undefined;
  /** Where the module will live (its folder, really): inline source maps point back to the sources from there. */
  outFile: string;
}

export interface CompiledPlugin {
  /** An ES module: the plugin with its relative imports bundled in, packages left as bare imports. */
  code: string;
  /** Every source file bundled in, with the hash of the exact text that was compiled. */
  inputs: CompiledInput[];
}

/** Compiles plugins. Injectable so tests can count compilations; esbuildCompiler() is the real one. */
export interface PluginCompiler {
  /** Names the compiler and its version without loading it; part of every cache key, so an upgrade recompiles. */
  id(): Promise<string>;
  /** Throws PluginCompileError (one line, with the file and line:column) for code that does not compile. */
  compile(request: CompileRequest): Promise<CompiledPlugin>;
}

/** A plugin (or a file it imports) that does not compile; the message is one line. */
export class PluginCompileError extends Error {
  override name = 'PluginCompileError';
}

export interface PluginCache {
  /**
   * The file URL of the compiled module for a .ts plugin, compiling it on a miss; undefined when the plugin must
   * load through tsx instead: it lies outside the project folder, its package is not "type": "module" (tsx would
   * run it as CommonJS), or the cache folder cannot be written. Throws PluginCompileError.
   */
  moduleUrl(file: string): Promise<string | undefined>;
}

interface Manifest {
  format: number;
  compiler: string;
  plugin: string;
  /** The compiled module's file name in the cache folder: <key>.mjs. */
  module: string;
  inputs: CompiledInput[];
}

/** Where a plugin folder's imports resolve from: its package.json, which must say "type": "module". */
interface Scope {
  packageJson: string;
}

export function createPluginCache(options: { projectDir: string; compiler?: PluginCompiler }): PluginCache {
  const projectDir = path.resolve(options.projectDir);
  const compiler = options.compiler ?? esbuildCompiler();
  const cacheDir = path.join(projectDir, PLUGIN_CACHE_DIR);
  const realProjectDir = realpath(projectDir).catch(() => projectDir);
  const scopes = new Map<string, Promise<Scope | undefined>>();
  let writable: Promise<boolean> | undefined;

  return {
    async moduleUrl(file) {
      const realFile = await realpath(file);
      const root = await realProjectDir;
      if (!isInside(root, realFile)) return undefined;
      const dir = path.dirname(realFile);
      let scope = scopes.get(dir);
      if (!scope) scopes.set(dir, (scope = scopeOf(dir, root)));
      const { packageJson } = (await scope) ?? {};
      if (packageJson === undefined) return undefined;

      const compilerId = await compiler.id();
      const manifestPath = path.join(cacheDir, `${sha256(realFile)}.json`);
      const manifest = await readManifest(manifestPath);
      if (
        manifest?.format === CACHE_FORMAT &&
        manifest.compiler === compilerId &&
        manifest.plugin === realFile &&
        (await unchanged(manifest.inputs)) &&
        (await isFile(path.join(cacheDir, manifest.module)))
      ) {
        return pathToFileURL(path.join(cacheDir, manifest.module)).href;
      }

      // A miss. Check the folder first so a read-only project does not pay for esbuild and then for tsx too.
      writable ??= mkdir(cacheDir, { recursive: true }).then(
        () => access(cacheDir, constants.W_OK).then(() => true),
        () => false,
      );
      if (!(await writable)) return undefined;
      const tsconfigPath = path.join(projectDir, 'tsconfig.json');
      const tsconfig = (await isFile(tsconfigPath)) ? tsconfigPath : undefined;
      const compiled = await compiler.compile({ file: realFile, projectDir, tsconfig, outFile: path.join(cacheDir, 'plugin.mjs') });
      // The tsconfig (paths, decorators...) and package.json ("imports") shape the output without being bundled.
      const inputs = mergeInputs(compiled.inputs, await Promise.all([tsconfigPath, packageJson].map(describeInput)));
      const key = sha256(JSON.stringify([CACHE_FORMAT, compilerId, realFile, inputs.map((input) => [input.path, input.sha256])]));
      const fresh: Manifest = { format: CACHE_FORMAT, compiler: compilerId, plugin: realFile, module: `${key}.mjs`, inputs };
      try {
        // The module first: a manifest never names a module that is not there.
        await writeAtomically(path.join(cacheDir, fresh.module), compiled.code);
        await writeAtomically(manifestPath, `${JSON.stringify(fresh, null, 2)}\n`);
      } catch {
        return undefined;
      }
      // Keys include the plugin's path, so the previous module belonged to this plugin alone.
      if (manifest && manifest.module !== fresh.module && /^[0-9a-f]{64}\.mjs$/u.test(manifest.module)) {
        await rm(path.join(cacheDir, manifest.module), { force: true }).catch(() => undefined);
      }
      return pathToFileURL(path.join(cacheDir, fresh.module)).href;
    },
  };
}

/**
 * The package.json that decides how a plugin folder inside the project loads, when a module in the cache folder
 * would load the same way: no package.json or node_modules between the folder and the project folder (imports
 * would resolve differently from the cache folder), and the nearest package.json says "type": "module".
 */
async function scopeOf(dir: string, projectDir: string): Promise<Scope | undefined> {
  for (let current = dir; ; current = path.dirname(current)) {
    const packageJson = path.join(current, 'package.json');
    const text = await readFile(packageJson, 'utf8').catch(() => undefined);
    if (current !== projectDir && isInside(projectDir, current)) {
      if (text !== undefined || existsSync(path.join(current, 'node_modules'))) return undefined;
    } else if (text !== undefined) {
      try {
        return (JSON.parse(text) as { type?: unknown }).type === 'module' ? { packageJson } : undefined;
      } catch {
        return undefined;
      }
    }
    if (path.dirname(current) === current) return undefined;
  }
}

async function readManifest(file: string): Promise<Manifest | undefined> {
  try {
    const manifest = JSON.parse(await readFile(file, 'utf8')) as Partial<Manifest>;
    const inputsOk =
      Array.isArray(manifest.inputs) &&
      manifest.inputs.every(
        (input) =>
          typeof input?.path === 'string' &&
          typeof input.size === 'number' &&
          (typeof input.sha256 === 'string' || input.sha256 === null),
      );
    return inputsOk && typeof manifest.module === 'string' && !manifest.module.includes('/') ? (manifest as Manifest) : undefined;
  } catch {
    return undefined;
  }
}

/** True when every input still has the recorded content (a size change answers without reading the file). */
async function unchanged(inputs: CompiledInput[]): Promise<boolean> {
  const checks = await Promise.all(
    inputs.map(async (input) => {
      const size = await stat(input.path).then(
        (s) => s.size,
        () => undefined,
      );
      if (input.sha256 === null) return size === undefined;
      if (size !== input.size) return false;
      return (await readFile(input.path).then(sha256, () => undefined)) === input.sha256;
    }),
  );
  return checks.every(Boolean);
}

async function describeInput(file: string): Promise<CompiledInput> {
  const content = await readFile(file).catch(() => undefined);
  return content === undefined ? { path: file, size: 0, sha256: null } : { path: file, size: content.length, sha256: sha256(content) };
}

function mergeInputs(...lists: CompiledInput[][]): CompiledInput[] {
  const byPath = new Map<string, CompiledInput>();
  for (const input of lists.flat()) if (!byPath.has(input.path)) byPath.set(input.path, input);
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, text);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}

async function isFile(file: string): Promise<boolean> {
  return stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
}

function isInside(dir: string, file: string): boolean {
  const relative = path.relative(dir, file);
  return relative !== '' && !relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative);
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

// ---------------------------------------------------------------------------------------------------------------
// The esbuild compiler.

/** Files that may use import.meta get a hidden import of their own import.meta values (see esbuildCompiler). */
const USES_IMPORT_META = /\bimport\s*\.\s*meta\b/u;
const META_NAMESPACE = 'actiongraph-import-meta';
const META_PREFIX = `${META_NAMESPACE}:`;
const META_BINDINGS = {
  url: '__actiongraph_meta_url',
  filename: '__actiongraph_meta_filename',
  dirname: '__actiongraph_meta_dirname',
  resolve: '__actiongraph_meta_resolve',
};

/**
 * esbuild, imported on the first compilation only. Bundling moves every file into the cache folder, so two things
 * are put back the way tsx would have them:
 * - import.meta.url, .filename, .dirname and .resolve are each file's own: a file that mentions import.meta gets a
 *   hidden import (appended, so lines and columns stay put) from a virtual module holding its values, and `define`
 *   points the expressions at those bindings.
 * - an installed package (or the project's own name, through its self-reference) stays a bare import even when
 *   tsconfig `paths` maps it to sources (this repository maps 'actiongraph' to src/index.ts for development): the
 *   plugin then shares the host's copy of the package instead of bundling another one.
 */
export function esbuildCompiler(): PluginCompiler {
  let version: Promise<string> | undefined;
  let esbuild: Promise<typeof import('esbuild')> | undefined;
  return {
    id() {
      version ??= (async () => {
        const manifest = createRequire(import.meta.url).resolve('esbuild/package.json');
        return `esbuild ${(JSON.parse(await readFile(manifest, 'utf8')) as { version: string }).version}`;
      })();
      return version;
    },
    async compile(request) {
      esbuild ??= import('esbuild');
      const { build } = await esbuild;
      const loaded = new Map<string, CompiledInput>();
      let result: Awaited<ReturnType<typeof build>>;
      try {
        result = await build({
          entryPoints: [request.file],
          bundle: true,
          packages: 'external',
          format: 'esm',
          platform: 'node',
          target: 'node20',
          write: false,
          sourcemap: 'inline',
          metafile: true,
          logLevel: 'silent',
          absWorkingDir: request.projectDir,
          outfile: request.outFile,
          // tsx is given the project's tsconfig.json or none; esbuild would otherwise look next to each file.
          ...(request.tsconfig ? { tsconfig: request.tsconfig } : { tsconfigRaw: {} }),
          define: Object.fromEntries(Object.entries(META_BINDINGS).map(([key, binding]) => [`import.meta.${key}`, binding])),
          plugins: [
            {
              name: 'actiongraph-plugin-sources',
              // Filters run in Go, whose regular expressions take no flags.
              setup(builder) {
                builder.onResolve({ filter: /^[^./]/ }, (args) => {
                  if (args.path.startsWith(META_PREFIX)) return { path: args.path.slice(META_PREFIX.length), namespace: META_NAMESPACE };
                  if (args.kind === 'entry-point') return undefined;
                  return isInstalled(args.path, args.resolveDir) ? { path: args.path, external: true } : undefined;
                });
                builder.onLoad({ filter: /.*/, namespace: META_NAMESPACE }, (args) => ({ contents: metaModule(args.path), loader: 'js' }));
                builder.onLoad({ filter: /\.(?:[cm]?[jt]s|[jt]sx)$/, namespace: 'file' }, async (args) => {
                  const content = await readFile(args.path);
                  // Record what was compiled, not what is on disk a moment later: an edit in between must miss.
                  loaded.set(args.path, { path: args.path, size: content.length, sha256: sha256(content) });
                  const text = content.toString('utf8');
                  const esm = !/\.c[jt]s$/u.test(args.path);
                  return {
                    contents: esm && USES_IMPORT_META.test(text) ? `${text}\n${metaImport(args.path)}\n` : text,
                    loader: loaderFor(args.path),
                  };
                });
              },
            },
          ],
        });
      } catch (error) {
        throw new PluginCompileError(compileErrorLine(error, request), { cause: error });
      }
      const code = result.outputFiles?.[0]?.text;
      if (code === undefined) throw new PluginCompileError('esbuild produced no output');
      const files = Object.keys(result.metafile?.inputs ?? {})
        .filter((input) => !input.startsWith(META_PREFIX))
        .map((input) => path.resolve(request.projectDir, input));
      // Files esbuild loaded itself (JSON, text) are read now.
      const inputs = await Promise.all(files.map((file) => loaded.get(file) ?? describeInput(file)));
      return { code, inputs };
    },
  };
}

/** The first error as one line: `line L:C: text` in the plugin itself, `file:L:C: text` in a file it imports. */
function compileErrorLine(error: unknown, request: CompileRequest): string {
  const first = (error as { errors?: { text: string; location: { file: string; line: number; column: number } | null }[] }).errors?.[0];
  if (!first) return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'unknown error';
  const { text, location } = first;
  if (!location) return text;
  const where = path.resolve(request.projectDir, location.file) === request.file ? 'line ' : `${location.file}:`;
  return `${where}${location.line}:${location.column}: ${text}`;
}

function loaderFor(file: string): 'ts' | 'tsx' | 'jsx' | 'js' {
  if (/\.[cm]?ts$/u.test(file)) return 'ts';
  if (file.endsWith('.tsx')) return 'tsx';
  return file.endsWith('.jsx') ? 'jsx' : 'js';
}

function metaImport(file: string): string {
  const names = Object.entries(META_BINDINGS).map(([key, binding]) => `${key} as ${binding}`);
  return `import { ${names.join(', ')} } from ${JSON.stringify(META_PREFIX + file)};`;
}

/** A file's import.meta values. `meta` is an alias because `define` would rewrite `import.meta.resolve` here too. */
function metaModule(file: string): string {
  const url = pathToFileURL(file).href;
  return [
    `export const url = ${JSON.stringify(url)};`,
    `export const filename = ${JSON.stringify(file)};`,
    `export const dirname = ${JSON.stringify(path.dirname(file))};`,
    'const meta = import.meta;',
    // Relative specifiers resolve against the file; packages resolve the same from the cache folder.
    'export function resolve(specifier) {',
    '  return /^\\.{0,2}\\//u.test(specifier) ? new URL(specifier, url).href : meta.resolve(specifier);',
    '}',
  ].join('\n');
}

/** Whether Node would find this bare import as a package from `dir`: a builtin, in node_modules, or the project's own name. */
function isInstalled(specifier: string, dir: string): boolean {
  if (isBuiltin(specifier)) return true;
  if (specifier.startsWith('#')) return false;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
  let selfChecked = false;
  for (let current = dir; ; current = path.dirname(current)) {
    if (existsSync(path.join(current, 'node_modules', name))) return true;
    const packageJson = path.join(current, 'package.json');
    if (!selfChecked && existsSync(packageJson)) {
      // Only the nearest package.json can be imported by its own name, and only through "exports".
      selfChecked = true;
      try {
        const manifest = JSON.parse(readFileSync(packageJson, 'utf8')) as { name?: unknown; exports?: unknown };
        if (manifest.name === name && manifest.exports !== undefined) return true;
      } catch {
        // An unreadable package.json names nothing.
      }
    }
    if (path.dirname(current) === current) return false;
  }
}
