// Loads the repository's example plugins (actions/) the way the CLI does: through the loader, with their
// `import ... from 'actiongraph'` resolved by the repository's tsconfig paths.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnyActionDefinition } from '../../../src/actions/define.js';
import { loadPlugins } from '../../../src/actions/loader.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

let loading: Promise<Map<string, AnyActionDefinition>> | undefined;

/** The example plugin with this name; fails the test when the plugins do not load cleanly. */
export async function examplePlugin(name: string): Promise<AnyActionDefinition> {
  loading ??= loadPlugins({ projectDir: repoRoot }).then(({ definitions, problems }) => {
    if (problems.length > 0) throw new Error(`example plugins did not load: ${problems.map((p) => p.message).join('; ')}`);
    return new Map(definitions.map(({ definition }) => [definition.name, definition]));
  });
  const found = (await loading).get(name);
  if (!found) throw new Error(`no example plugin named ${name}`);
  return found;
}
