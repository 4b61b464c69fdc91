// The offline planner: a deterministic planner with no network, used when no model is configured. It splits the
// task into steps, matches each step to a registered action (BM25 over names, descriptions, examples and data
// fields, with stemming and synonyms), fills `data` where the action's schema has an obvious field, and links
// the steps in order (branches with `when` for "if ... otherwise ..."). Its output always validates.
import type { AnyActionDefinition } from '../actions/define.js';
import type { ActionRegistry } from '../actions/registry.js';
import { PlannerError, type Problem } from '../errors.js';
import type { Condition, Workflow, WorkflowEdge, WorkflowNode } from '../graph/schema.js';
import { validateWorkflow } from '../graph/validate.js';
import { type CompiledAction, PlannerCatalog } from './catalog-schema.js';
import { fillData, hasDefiniteValue } from './offline-data.js';
import { type TaskStep, quotedStrings, splitSteps } from './offline-text.js';
import { type JsonSchema, isPlainObject, zodToJsonSchema } from './strict-schema.js';
import { Bm25Index, type Match, isStopword, terms, words } from './text-match.js';

/** Below this BM25 score a step is not taken as naming an action (its words go to the step before it). */
export const MIN_MATCH_SCORE = 1;
/** A second action in one step must score this well on words the first did not use. */
const SECOND_MATCH_SCORE = 2.2;

export const OFFLINE_NOTE =
  'offline planner (no model configured): set --model, ACTIONGRAPH_MODEL or "model" in actiongraph.config.json ' +
  '(with OPENAI_API_KEY, or --provider ollama for a local model) for better plans';

interface PlannedStep {
  action: CompiledAction;
  text: string;
  extra: string[];
  branch?: TaskStep['branch'];
  /** Steps found inside the same clause share a position; they run in role order. */
  position: number;
}

export class OfflinePlanner {
  readonly catalog: PlannerCatalog;
  readonly #registry: ActionRegistry;
  readonly #index: Bm25Index;

  constructor(registry: ActionRegistry, catalog: PlannerCatalog = PlannerCatalog.fromRegistry(registry)) {
    this.#registry = registry;
    this.catalog = catalog;
    this.#index = new Bm25Index(
      catalog.actions.map((action) => {
        const [namespace = '', ...rest] = action.name.split('.');
        return {
          id: action.name,
          fields: [
            { text: rest.join(' '), weight: 3 },
            { text: namespace, weight: 1.5 },
            { text: action.examples.join(' . '), weight: 1.5 },
            { text: action.description, weight: 1 },
            { text: fieldNames(action.dataJson).join(' '), weight: 0.5 },
          ],
          nameText: rest.join(' '),
          verbPhrases: action.examples,
        };
      }),
    );
  }

  /** Best-scoring actions for a piece of text (exposed for tests and the eval script). */
  match(text: string): Match[] {
    return this.#index.search(matchingText(text));
  }

  /** Plans a workflow for the task. Never calls out; the result passes validateWorkflow with this registry. */
  plan(task: string, meta: { name?: string | undefined } = {}): Workflow {
    if (this.catalog.actions.length === 0) {
      throw new PlannerError('PLANNER_NO_ACTIONS', 'cannot plan: no actions are registered');
    }
    const steps = this.#matchSteps(splitSteps(task));
    const workflow = this.#build(task, steps, meta);
    const problems = errorsOf(validateWorkflow(workflow, { catalog: this.#registry }));
    if (problems.length === 0) return workflow;
    // Something the heuristics produced does not validate: fall back to the plainest valid plan.
    return this.#fallback(task, meta);
  }

  /** One node for a short description ("a step that prints the result"), or undefined when nothing matches. */
  nodeFor(text: string): WorkflowNode | undefined {
    const [action] = this.#actionsFor(text);
    if (!action) return undefined;
    const node: WorkflowNode = { action: action.name };
    const data = this.#validData(action, text, { step: text, task: text, extra: '' }, false);
    if (data !== undefined) node.data = data;
    return node;
  }

  #matchSteps(taskSteps: TaskStep[]): PlannedStep[] {
    const planned: PlannedStep[] = [];
    let pendingExtra: string[] = [];
    taskSteps.forEach((step, position) => {
      const found = this.#actionsFor(step.text);
      const previous = planned.at(-1);
      // "... call my friend. Please call 555-123-4567": a clause that only repeats what the step before matched
      // on says more about that step; it is not a new one.
      if (found.length > 0 && previous && !step.branch && this.#continues(step.text, previous)) {
        previous.extra.push(step.text);
        return;
      }
      if (found.length === 0) {
        // Words that name no action describe the step before (or, at the start, the step after).
        if (previous && !step.branch) previous.extra.push(step.text);
        else pendingExtra.push(step.text);
        return;
      }
      found.forEach((action, index) => {
        const entry: PlannedStep = { action, text: step.text, extra: index === 0 ? pendingExtra : [], position };
        if (index === 0 && step.branch) entry.branch = step.branch;
        planned.push(entry);
      });
      pendingExtra = [];
    });
    if (planned.length === 0) return [];
    if (pendingExtra.length > 0) planned.at(-1)?.extra.push(...pendingExtra);
    // Within one clause, data flows from inputs to reads to transforms to reviews to writes.
    return planned.sort((a, b) => a.position - b.position || roleRank(this.#definition(a.action)) - roleRank(this.#definition(b.action)));
  }

  #continues(text: string, previous: PlannedStep): boolean {
    // Two clauses that each name their own value ("print 'a', then print 'b'") are two steps.
    if (hasDefiniteValue(text) && hasDefiniteValue(previous.text)) return false;
    const now = this.#index.search(matchingText(text))[0];
    if (!now) return false;
    if (now.id === previous.action.name) return true;
    const before = new Set(this.#index.search(matchingText(previous.text)).find((m) => m.id === previous.action.name)?.matched ?? []);
    return now.matched.every((term) => before.has(term));
  }

  /** The action a clause names, and a second one when the clause clearly names two ("tweet about the weather"). */
  #actionsFor(text: string): CompiledAction[] {
    const matches = this.#index.search(matchingText(text));
    const best = matches[0];
    if (!best || best.score < MIN_MATCH_SCORE) return [];
    const chosen = [best];
    const usedTerms = new Set(best.matched);
    // A clause may name a data source and what to do with its answer ("tweet about the weather"): a second action
    // counts only then, when one of the two reads and the other uses what was read.
    const second = matches.find(
      (m) =>
        m.id !== best.id &&
        m.score >= SECOND_MATCH_SCORE &&
        m.matched.every((term) => !usedTerms.has(term)) &&
        this.#feeds(m.id, best.id),
    );
    if (second) chosen.push(second);
    return chosen.map((m) => this.catalog.get(m.id)).filter((a): a is CompiledAction => a !== undefined);
  }

  /** One of the two actions reads (effects "read") and the other does something with text (a write or a model). */
  #feeds(a: string, b: string): boolean {
    const roles = [this.#registry.get(a), this.#registry.get(b)].map(roleRank);
    return roles.includes(1) && roles.some((role) => role === 4 || role === 2);
  }

  #definition(action: CompiledAction): AnyActionDefinition | undefined {
    return this.#registry.get(action.name);
  }

  #build(task: string, steps: PlannedStep[], meta: { name?: string | undefined }): Workflow {
    const workflow: Workflow = { nodes: new Map(), edges: [], extra: new Map(), description: task };
    if (meta.name !== undefined) workflow.name = meta.name;
    if (steps.length === 0) return this.#fallback(task, meta);

    const input = this.catalog.get('input.text');
    const firstAction = steps[0]?.action;
    // A plan that starts by acting on something starts from the task's text, as the seed's graph does.
    const startFromText =
      input !== undefined && firstAction !== undefined && !firstAction.name.startsWith('input.') && this.#readsInput(firstAction, steps[0]);
    let nextId = 1;
    const add = (action: CompiledAction, data: unknown): string => {
      const id = String(nextId++);
      const node: WorkflowNode = { action: action.name };
      if (data !== undefined) node.data = data;
      workflow.nodes.set(id, node);
      return id;
    };
    let tails: string[] = [];
    if (startFromText && input) tails = [add(input, this.#validData(input, task, { step: task, task, extra: '' }, true))];

    // Branch bookkeeping: the node a condition is tested on, and the open ends of each side.
    const groups = new Map<number, { source: string[]; condition: string; ends: string[] }>();
    let currentGroup: number | undefined;
    for (const [index, step] of steps.entries()) {
      const text = { step: step.text, task, extra: step.extra.join(', ') };
      // Fed the task's text, the first action reads it from its input rather than from loose words of the step.
      const data = index === 0 && startFromText ? undefined : this.#validData(step.action, step.text, text, steps.length === 1);
      const id = add(step.action, data);
      if (step.branch) {
        const { group, side, condition } = step.branch;
        let state = groups.get(group);
        if (!state) {
          state = { source: this.#conditionSource(workflow, tails), condition, ends: [] };
          groups.set(group, state);
        } else if (currentGroup === group) {
          state.ends.push(...tails);
        }
        currentGroup = group;
        for (const from of state.source) {
          workflow.edges.push(this.#branchEdge(workflow, from, id, condition, side === 'else'));
        }
        tails = [id];
        continue;
      }
      for (const from of tails) workflow.edges.push({ from, to: id });
      tails = [id];
      if (currentGroup !== undefined) {
        // A plain step after a branch rejoins both sides (only the taken side is active at run time).
        const state = groups.get(currentGroup);
        if (state && state.ends.length > 0 && !step.extra.length) {
          for (const end of state.ends) if (!workflow.edges.some((e) => e.from === end && e.to === id)) workflow.edges.push({ from: end, to: id });
          state.ends = [];
          currentGroup = undefined;
        }
      }
    }
    return workflow;
  }

  /**
   * The node a condition is about: the latest one on the way back whose output has a yes/no or choice field
   * ("let a person approve it, save it; if they reject it ..." tests the review, not the save).
   */
  #conditionSource(workflow: Workflow, tails: string[]): string[] {
    if (tails.length !== 1) return tails;
    const incoming = new Map(workflow.edges.map((e) => [e.to, e.from]));
    const seen = new Set<string>();
    for (let id: string | undefined = tails[0]; id !== undefined && !seen.has(id); id = incoming.get(id)) {
      seen.add(id);
      const node = workflow.nodes.get(id);
      const definition = node ? this.#registry.get(node.action) : undefined;
      if (definition && decisionField(definition)) return [id];
    }
    return tails;
  }

  /**
   * Does this action work on its input (so the task's text should feed it, as in the seed's graph) rather than on
   * values the step names? True when it needs no data and the step names no definite value (a URL, a quote, ...):
   * words picked up after "about" are a weaker reading of the text than the text itself.
   */
  #readsInput(action: CompiledAction, step: PlannedStep | undefined): boolean {
    const definition = this.#definition(action);
    if (!definition || !step) return false;
    if (!definition.data.safeParse(undefined).success) return false;
    return !hasDefiniteValue([step.text, ...step.extra].join(' '));
  }

  /** Data for a node that passes the action's schema: filled from the text, trimmed, or completed. */
  #validData(action: CompiledAction, stepText: string, text: { step: string; task: string; extra: string }, onlyStep: boolean): unknown {
    const definition = this.#definition(action);
    if (!definition) return undefined;
    const accepts = (value: unknown): boolean => definition.data.safeParse(value).success;
    let data = fillData(action, text, { onlyStep });
    if (data !== undefined && accepts(data)) return data;
    if (isPlainObject(data)) {
      // Drop what the schema rejects, then complete required text fields from the step's own words.
      const trimmed = { ...data };
      const issues = definition.data.safeParse(trimmed).error?.issues ?? [];
      for (const issue of issues) {
        const key = issue.path[0];
        if (typeof key === 'string') delete trimmed[key];
      }
      data = trimmed;
    }
    const completed = completeRequired(action.dataJson, isPlainObject(data) ? data : {}, stepText, action);
    const empty = completed !== undefined && Object.keys(completed).length === 0;
    if (empty && accepts(undefined)) return undefined;
    if (completed !== undefined && accepts(completed)) return completed;
    if (isPlainObject(data) && Object.keys(data).length > 0 && accepts(data)) return data;
    return accepts(undefined) ? undefined : completed;
  }

  #branchEdge(workflow: Workflow, from: string, to: string, conditionText: string, otherwise: boolean): WorkflowEdge {
    const source = workflow.nodes.get(from);
    const definition = source ? this.#registry.get(source.action) : undefined;
    const negate = /^not\s/iu.test(conditionText) !== otherwise;
    const target = workflow.nodes.get(to);
    // A chooser (llm.choose, input.choice) routes on its `choice`: the branch's first action is the choice's value.
    if (definition && decisionField(definition) === 'choice' && target && !otherwise) {
      return { from, to, when: { path: 'choice', equals: target.action }, label: target.action };
    }
    const test = conditionFor(definition, conditionText.replace(/^not\s+/iu, ''));
    // An action that can route on a rejection (confirm.edit's onReject "skip") must be told to.
    if (source && definition && isPlainObject(source.data ?? {})) {
      const skip = skipField(zodToJsonSchema(definition.data));
      if (skip) {
        const data = { ...((source.data as Record<string, unknown> | undefined) ?? {}), [skip]: 'skip' };
        if (definition.data.safeParse(data).success) source.data = data;
      }
    }
    let when: Condition = negate ? { not: test } : test;
    // "not approved == true" reads better as "approved == false".
    if (negate && 'equals' in test && typeof test.equals === 'boolean' && Object.keys(test).every((k) => k === 'path' || k === 'equals')) {
      when = { ...test, equals: !test.equals };
    }
    return { from, to, when, label: otherwise ? 'otherwise' : conditionText };
  }

  #fallback(task: string, meta: { name?: string | undefined }): Workflow {
    const workflow: Workflow = { nodes: new Map(), edges: [], extra: new Map(), description: task };
    if (meta.name !== undefined) workflow.name = meta.name;
    const input = this.catalog.get('input.text');
    const candidates = input ? [input] : this.#index.search(task).map((m) => this.catalog.get(m.id)).filter((a): a is CompiledAction => !!a);
    if (!input) candidates.push(...this.catalog.actions);
    for (const action of candidates) {
      const data = this.#validData(action, task, { step: task, task, extra: '' }, true);
      const node: WorkflowNode = { action: action.name };
      if (data !== undefined) node.data = data;
      workflow.nodes = new Map([['1', node]]);
      if (errorsOf(validateWorkflow(workflow, { catalog: this.#registry })).length === 0) return workflow;
    }
    throw new PlannerError('PLANNER_OFFLINE_FAILED', 'the offline planner found no registered action it can use for this task');
  }
}

/** The plainest test of a condition that the source action's output allows. */
function conditionFor(definition: AnyActionDefinition | undefined, conditionText: string): Condition {
  const output = definition ? zodToJsonSchema(definition.output) : {};
  const properties = isPlainObject(output.properties) ? (output.properties as Record<string, JsonSchema>) : {};
  const quoted = quotedStrings(conditionText)[0];
  // "if the user picks 'b'": a field that holds a choice.
  if (quoted) {
    const field = Object.keys(properties).find((name) => properties[name]?.type === 'string');
    if (field) return { path: field, equals: quoted };
    return { matches: escapeRegex(quoted) };
  }
  const booleans = Object.keys(properties).filter((name) => properties[name]?.type === 'boolean');
  const conditionTerms = new Set(terms(conditionText));
  const named = booleans.find((name) => terms(name).some((t) => conditionTerms.has(t))) ?? booleans[0];
  if (named) return { path: named, equals: !/\b(?:not|isn't|doesn't|don't|rejects?|declines?|fails?)\b/iu.test(conditionText) };
  const word = words(conditionText).filter((w) => !isStopword(w)).at(-1);
  const stringField = Object.keys(properties).find((name) => properties[name]?.type === 'string');
  if (word && stringField) return { path: stringField, matches: escapeRegex(word) };
  return { exists: true };
}

/** The output field a branch can test: a yes/no field, or a `choice`. */
function decisionField(definition: AnyActionDefinition): string | undefined {
  const output = zodToJsonSchema(definition.output);
  const properties = isPlainObject(output.properties) ? (output.properties as Record<string, JsonSchema>) : {};
  if (properties.choice?.type === 'string') return 'choice';
  return Object.keys(properties).find((name) => properties[name]?.type === 'boolean');
}

function skipField(schema: JsonSchema): string | undefined {
  const properties = isPlainObject(schema.properties) ? (schema.properties as Record<string, JsonSchema>) : {};
  return Object.keys(properties).find((name) => {
    const values = properties[name]?.enum;
    return Array.isArray(values) && values.includes('skip');
  });
}

/** Fills required string fields the text did not name: the step's own words, minus the ones that named the action. */
function completeRequired(schema: JsonSchema, data: Record<string, unknown>, stepText: string, action: CompiledAction): Record<string, unknown> | undefined {
  const branches = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  const objectSchema = schema.type === 'object' ? schema : branches?.find((b) => b.type === 'object');
  if (!objectSchema) return undefined;
  const properties = isPlainObject(objectSchema.properties) ? (objectSchema.properties as Record<string, JsonSchema>) : {};
  const required = Array.isArray(objectSchema.required) ? (objectSchema.required as string[]) : [];
  const result = { ...data };
  const residual = residualPhrase(stepText, action);
  let usedResidual = Object.values(result).includes(residual);
  for (const name of required) {
    if (result[name] !== undefined) continue;
    const field = properties[name];
    if (field?.type !== 'string') continue;
    if (/^(?:path|file|filename|file_name|filepath)$/iu.test(name)) {
      // A file the text does not name: a default name from the step's words, clearly a default to change.
      result[name] = `out/${slugWords(residual || stepText) || 'output'}.txt`;
      continue;
    }
    result[name] = !usedResidual && residual ? residual : stepText;
    usedResidual = true;
  }
  return result;
}

/** The step's words that are neither stopwords nor the ones that named the action: "Play the movie Inception" → "Inception". */
export function residualPhrase(stepText: string, action: CompiledAction): string {
  const actionTerms = new Set(terms(`${action.name} ${action.description} ${action.examples.join(' ')}`));
  const kept = stepText
    .split(/\s+/u)
    .filter((token) => {
      const bare = token.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
      if (!bare) return false;
      const t = terms(bare);
      return t.length > 0 && t.every((term) => !actionTerms.has(term));
    })
    .map((token) => token.replace(/^[^\p{L}\p{N}'"]+|[^\p{L}\p{N}'"]+$/gu, ''));
  return kept.join(' ').replace(/^['"]|['"]$/gu, '').trim();
}

/**
 * The words that say what to do, with the values taken out: a file name's words ("drafts/tweet.txt") say nothing
 * about the action, but that there is a file, a URL or an address does.
 */
export function matchingText(step: string): string {
  return step
    .replace(/"[^"\n]*"|“[^”\n]*”|‘[^’\n]*’|(?<![\p{L}\p{N}])'[^'\n]+'(?![\p{L}\p{N}])/gu, ' ')
    .replace(/\bhttps?:\/\/\S+/gu, ' url ')
    .replace(/\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/gu, ' email ')
    .replace(/(?<![\w@/])(?:[\w-]+\/)*[\w-]+(?:\.[\w-]+)*\.[a-z][a-z0-9]{0,4}\b/giu, (name) =>
      /^\d+\.\d+$/u.test(name) ? name : ' file ',
    );
}

function slugWords(text: string): string {
  return words(text).filter((w) => !isStopword(w)).slice(0, 5).join('-');
}

function roleRank(definition: AnyActionDefinition | undefined): number {
  if (!definition) return 2;
  const namespace = definition.name.split('.')[0];
  if (namespace === 'input') return 0;
  if (namespace === 'confirm') return 3;
  if (namespace === 'output' || definition.effects === 'write') return 4;
  if (definition.effects === 'read') return 1;
  return 2;
}

function fieldNames(schema: JsonSchema): string[] {
  const branches = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  const objects = schema.type === 'object' ? [schema] : (branches ?? []).filter((b) => b.type === 'object');
  return objects.flatMap((o) => (isPlainObject(o.properties) ? Object.keys(o.properties) : []));
}

function errorsOf(problems: Problem[]): Problem[] {
  return problems.filter((p) => p.severity === 'error');
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
}
