// The action registry: register, look up, list. The graph validator, the engine and the planner all read it.
import { ActionNotFoundError, PluginError } from '../errors.js';
import type { ActionCatalog } from '../graph/schema.js';
import { ActionNameSchema } from '../graph/schema.js';
import { didYouMean } from '../graph/suggest.js';
import type { AnyActionDefinition } from './define.js';

export interface RegisteredAction {
  definition: AnyActionDefinition;
  /** Where it came from: "builtin", a plugin file path, or an npm package name. */
  source: string;
}

export class ActionRegistry implements ActionCatalog {
  readonly #actions = new Map<string, RegisteredAction>();

  register(definition: AnyActionDefinition, source = 'builtin'): void {
    if (!ActionNameSchema.safeParse(definition.name).success) {
      throw new PluginError(
        'ACTION_NAME_INVALID',
        `${source}: action name "${definition.name}" must be "namespace.name" (letters, digits, _ and -)`,
        { source },
      );
    }
    const existing = this.#actions.get(definition.name);
    if (existing) {
      throw new PluginError(
        'ACTION_DUPLICATE',
        `action "${definition.name}" is defined twice: in ${existing.source} and in ${source}`,
        { source },
      );
    }
    this.#actions.set(definition.name, { definition, source });
  }

  get(name: string): AnyActionDefinition | undefined {
    return this.#actions.get(name)?.definition;
  }

  /** The action, or an ActionNotFoundError with a "did you mean". */
  require(name: string): AnyActionDefinition {
    const found = this.get(name);
    if (!found) {
      throw new ActionNotFoundError(name, `unknown action "${name}"${didYouMean(name, this.#actions.keys())}`);
    }
    return found;
  }

  sourceOf(name: string): string | undefined {
    return this.#actions.get(name)?.source;
  }

  has(name: string): boolean {
    return this.#actions.has(name);
  }

  /** Every registered action, sorted by name. */
  list(): RegisteredAction[] {
    return [...this.#actions.values()].sort((a, b) => a.definition.name.localeCompare(b.definition.name));
  }

  lookup(name: string): { data: AnyActionDefinition['data'] } | undefined {
    return this.get(name);
  }

  names(): string[] {
    return [...this.#actions.keys()];
  }

  get size(): number {
    return this.#actions.size;
  }
}
