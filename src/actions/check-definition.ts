// A structural check of an action definition that came from a plugin. Plugins may be built against another
// copy of actiongraph (or written in plain JavaScript), so nothing here relies on instanceof.
import type { AnyActionDefinition } from './define.js';

const EFFECTS = new Set(['none', 'read', 'write']);
/** What an environment variable name looks like; secrets are environment variables. */
export const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/u;

/** Why `definition` cannot be registered, or undefined when it is sound. The name is checked by the registry. */
export function definitionProblem(definition: AnyActionDefinition): string | undefined {
  const name = typeof definition.name === 'string' ? `action "${definition.name}"` : 'an action';
  if (typeof definition.name !== 'string') return 'an action has no name';
  if (typeof definition.description !== 'string' || definition.description.trim() === '') {
    return `${name} has no description`;
  }
  for (const field of ['data', 'input', 'output'] as const) {
    const schema = definition[field] as { safeParse?: unknown } | undefined;
    if (typeof schema !== 'object' || schema === null || typeof schema.safeParse !== 'function') {
      return `${name}: ${field} is not a zod schema`;
    }
  }
  if (!Array.isArray(definition.secrets) || !definition.secrets.every((s) => typeof s === 'string' && SECRET_NAME.test(s))) {
    return `${name}: secrets must be a list of environment variable names`;
  }
  if (!EFFECTS.has(definition.effects)) return `${name}: effects must be "none", "read" or "write"`;
  if (!Array.isArray(definition.examples) || !definition.examples.every((e) => typeof e === 'string')) {
    return `${name}: examples must be a list of strings`;
  }
  return undefined;
}
