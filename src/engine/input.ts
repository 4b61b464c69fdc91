// Human input: the headless IO port (answers given up front, --yes for defaults, otherwise "stop and wait"),
// and the coercion of answers typed on a command line into what the question expects.
import type { Answer, AskRequest, IOPort } from '../actions/define.js';
import { RunError } from '../errors.js';
import { didYouMean } from '../graph/suggest.js';

/**
 * Thrown by a port that cannot answer now (a headless run with no answer for the node). The engine parks the node
 * as `waiting` and the run stops with status `waiting`, to be resumed with the answer.
 */
export class InputRequiredError extends RunError {
  constructor(nodeId: string, message: string) {
    super('INPUT_REQUIRED', message, { nodeId, exitCode: 2 });
  }
}

/** The answer --yes gives: the default, or yes for a confirmation; undefined when the question has no default. */
export function defaultAnswer(request: AskRequest): Answer | undefined {
  if (request.kind === 'confirm') return true;
  if (request.default !== undefined) return request.default;
  return undefined;
}

/**
 * Turns a command-line answer (always text) into the question's kind: yes/no for confirm, a listed value
 * (or its label) for choice. Throws RunError ANSWER_INVALID naming the node otherwise.
 */
export function coerceAnswer(nodeId: string, request: AskRequest, answer: Answer): Answer {
  if (request.kind === 'confirm') {
    if (typeof answer === 'boolean') return answer;
    const text = answer.trim().toLowerCase();
    if (['y', 'yes', 'true', '1'].includes(text)) return true;
    if (['n', 'no', 'false', '0'].includes(text)) return false;
    throw new RunError('ANSWER_INVALID', `node "${nodeId}": answer "${answer}" to "${request.message}" must be yes or no`, {
      nodeId,
      exitCode: 2,
    });
  }
  const text = String(answer);
  if (request.kind === 'choice' && request.choices && request.choices.length > 0) {
    const byValue = request.choices.find((choice) => choice.value === text);
    const byLabel = request.choices.find((choice) => choice.label !== undefined && choice.label.toLowerCase() === text.toLowerCase());
    const chosen = byValue ?? byLabel;
    if (!chosen) {
      const options = request.choices.map((choice) => choice.value).join(', ');
      throw new RunError('ANSWER_INVALID', `node "${nodeId}": answer "${text}" is not one of: ${options}`, { nodeId, exitCode: 2 });
    }
    return chosen.value;
  }
  return text;
}

/**
 * The headless host: with `yes`, questions that have a default (and every confirmation) are answered with it;
 * anything else stops the node as waiting. Answers given with --answer never reach the port: the engine's answer
 * book serves them first.
 */
export function createHeadlessPort(options: { yes?: boolean } = {}): IOPort & { readonly answersDefaults: boolean } {
  return {
    answersDefaults: options.yes === true,
    ask(request) {
      const answer = options.yes ? defaultAnswer(request) : undefined;
      if (answer !== undefined) return Promise.resolve(answer);
      return Promise.reject(new InputRequiredError(request.nodeId, `node "${request.nodeId}" is waiting for input: ${request.message}`));
    },
  };
}

/** A port that says which answers came from defaults, so the journal can tell (`source: "default"`). */
export function isDefaultingPort(port: IOPort): port is IOPort & { answersDefaults: true } {
  return (port as { answersDefaults?: unknown }).answersDefaults === true;
}

/** Parses `--answer` values (`<nodeId>=<value>`) against the workflow's node ids; ids may contain `=`. */
export function parseAnswerArgs(args: readonly string[], nodeIds: Iterable<string>): Map<string, Answer[]> {
  const ids = [...nodeIds].sort((a, b) => b.length - a.length);
  const answers = new Map<string, Answer[]>();
  for (const arg of args) {
    const id = ids.find((candidate) => arg.startsWith(`${candidate}=`));
    if (id === undefined) {
      const guess = arg.includes('=') ? arg.slice(0, arg.indexOf('=')) : arg;
      throw new RunError(
        'ANSWER_INVALID',
        arg.includes('=')
          ? `--answer ${arg}: the workflow has no node "${guess}"${didYouMean(guess, ids)}`
          : `--answer ${arg}: expected <nodeId>=<value>`,
        { exitCode: 2 },
      );
    }
    const list = answers.get(id) ?? [];
    list.push(arg.slice(id.length + 1));
    answers.set(id, list);
  }
  return answers;
}
