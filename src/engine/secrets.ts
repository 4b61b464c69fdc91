// Secrets for a run: each used action's declared secrets, resolved before the run starts so a missing one fails
// fast (exit 2) instead of halfway through. The graph never names a variable; only action definitions do.
import type { AnyActionDefinition } from '../actions/define.js';
import { RunError } from '../errors.js';

export type SecretSource = Readonly<Record<string, string | undefined>>;

export interface ResolvedSecrets {
  /** Secrets per action name, exactly the ones the action declared. */
  byAction: Map<string, Readonly<Record<string, string>>>;
  /** Every value, for the redactor. */
  values: string[];
}

/**
 * Resolves the secrets of every action some node uses. In a dry run, `read` and `write` actions are not called,
 * so their secrets are not needed (and not resolved, so they cannot leak into a sample).
 */
export function resolveRunSecrets(
  usedBy: ReadonlyMap<string, { definition: AnyActionDefinition; nodeId: string }>,
  source: SecretSource,
  options: { dryRun: boolean },
): ResolvedSecrets {
  const byAction = new Map<string, Readonly<Record<string, string>>>();
  const values: string[] = [];
  const missing: { action: string; nodeId: string; variable: string }[] = [];
  for (const [name, { definition, nodeId }] of usedBy) {
    if (definition.secrets.length === 0) continue;
    if (options.dryRun && definition.effects !== 'none') continue;
    const resolved: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const variable of definition.secrets) {
      const value = Object.prototype.hasOwnProperty.call(source, variable) ? source[variable] : undefined;
      if (value === undefined || value === '') missing.push({ action: name, nodeId, variable });
      else {
        resolved[variable] = value;
        values.push(value);
      }
    }
    byAction.set(name, Object.freeze(resolved));
  }
  const first = missing[0];
  if (first) {
    const more = missing.length > 1 ? ` (and ${missing.length - 1} more: ${missing.slice(1).map((m) => m.variable).join(', ')})` : '';
    throw new RunError(
      'SECRET_MISSING',
      `node "${first.nodeId}": action "${first.action}" needs the secret ${first.variable}; set the environment variable ${first.variable}${more}`,
      { nodeId: first.nodeId, exitCode: 2 },
    );
  }
  return { byAction, values };
}
