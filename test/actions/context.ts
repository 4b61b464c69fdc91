// Test helper: an ActionContext for calling a handler directly, with scripted answers, a real AbortController,
// recorded prints and questions, and a temp project folder that is removed after the test file.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import type { AnyActionDefinition } from '../../src/actions/define.js';
import { type ContextOf, type TestContext, type TestContextOptions, createTestContext } from '../../src/actions/testing.js';

const tempDirs: string[] = [];
afterAll(async () => {
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A fresh folder under the OS temp folder, removed when the test file ends. */
export async function tempDir(prefix = 'actiongraph-actions-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** A context for `definition`, in a temp project folder unless one is given. */
export async function makeContext<Definition extends AnyActionDefinition>(
  definition: Definition,
  options: TestContextOptions = {},
): Promise<TestContext<ContextOf<Definition>>> {
  return createTestContext(definition, { ...options, projectDir: options.projectDir ?? (await tempDir()) });
}

/** Runs the handler with a made context and returns its output together with the context's records. */
export async function runWith<Definition extends AnyActionDefinition>(
  definition: Definition,
  options: TestContextOptions = {},
): Promise<TestContext<ContextOf<Definition>> & { output: unknown }> {
  const made = await makeContext(definition, options);
  const output: unknown = await definition.run(made.context);
  return { ...made, output };
}
