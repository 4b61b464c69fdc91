// Running one action outside a workflow, for plugin tests: a hand-made context with scripted answers, a real
// AbortController and recorded prints, logs and questions. `runAction` checks data and output like the engine.
import type { z } from 'zod';
import { ActionInputError } from '../errors.js';
import type {
  ActionContext,
  ActionDefinition,
  ActionLogger,
  AnyActionDefinition,
  Answer,
  AskRequest,
  ChatModel,
  OutgoingEdge,
} from './define.js';

export interface TestContextOptions {
  /** The node's data as a graph would hold it; parsed through the action's data schema. */
  data?: unknown;
  input?: unknown;
  /** Answers in order, or a function that answers. Without one (or when they run out) a question gets its default. */
  answers?: readonly Answer[] | ((request: AskRequest) => Answer | Promise<Answer>);
  secrets?: Record<string, string>;
  /** The run's folder; file actions stay inside it. Defaults to the current folder. */
  projectDir?: string;
  signal?: AbortSignal;
  model?: ChatModel;
  outgoing?: OutgoingEdge[];
  nodeId?: string;
  runId?: string;
  attempt?: number;
}

/** The context type `definition.run` takes. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ContextOf<Definition> = Definition extends ActionDefinition<infer D, infer I, any, infer S>
  ? ActionContext<z.output<D>, z.output<I>, S>
  : never;

export interface TestContext<Context = ActionContext<unknown, unknown>> {
  context: Context;
  /** Aborts context.signal (unless options.signal was given). */
  controller: AbortController;
  asked: AskRequest[];
  printed: string[];
  logs: { level: 'debug' | 'info' | 'warn'; message: string; fields?: Record<string, unknown> }[];
}

/** A context for calling `definition.run` directly. Data is parsed through the action's schema (defaults applied). */
export function createTestContext<Definition extends AnyActionDefinition>(
  definition: Definition,
  options: TestContextOptions = {},
): TestContext<ContextOf<Definition>> {
  const parsed = (definition.data as { safeParse(value: unknown): { success: boolean; data?: unknown; error?: unknown } }).safeParse(
    options.data,
  );
  if (!parsed.success) {
    throw new ActionInputError('DATA_INVALID', `action "${definition.name}": data does not match its schema: ${String(parsed.error)}`);
  }
  const controller = new AbortController();
  const asked: AskRequest[] = [];
  const printed: string[] = [];
  const logs: TestContext['logs'] = [];
  const answers = options.answers;
  let next = 0;
  const log = (level: 'debug' | 'info' | 'warn'): ActionLogger['info'] => (message, fields) => {
    logs.push({ level, message, ...(fields ? { fields } : {}) });
  };
  const nodeId = options.nodeId ?? '1';
  const runId = options.runId ?? 'test-run';
  const context: ActionContext<unknown, unknown> = {
    data: parsed.data,
    input: options.input,
    signal: options.signal ?? controller.signal,
    secrets: Object.assign(Object.create(null) as Record<string, string>, options.secrets),
    io: {
      async ask(request) {
        asked.push(request);
        if (typeof answers === 'function') return answers(request);
        if (answers && next < answers.length) return answers[next++] as Answer;
        if (request.default !== undefined) return request.default;
        throw new Error(`no scripted answer for the question "${request.message}"`);
      },
    },
    log: { debug: log('debug'), info: log('info'), warn: log('warn') },
    node: { id: nodeId, outgoing: options.outgoing ?? [] },
    run: {
      id: runId,
      idempotencyKey: `${runId}:${nodeId}`,
      attempt: options.attempt ?? 1,
      projectDir: options.projectDir ?? process.cwd(),
    },
    ...(options.model ? { model: options.model } : {}),
    print: (text) => printed.push(text),
  };
  return { context: context as ContextOf<Definition>, controller, asked, printed, logs };
}

/** Runs an action once, as the engine would: data parsed, handler called, output checked against its schema. */
export async function runAction<Definition extends AnyActionDefinition>(
  definition: Definition,
  options: TestContextOptions = {},
): Promise<z.output<Definition['output']>> {
  const { context } = createTestContext(definition, options);
  const output: unknown = await definition.run(context);
  const checked = (definition.output as { safeParse(value: unknown): { success: boolean; data?: unknown; error?: unknown } }).safeParse(
    output,
  );
  if (!checked.success) {
    throw new ActionInputError('OUTPUT_INVALID', `action "${definition.name}": output does not match its schema: ${String(checked.error)}`);
  }
  return checked.data as z.output<Definition['output']>;
}
