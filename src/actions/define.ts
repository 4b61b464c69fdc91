// defineAction: one declaration gives the runtime its checks, the planner its schema, the TUI its help and the
// type checker its types.
import { z } from 'zod';
import type { Condition } from '../graph/schema.js';

/** What an action does to the world: dry-run and approval read it. */
export type Effects = 'none' | 'read' | 'write';

/** A question an action asks a person, through whichever host runs the workflow (TUI, headless CLI, test). */
export interface AskRequest {
  kind: 'text' | 'confirm' | 'edit' | 'choice';
  message: string;
  /** text/edit: the prefilled text; confirm: the default answer; choice: the default choice's value. */
  default?: string | boolean;
  choices?: { value: string; label?: string }[];
}
export type Answer = string | boolean;

/** The engine's port for human input. `nodeId` is filled in by the engine, not by actions. */
export interface IOPort {
  ask(request: AskRequest & { nodeId: string }, signal: AbortSignal): Promise<Answer>;
}

export interface ActionLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** The configured model, handed to actions such as llm.complete by the host; actions never build clients. */
export interface ChatModel {
  readonly model: string;
  complete(
    messages: ChatMessage[],
    options: { signal: AbortSignal; json?: boolean; temperature?: number; maxTokens?: number },
  ): Promise<{ text: string; usage?: { promptTokens: number; completionTokens: number } }>;
}

/** An outgoing edge of the running node, for actions that route (llm.choose). */
export interface OutgoingEdge {
  to: string;
  label?: string;
  when?: Condition;
}

export interface ActionContext<Data, Input, Secret extends string = string> {
  data: Data;
  input: Input;
  /** Aborted on timeout, cancellation or run failure: handlers must honour it. */
  signal: AbortSignal;
  secrets: Readonly<Record<Secret, string>>;
  io: { ask(request: AskRequest): Promise<Answer> };
  log: ActionLogger;
  node: { id: string; label?: string; outgoing: OutgoingEdge[] };
  run: {
    id: string;
    /** `runId:nodeId`, stable across retries and resumes, so effectful actions can deduplicate. */
    idempotencyKey: string;
    attempt: number;
    /** The folder the workflow runs in; file actions stay inside it. */
    projectDir: string;
  };
  /** The configured model, when one is configured. */
  model?: ChatModel;
  /**
   * Writes text to the run's output (the terminal in the headless CLI, the output pane of the TUI), for
   * actions whose job is to show something (output.console). Hosts that only record outputs leave it out.
   */
  print?(text: string): void;
}

export interface ActionSpec<
  DataSchema extends z.ZodType,
  InputSchema extends z.ZodType,
  OutputSchema extends z.ZodType,
  Secret extends string,
> {
  /** `namespace.name` */
  name: string;
  description: string;
  /** What a graph may set in the node's `data`; checked when the graph is loaded. */
  data?: DataSchema;
  /** What the node accepts from its predecessors; checked before the handler runs. */
  input?: InputSchema;
  /** What the handler returns; checked after it runs. */
  output?: OutputSchema;
  /** Environment variables the runtime resolves and hands over; graphs never see them. */
  secrets?: readonly Secret[];
  effects?: Effects;
  /** Short plain-text phrases for the offline planner and the docs, e.g. "post a tweet". */
  examples?: readonly string[];
  run(
    context: ActionContext<z.output<DataSchema>, z.output<InputSchema>, Secret>,
  ): Promise<z.input<OutputSchema>> | z.input<OutputSchema>;
}

/** A registered action: the spec with its defaults filled in. */
export interface ActionDefinition<
  DataSchema extends z.ZodType = z.ZodType,
  InputSchema extends z.ZodType = z.ZodType,
  OutputSchema extends z.ZodType = z.ZodType,
  Secret extends string = string,
> extends ActionSpec<DataSchema, InputSchema, OutputSchema, Secret> {
  readonly kind: 'actiongraph.action';
  data: DataSchema;
  input: InputSchema;
  output: OutputSchema;
  secrets: readonly Secret[];
  effects: Effects;
  examples: readonly string[];
}

/** Any action definition, whatever its schemas. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyActionDefinition = ActionDefinition<any, any, any, string>;

export function defineAction<
  DataSchema extends z.ZodType = z.ZodUnknown,
  InputSchema extends z.ZodType = z.ZodUnknown,
  OutputSchema extends z.ZodType = z.ZodUnknown,
  const Secret extends string = never,
>(
  spec: ActionSpec<DataSchema, InputSchema, OutputSchema, Secret>,
): ActionDefinition<DataSchema, InputSchema, OutputSchema, Secret> {
  return {
    ...spec,
    kind: 'actiongraph.action',
    data: spec.data ?? (z.unknown() as unknown as DataSchema),
    input: spec.input ?? (z.unknown() as unknown as InputSchema),
    output: spec.output ?? (z.unknown() as unknown as OutputSchema),
    secrets: spec.secrets ?? [],
    effects: spec.effects ?? 'none',
    examples: spec.examples ?? [],
  };
}

export function isActionDefinition(value: unknown): value is AnyActionDefinition {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'actiongraph.action' &&
    typeof (value as { run?: unknown }).run === 'function'
  );
}
