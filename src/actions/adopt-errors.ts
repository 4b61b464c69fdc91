// Plugins may carry their own copy of actiongraph: a .ts plugin loads through a tsx namespace (a separate module
// instance), a package may bundle another version. Their ActionError is then another class, and `instanceof`
// in the engine would miss `retryable: false`. The loader wraps each plugin's run() so that what it throws is
// rebuilt as this copy's error class, read by structure (name, code, retryable), never by identity.
import { ActionError, ActionGraphError, ActionInputError, type Problem } from '../errors.js';
import type { AnyActionDefinition } from './define.js';

interface ForeignError {
  name: string;
  code: string;
  message: string;
  retryable?: unknown;
  details?: unknown;
  nodeId?: unknown;
  problems?: unknown;
  stack?: string;
  cause?: unknown;
}

function isForeignActionGraphError(error: unknown): error is ForeignError {
  if (!(error instanceof Error) || error instanceof ActionGraphError) return false;
  const candidate = error as Partial<ForeignError>;
  return typeof candidate.code === 'string' && typeof candidate.name === 'string' && 'exitCode' in error;
}

/**
 * This copy's ActionError (or ActionInputError) for an error built by another copy of actiongraph; anything
 * else is returned unchanged (plain errors, abort reasons, errors of this copy).
 */
export function adoptError(error: unknown): unknown {
  if (!isForeignActionGraphError(error)) return error;
  let adopted: ActionGraphError;
  if (error.name === 'ActionInputError') {
    adopted = new ActionInputError(error.code, error.message, {
      cause: error,
      ...(typeof error.nodeId === 'string' ? { nodeId: error.nodeId } : {}),
      ...(Array.isArray(error.problems) ? { problems: error.problems as Problem[] } : {}),
    });
  } else {
    // ActionError says whether a retry can help; the other families (RunError, PluginError...) never are retried.
    adopted = new ActionError(error.code, error.message, {
      cause: error,
      retryable: typeof error.retryable === 'boolean' ? error.retryable : false,
      details: error.details,
    });
  }
  if (error.stack) adopted.stack = error.stack;
  return adopted;
}

/** The definition with a run() whose thrown errors are adopted; everything else is the plugin's own. */
export function withAdoptedErrors(definition: AnyActionDefinition): AnyActionDefinition {
  const run = definition.run.bind(definition);
  return {
    ...definition,
    async run(context) {
      try {
        return await run(context);
      } catch (error) {
        throw adoptError(error);
      }
    },
  };
}
