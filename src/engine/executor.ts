// Where a handler runs. The scheduler hands a task to a TaskExecutor and gets a promise back; the in-process
// executor calls the action right here, and a pool of remote workers (a queue on Redis, say) can implement the same
// interface later without touching the scheduler or the run machine.
import { z } from 'zod';
import type { ActionLogger, Answer, AskRequest, ChatModel, OutgoingEdge } from '../actions/define.js';
import type { ActionRegistry } from '../actions/registry.js';
import { ActionInputError, formatPath, type Problem } from '../errors.js';

/** One attempt of one node, as plain data (serialisable, so it can cross a process boundary). */
export interface NodeTask {
  runId: string;
  nodeId: string;
  action: string;
  label?: string;
  /** The node's data with templates rendered. */
  data: unknown;
  input: unknown;
  attempt: number;
  /** `runId:nodeId`: stable across retries and resumes. */
  idempotencyKey: string;
  projectDir: string;
}

/** What the run lends a task while it runs: its abort signal, its question channel, its log, its secrets. */
export interface TaskHost {
  readonly signal: AbortSignal;
  ask(request: AskRequest): Promise<Answer>;
  readonly log: ActionLogger;
  readonly secrets: Readonly<Record<string, string>>;
  readonly outgoing: OutgoingEdge[];
  readonly model: ChatModel | undefined;
  /** The host's writer for actions that show text (output.console); undefined when the host has none. */
  readonly print: ((text: string) => void) | undefined;
}

export interface TaskExecutor {
  /** Runs the task; resolves with the (validated) output, rejects with the handler's or a validation error. */
  execute(task: NodeTask, host: TaskHost): Promise<unknown>;
}

/** Runs handlers in this process, validating data and input before and the output after. */
export class InProcessExecutor implements TaskExecutor {
  constructor(private readonly registry: ActionRegistry) {}

  async execute(task: NodeTask, host: TaskHost): Promise<unknown> {
    const action = this.registry.require(task.action);
    const data = checkSchema(action.data, task.data, task, 'DATA_INVALID', 'data');
    const input = checkSchema(action.input, task.input, task, 'INPUT_INVALID', 'input');
    const context = new HandlerContext(data, input, task, host);
    const output: unknown = await action.run(context);
    return checkSchema(action.output, output, task, 'OUTPUT_INVALID', 'output');
  }
}

/**
 * What a handler receives (ActionContext). Built once per attempt on the hot path, so it allocates little: the
 * outgoing edges are computed only when a handler reads them. Every field is an own property, so a handler that
 * spreads or destructures its context sees them all.
 */
class HandlerContext {
  readonly signal: AbortSignal;
  readonly secrets: Readonly<Record<string, string>>;
  readonly io: QuestionChannel;
  readonly log: ActionLogger;
  readonly node: { id: string; label?: string; readonly outgoing: OutgoingEdge[] };
  readonly run: { id: string; idempotencyKey: string; attempt: number; projectDir: string };
  readonly model: ChatModel | undefined;
  declare readonly print?: (text: string) => void;

  constructor(
    readonly data: unknown,
    readonly input: unknown,
    task: NodeTask,
    host: TaskHost,
  ) {
    this.signal = host.signal;
    this.secrets = host.secrets;
    this.io = new QuestionChannel(host);
    this.log = host.log;
    this.node = new NodeView(task, host);
    this.run = { id: task.runId, idempotencyKey: task.idempotencyKey, attempt: task.attempt, projectDir: task.projectDir };
    this.model = host.model;
    const print = host.print;
    if (print !== undefined) this.print = print;
  }
}

class NodeView {
  readonly id: string;
  readonly label?: string;
  readonly #host: TaskHost;
  constructor(task: NodeTask, host: TaskHost) {
    this.id = task.nodeId;
    if (task.label !== undefined) this.label = task.label;
    this.#host = host;
  }
  get outgoing(): OutgoingEdge[] {
    return this.#host.outgoing;
  }
}

/** `io` as handlers see it: only `ask`, nothing else of the host. */
class QuestionChannel {
  readonly #host: TaskHost;
  constructor(host: TaskHost) {
    this.#host = host;
  }
  ask(request: AskRequest): Promise<Answer> {
    return this.#host.ask(request);
  }
}

/** Schemas that accept anything are not run at all: no-op validation is the hot path of a big graph. */
export function acceptsAnything(schema: z.ZodType): boolean {
  const type = (schema as unknown as { _zod?: { def?: { type?: string } } })._zod?.def?.type;
  return type === 'unknown' || type === 'any';
}

/** Parses `value` with `schema`; a failure is an ActionInputError naming the node and the field. */
export function checkSchema(
  schema: z.ZodType,
  value: unknown,
  task: Pick<NodeTask, 'nodeId' | 'action'>,
  code: 'DATA_INVALID' | 'INPUT_INVALID' | 'OUTPUT_INVALID',
  field: 'data' | 'input' | 'output',
): unknown {
  if (acceptsAnything(schema)) return value;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems: Problem[] = result.error.issues.map((issue) => ({
    code,
    path: [field, ...(issue.path as (string | number)[])],
    message: issue.message,
    severity: 'error' as const,
  }));
  const first = problems[0]!;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  throw new ActionInputError(
    code,
    `node "${task.nodeId}": ${formatPath(first.path)}: ${first.message} (action "${task.action}")${more}`,
    { nodeId: task.nodeId, problems },
  );
}
