// Secrets for a run: each used action's declared secrets, resolved before the run starts so a missing one fails
// fast (exit 2) instead of halfway through. The graph never names a variable; only action definitions do.
// In a dry run, `read` and `write` actions are not called, so their secrets are neither needed nor resolved.
import type { AnyActionDefinition } from '../actions/define.js';
import type { ActionRegistry } from '../actions/registry.js';
import { resolveSecrets } from '../actions/secrets.js';
import { RunError, type Problem } from '../errors.js';
import type { Workflow } from '../graph/schema.js';

export type SecretSource = Readonly<Record<string, string | undefined>>;

export interface RunSecrets {
  /** Secrets per action name, exactly the ones the action declared. */
  byAction: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** Every value, for the redactor. */
  values: readonly string[];
}

/** The first node of each action the run will call, with its definition (unknown actions are compile's business). */
export function actionsToResolve(
  workflow: Workflow,
  registry: ActionRegistry,
  dryRun: boolean,
): Map<string, { definition: AnyActionDefinition; nodeId: string }> {
  const used = new Map<string, { definition: AnyActionDefinition; nodeId: string }>();
  for (const [nodeId, node] of workflow.nodes) {
    if (used.has(node.action)) continue;
    const definition = registry.get(node.action);
    if (!definition || definition.secrets.length === 0) continue;
    if (dryRun && definition.effects !== 'none') continue;
    used.set(node.action, { definition, nodeId });
  }
  return used;
}

/** Resolves from `source` only (the environment, or a record a test injects). Synchronous. */
export function resolveSecretsFromEnv(
  workflow: Workflow,
  registry: ActionRegistry,
  source: SecretSource,
  options: { dryRun: boolean },
): RunSecrets {
  const byAction = new Map<string, Readonly<Record<string, string>>>();
  const values: string[] = [];
  const problems: Problem[] = [];
  for (const [name, { definition, nodeId }] of actionsToResolve(workflow, registry, options.dryRun)) {
    const resolved = Object.create(null) as Record<string, string>;
    for (const variable of definition.secrets) {
      const value = Object.prototype.hasOwnProperty.call(source, variable) ? source[variable] : undefined;
      if (value === undefined || value === '') {
        problems.push({
          code: 'SECRET_MISSING',
          path: ['nodes', nodeId, 'action'],
          message: `node "${nodeId}": action "${name}" needs the secret ${variable}: set it in the environment`,
          severity: 'error',
        });
      } else {
        resolved[variable] = value;
        values.push(value);
      }
    }
    byAction.set(name, Object.freeze(resolved));
  }
  throwIfMissing(problems);
  return { byAction, values };
}

/**
 * Resolves through the actions module: the environment first, then the project's `.env`. What the CLI uses;
 * pass the result to startRun/resumeRun as `secrets`.
 */
export async function resolveRunSecrets(
  workflow: Workflow,
  registry: ActionRegistry,
  options: { env: SecretSource; projectDir: string; dryRun: boolean },
): Promise<RunSecrets> {
  const nodes = [...actionsToResolve(workflow, registry, options.dryRun)].map(([, { definition, nodeId }]) => ({
    nodeId,
    action: definition,
  }));
  const resolved = await resolveSecrets({ nodes, env: options.env, projectDir: options.projectDir });
  throwIfMissing(resolved.problems.filter((problem) => problem.severity === 'error'));
  return { byAction: resolved.byAction, values: resolved.values };
}

function throwIfMissing(problems: Problem[]): void {
  const first = problems[0];
  if (!first) return;
  const nodeId = String(first.path[1]);
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more missing secret${problems.length > 2 ? 's' : ''})` : '';
  throw new RunError('SECRET_MISSING', `${first.message}${more}`, { nodeId, exitCode: 2, problems });
}
