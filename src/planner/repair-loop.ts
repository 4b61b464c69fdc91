// The validate-and-repair loop shared by create and edit: ask, read the answer, check it; on problems send one
// follow-up listing them (code, path, message) and ask again, at most `maxRepairs` times.
import type { ChatMessage } from '../actions/define.js';
import { PlannerError, type Problem } from '../errors.js';
import type { PlannerSchema } from './catalog-schema.js';
import type { ModelClient, TokenUsage } from './client.js';
import type { ResponseFormatMemory, ResponseMode } from './format-memory.js';
import { repairMessage } from './prompt.js';
import { chatForJson } from './structured.js';

export interface ModelPlannerOptions {
  client: ModelClient;
  memory: ResponseFormatMemory;
  /** Repairs after the first answer; 2 unless said otherwise. */
  maxRepairs?: number;
  /** Which schema variant to send: `auto` (default) picks the full one when it is small enough. */
  schemaChoice?: 'auto' | 'full' | 'compact';
  maxTokens?: number;
  signal?: AbortSignal;
  onDowngrade?: (from: ResponseMode, to: ResponseMode, reason: string) => void;
  /** Told after each answer that had problems, before the repair request goes out. */
  onRepair?: (attempt: number, problems: Problem[]) => void;
}

export const DEFAULT_MAX_REPAIRS = 2;

/** What one answer turned out to be: a result, or the problems to send back. */
export interface Interpretation<T> {
  result?: T;
  problems: Problem[];
  /** The answer as far as it could be read (saved as the rejected attempt). */
  attempt?: unknown;
}

export interface LoopResult<T> {
  result: T;
  repairs: number;
  usage: TokenUsage;
  mode: ResponseMode;
  /** The conversation, ending with the accepted answer. */
  messages: ChatMessage[];
}

/** The loop ran out of repairs: carries the last problems and the last attempt. */
export class PlannerRejectedError extends PlannerError {
  readonly attempt: unknown;
  readonly answerText: string;
  readonly repairs: number;
  readonly usage: TokenUsage;

  constructor(
    code: string,
    message: string,
    options: { problems: Problem[]; attempt: unknown; answerText: string; repairs: number; usage: TokenUsage },
  ) {
    super(code, message, { problems: options.problems });
    this.attempt = options.attempt;
    this.answerText = options.answerText;
    this.repairs = options.repairs;
    this.usage = options.usage;
  }
}

export async function repairLoop<T>(
  schema: PlannerSchema,
  firstMessages: ChatMessage[],
  interpret: (answer: string, finishReason: string | undefined) => Interpretation<T>,
  options: ModelPlannerOptions & { rejectedCode: string; what: string },
): Promise<LoopResult<T>> {
  const maxRepairs = options.maxRepairs ?? DEFAULT_MAX_REPAIRS;
  const messages = [...firstMessages];
  const usage: TokenUsage = { promptTokens: 0, completionTokens: 0 };
  for (let attempt = 0; ; attempt++) {
    const response = await chatForJson(
      options.client,
      {
        messages,
        schema: { name: schema.name, schema: schema.schema, strict: schema.strict },
        ...(options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      },
      { memory: options.memory, ...(options.onDowngrade ? { onDowngrade: options.onDowngrade } : {}) },
    );
    usage.promptTokens += response.usage?.promptTokens ?? 0;
    usage.completionTokens += response.usage?.completionTokens ?? 0;
    messages.push({ role: 'assistant', content: response.text });
    const outcome = interpret(response.text, response.finishReason);
    const errors = outcome.problems.filter((p) => p.severity === 'error');
    if (outcome.result !== undefined && errors.length === 0) {
      return { result: outcome.result, repairs: attempt, usage, mode: response.mode, messages };
    }
    if (attempt >= maxRepairs) {
      const first = errors[0];
      const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
      throw new PlannerRejectedError(
        options.rejectedCode,
        `the model's ${options.what} is still invalid after ${maxRepairs} repair${maxRepairs === 1 ? '' : 's'}: ${first?.message ?? 'no usable answer'}${more}`,
        { problems: errors, attempt: outcome.attempt, answerText: response.text, repairs: attempt, usage },
      );
    }
    options.onRepair?.(attempt + 1, errors);
    messages.push({ role: 'user', content: repairMessage(errors, schema.kind) });
  }
}
