// Edit: an instruction in, patch operations against the current graph out (not a whole new graph). The patch
// is applied all-or-nothing, the result validated, and problems sent back for repair as in create. Writing is
// separate (`commitEdit`) so the CLI can show the diff and ask first; the previous version goes to the history.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { ActionRegistry } from '../actions/registry.js';
import { GraphValidationError, PlannerError, type Problem } from '../errors.js';
import { writeFileAtomic, writeWorkflowFile } from '../graph/file.js';
import { applyPatch } from '../graph/patch.js';
import type { PatchOp } from '../graph/patch-ops.js';
import { serializeWorkflow } from '../graph/parse.js';
import type { Workflow } from '../graph/schema.js';
import { answerToPatch, patchToModelAnswer } from './answer.js';
import { PlannerCatalog, type SchemaVariant } from './catalog-schema.js';
import type { TokenUsage } from './client.js';
import { displayPath } from './create.js';
import { type TrainingExample, appendExample, trainingExample } from './examples-log.js';
import type { ResponseMode } from './format-memory.js';
import { FileHistory } from './history.js';
import { extractJson } from './json-extract.js';
import { planOfflineEdit } from './offline-edit.js';
import { editSystemPrompt, editUserMessage, firstMessages } from './prompt.js';
import { type ModelPlannerOptions, PlannerRejectedError, repairLoop } from './repair-loop.js';

export interface EditPlan {
  before: Workflow;
  workflow: Workflow;
  ops: PatchOp[];
  /** One line per change, as applyPatch describes it. */
  diff: string[];
  planner: 'model' | 'offline';
  repairs: number;
  usage: TokenUsage;
  elapsedMs: number;
  mode?: ResponseMode;
  schemaVariant?: SchemaVariant;
  example: TrainingExample;
}

export interface EditOptions {
  registry: ActionRegistry;
  model?: ModelPlannerOptions | undefined;
  catalog?: PlannerCatalog;
  now?: () => number;
}

/** Plans an edit. Throws PlannerRejectedError (PLANNER_INVALID_PATCH) when repairs run out. */
export async function planEdit(workflow: Workflow, instruction: string, options: EditOptions): Promise<EditPlan> {
  const now = options.now ?? Date.now;
  const started = now();
  const catalog = options.catalog ?? PlannerCatalog.fromRegistry(options.registry);
  const system = editSystemPrompt(catalog);
  const user = editUserMessage(serializeWorkflow(workflow).trimEnd(), instruction);

  if (!options.model) {
    const ops = planOfflineEdit(workflow, instruction, options.registry, catalog);
    const outcome = interpretOps(ops, workflow, options.registry);
    if (!outcome.result) {
      throw new PlannerError('PLANNER_INVALID_PATCH', `the offline planner's edit does not apply: ${outcome.problems[0]?.message ?? 'invalid'}`, {
        problems: outcome.problems,
      });
    }
    return {
      ...outcome.result,
      before: workflow,
      ops,
      planner: 'offline',
      repairs: 0,
      usage: { promptTokens: 0, completionTokens: 0 },
      elapsedMs: now() - started,
      example: trainingExample(system, user, JSON.stringify(patchToModelAnswer(ops))),
    };
  }

  const schema = catalog.patchSchema(options.model.schemaChoice ?? 'auto');
  const loop = await repairLoop<{ ops: PatchOp[]; workflow: Workflow; diff: string[] }>(
    schema,
    firstMessages(system, user),
    (answer, finishReason) => interpretPatchAnswer(answer, finishReason, workflow, catalog, options.registry),
    { ...options.model, rejectedCode: 'PLANNER_INVALID_PATCH', what: 'edit' },
  );
  return {
    before: workflow,
    workflow: loop.result.workflow,
    ops: loop.result.ops,
    diff: loop.result.diff,
    planner: 'model',
    repairs: loop.repairs,
    usage: loop.usage,
    elapsedMs: now() - started,
    mode: loop.mode,
    schemaVariant: schema.variant,
    example: trainingExample(system, user, JSON.stringify(patchToModelAnswer(loop.result.ops))),
  };
}

export function interpretPatchAnswer(
  answer: string,
  finishReason: string | undefined,
  workflow: Workflow,
  catalog: PlannerCatalog,
  registry: ActionRegistry,
): { result?: { ops: PatchOp[]; workflow: Workflow; diff: string[] }; problems: Problem[]; attempt?: unknown } {
  const extracted = extractJson(answer);
  if (!extracted.ok) {
    const cut = finishReason === 'length' ? ' (the answer was cut off: it hit the token limit)' : '';
    return {
      problems: [{ code: 'PLANNER_ANSWER_NOT_JSON', path: [], message: `${extracted.reason}${cut}`, severity: 'error' }],
      attempt: answer,
    };
  }
  const { ops, problems } = answerToPatch(extracted.value, catalog);
  if (!ops) return { problems, attempt: extracted.value };
  const outcome = interpretOps(ops, workflow, registry);
  return outcome.result
    ? { result: { ops, ...outcome.result }, problems: [] }
    : { problems: outcome.problems, attempt: extracted.value };
}

/** Applies the ops (all or nothing) and turns a refusal into problems with paths the model can follow. */
function interpretOps(
  ops: PatchOp[],
  workflow: Workflow,
  registry: ActionRegistry,
): { result?: { workflow: Workflow; diff: string[] }; problems: Problem[] } {
  if (ops.length === 0) {
    return { problems: [{ code: 'PLANNER_EMPTY_PATCH', path: ['ops'], message: 'the answer has no operations: nothing would change', severity: 'error' }] };
  }
  try {
    const { workflow: result, diff } = applyPatch(workflow, ops, { catalog: registry });
    return { result: { workflow: result, diff }, problems: [] };
  } catch (error) {
    if (!(error instanceof GraphValidationError)) throw error;
    // Problems with an operation are numbered by op; say so, so the path reads "ops[2].id".
    const problems = error.problems.map((p) => (typeof p.path[0] === 'number' ? { ...p, path: ['ops', ...p.path] } : p));
    return { problems };
  }
}

/**
 * Saves the last attempt of a rejected edit as `<name>.rejected.json` beside the file (the ops and what is
 * wrong with them; the file itself is untouched) and returns the PlannerError to report.
 */
export async function rejectEdit(error: PlannerRejectedError, file: string, projectDir: string): Promise<PlannerError> {
  const target = path.resolve(projectDir, file);
  const name = path.basename(target).replace(/\.json5?$/iu, '');
  const saved = path.join(path.dirname(target), `${name}.rejected.json`);
  await mkdir(path.dirname(saved), { recursive: true });
  await writeFileAtomic(saved, `${JSON.stringify({ answer: error.attempt ?? error.answerText, problems: error.problems }, null, 2)}\n`);
  return new PlannerError(error.code, `${error.message}; the last attempt is in ${displayPath(projectDir, saved)}`, {
    problems: error.problems,
    cause: error,
  });
}

/** Writes the edited workflow atomically, keeping `previousText` in the history and the example in the log. */
export async function commitEdit(
  file: string,
  previousText: string,
  plan: EditPlan,
  options: { projectDir: string },
): Promise<{ historyEntry: string; examplesFile: string }> {
  const target = path.resolve(options.projectDir, file);
  const entry = await new FileHistory(options.projectDir).push(target, previousText);
  await writeWorkflowFile(target, plan.workflow);
  const examplesFile = await appendExample(options.projectDir, plan.example);
  return { historyEntry: entry.file, examplesFile };
}
