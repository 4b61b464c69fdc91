// Create: a plain-text task in, a valid workflow out. With a model: a prompt with the compact catalog, an answer
// constrained by the catalog's schema, validated by the same validator as files and repaired when wrong. Without
// one: the offline planner. `generateWorkflowFile` adds what the CLI needs around it: the target file, the
// rejected attempt beside it, history and the training example.
import { access, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ActionRegistry } from '../actions/registry.js';
import { PlannerError, type Problem, UsageError } from '../errors.js';
import { writeFileAtomic, writeWorkflowFile } from '../graph/file.js';
import { serializeWorkflow } from '../graph/parse.js';
import type { Workflow } from '../graph/schema.js';
import { validateWorkflow } from '../graph/validate.js';
import { answerToWorkflow, workflowToModelAnswer } from './answer.js';
import { PlannerCatalog, type SchemaVariant } from './catalog-schema.js';
import type { TokenUsage } from './client.js';
import { type TrainingExample, appendExample, trainingExample } from './examples-log.js';
import type { ResponseMode } from './format-memory.js';
import { FileHistory } from './history.js';
import { extractJson } from './json-extract.js';
import { OfflinePlanner } from './offline.js';
import { createSystemPrompt, createUserMessage, firstMessages } from './prompt.js';
import { type ModelPlannerOptions, PlannerRejectedError, repairLoop } from './repair-loop.js';

export interface PlanResult {
  workflow: Workflow;
  planner: 'model' | 'offline';
  repairs: number;
  usage: TokenUsage;
  elapsedMs: number;
  /** How the answer was asked for (model planner only). */
  mode?: ResponseMode;
  schemaVariant?: SchemaVariant;
  /** The accepted generation as a chat training example. */
  example: TrainingExample;
}

export interface PlanOptions {
  registry: ActionRegistry;
  /** Absent: the offline planner. */
  model?: ModelPlannerOptions | undefined;
  /** The workflow's `name`; `description` is always the task. */
  name?: string | undefined;
  catalog?: PlannerCatalog;
  now?: () => number;
}

/** Plans a workflow for `task`. Throws PlannerRejectedError (PLANNER_INVALID_GRAPH) when repairs run out. */
export async function planWorkflow(task: string, options: PlanOptions): Promise<PlanResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const catalog = options.catalog ?? PlannerCatalog.fromRegistry(options.registry);
  const system = createSystemPrompt(catalog);
  const user = createUserMessage(task);
  const meta = { name: options.name, description: task.trim() };

  if (!options.model) {
    const workflow = new OfflinePlanner(options.registry, catalog).plan(task.trim(), meta);
    return {
      workflow,
      planner: 'offline',
      repairs: 0,
      usage: { promptTokens: 0, completionTokens: 0 },
      elapsedMs: now() - started,
      example: trainingExample(system, user, JSON.stringify(workflowToModelAnswer(workflow))),
    };
  }

  const schema = catalog.workflowSchema(options.model.schemaChoice ?? 'auto');
  const loop = await repairLoop<Workflow>(
    schema,
    firstMessages(system, user),
    (answer, finishReason) => interpretWorkflow(answer, finishReason, catalog, options.registry, meta),
    { ...options.model, rejectedCode: 'PLANNER_INVALID_GRAPH', what: 'graph' },
  );
  return {
    workflow: loop.result,
    planner: 'model',
    repairs: loop.repairs,
    usage: loop.usage,
    elapsedMs: now() - started,
    mode: loop.mode,
    schemaVariant: schema.variant,
    example: trainingExample(system, user, JSON.stringify(workflowToModelAnswer(loop.result))),
  };
}

/** Reads one answer: JSON, then the file format, then the validator with the registry as catalog. */
export function interpretWorkflow(
  answer: string,
  finishReason: string | undefined,
  catalog: PlannerCatalog,
  registry: ActionRegistry,
  meta: { name?: string | undefined; description?: string | undefined },
): { result?: Workflow; problems: Problem[]; attempt?: unknown } {
  const extracted = extractJson(answer);
  if (!extracted.ok) {
    const cut = finishReason === 'length' ? ' (the answer was cut off: it hit the token limit)' : '';
    return {
      problems: [{ code: 'PLANNER_ANSWER_NOT_JSON', path: [], message: `${extracted.reason}${cut}`, severity: 'error' }],
      attempt: answer,
    };
  }
  const { workflow, problems } = answerToWorkflow(extracted.value, catalog, meta);
  if (!workflow) return { problems, attempt: extracted.value };
  const found = validateWorkflow(workflow, { catalog: registry });
  return found.some((p) => p.severity === 'error') ? { problems: found, attempt: workflow } : { result: workflow, problems: found };
}

export interface GenerateOptions extends PlanOptions {
  task: string;
  projectDir: string;
  /** The target file (relative to projectDir or absolute); absent: nothing is written. */
  output?: string | undefined;
  /** Replace an existing target (its old text goes to the history, so undo restores it). */
  force?: boolean;
}

export interface GenerateResult extends PlanResult {
  /** The file written, when there was a target. */
  written?: string;
  examplesFile?: string;
}

export async function generateWorkflowFile(options: GenerateOptions): Promise<GenerateResult> {
  const target = options.output === undefined ? undefined : path.resolve(options.projectDir, options.output);
  if (target && !options.force && (await exists(target))) {
    // Checked before the model is asked, so a refusal costs nothing.
    throw new UsageError(`${options.output}: the file exists (pass --force or --yes to replace it)`, { code: 'OUTPUT_EXISTS' });
  }
  const name = options.name ?? (target ? path.basename(target).replace(/\.json5?$/iu, '') : slug(options.task));
  let result: PlanResult;
  try {
    result = await planWorkflow(options.task, { ...options, name });
  } catch (error) {
    if (!(error instanceof PlannerRejectedError)) throw error;
    const saved = await saveRejected(error, options.projectDir, target, name);
    throw new PlannerError(error.code, `${error.message}; the last attempt is in ${displayPath(options.projectDir, saved)}`, {
      problems: error.problems,
      cause: error,
    });
  }
  if (!target) return result;

  await mkdir(path.dirname(target), { recursive: true });
  const history = new FileHistory(options.projectDir);
  const previous = await readIfExists(target);
  if (previous !== undefined) await history.push(target, previous);
  await writeWorkflowFile(target, result.workflow);
  const examplesFile = await appendExample(options.projectDir, result.example);
  return { ...result, written: target, examplesFile };
}

/** `<name>.rejected.json` beside the target (or under .actiongraph/rejected/ without one). Never the target. */
async function saveRejected(error: PlannerRejectedError, projectDir: string, target: string | undefined, name: string): Promise<string> {
  const dir = target ? path.dirname(target) : path.join(projectDir, '.actiongraph', 'rejected');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}.rejected.json`);
  const attempt = error.attempt;
  const text = isWorkflow(attempt)
    ? serializeWorkflow(attempt)
    : `${JSON.stringify({ answer: attempt ?? error.answerText, problems: error.problems }, null, 2)}\n`;
  await writeFileAtomic(file, text);
  return file;
}

function isWorkflow(value: unknown): value is Workflow {
  return typeof value === 'object' && value !== null && (value as Workflow).nodes instanceof Map;
}

export function slug(task: string): string {
  const words = task
    .toLowerCase()
    .replace(/[^a-z0-9]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean)
    .slice(0, 6);
  return words.join('-') || 'workflow';
}

export function displayPath(projectDir: string, file: string): string {
  const relative = path.relative(projectDir, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative.split(path.sep).join('/');
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
