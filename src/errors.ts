// The error classes. Every error has a stable `code` that tests and callers check; messages are for people
// and always say where the problem is.

/** One problem found while checking something: zod-style, so every problem is reported at once. */
export interface Problem {
  code: string;
  /** Where, as a path into the checked document, e.g. ['nodes', '3', 'action']. */
  path: (string | number)[];
  message: string;
  severity: 'error' | 'warning';
}

/** A problem with the line and column (1-based) of its path in the file, when it could be found there. */
export interface LocatedProblem extends Problem {
  line?: number;
  column?: number;
}

/** `graphs/x.json:7:5: node "3": unknown action ...` (warnings say so): how `validate` and `run` print problems. */
export function formatProblem(file: string, problem: LocatedProblem): string {
  const where = problem.line === undefined ? file : `${file}:${problem.line}:${problem.column ?? 1}`;
  return `${where}: ${problem.severity === 'warning' ? 'warning: ' : ''}${problem.message}`;
}

export interface ErrorOptions {
  cause?: unknown;
}

export class ActionGraphError extends Error {
  readonly code: string;
  /** The CLI exit code this error maps to: 2 for bad input or usage, 1 for a run that failed. */
  readonly exitCode: 1 | 2;

  constructor(code: string, message: string, options: ErrorOptions & { exitCode?: 1 | 2 } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = options.exitCode ?? 2;
  }
}

/** Bad command-line usage or configuration. */
export class UsageError extends ActionGraphError {
  constructor(message: string, options: ErrorOptions & { code?: string } = {}) {
    super(options.code ?? 'USAGE', message, options);
  }
}

/** A workflow file that cannot be read or parsed (I/O or syntax). */
export class GraphParseError extends ActionGraphError {
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(
    code: string,
    message: string,
    options: ErrorOptions & { file?: string; line?: number; column?: number } = {},
  ) {
    super(code, message, options);
    this.file = options.file;
    this.line = options.line;
    this.column = options.column;
  }
}

/** A workflow that parsed but is not valid: carries every problem found. */
export class GraphValidationError extends ActionGraphError {
  readonly problems: Problem[];
  readonly file: string | undefined;

  constructor(problems: Problem[], options: ErrorOptions & { file?: string; message?: string } = {}) {
    const errors = problems.filter((p) => p.severity === 'error');
    const first = errors[0] ?? problems[0];
    const where = options.file ? `${options.file}: ` : '';
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : '';
    super('GRAPH_INVALID', options.message ?? `${where}${first?.message ?? 'invalid workflow'}${more}`, options);
    this.problems = problems;
    this.file = options.file;
  }
}

/** A node names an action that is not registered. */
export class ActionNotFoundError extends ActionGraphError {
  readonly action: string;
  constructor(action: string, message: string, options: ErrorOptions = {}) {
    super('ACTION_NOT_FOUND', message, options);
    this.action = action;
  }
}

/** Plugin definition or loading problems (duplicate names, a file that fails to load). */
export class PluginError extends ActionGraphError {
  readonly source: string | undefined;
  constructor(code: string, message: string, options: ErrorOptions & { source?: string } = {}) {
    super(code, message, options);
    this.source = options.source;
  }
}

/** A handler's data, input or output did not match the action's schema. */
export class ActionInputError extends ActionGraphError {
  readonly nodeId: string | undefined;
  readonly problems: Problem[];
  constructor(code: string, message: string, options: ErrorOptions & { nodeId?: string; problems?: Problem[] } = {}) {
    super(code, message, { ...options, exitCode: 1 });
    this.nodeId = options.nodeId;
    this.problems = options.problems ?? [];
  }
}

/**
 * Thrown by action handlers. `retryable: false` tells the engine that trying again cannot help
 * (temporal's ApplicationFailure.nonRetryable); by default failures are retryable.
 */
export class ActionError extends ActionGraphError {
  readonly retryable: boolean;
  readonly details: unknown;
  constructor(code: string, message: string, options: ErrorOptions & { retryable?: boolean; details?: unknown } = {}) {
    super(code, message, { ...options, exitCode: 1 });
    this.retryable = options.retryable ?? true;
    this.details = options.details;
  }
}

/** A run-level problem: a node failed, input is missing, a secret is missing, a journal is unreadable. */
export class RunError extends ActionGraphError {
  readonly nodeId: string | undefined;
  /** Every problem when there are several (each missing secret); the CLI prints one line for each. */
  readonly problems: Problem[];
  constructor(code: string, message: string, options: ErrorOptions & { nodeId?: string; exitCode?: 1 | 2; problems?: Problem[] } = {}) {
    super(code, message, options);
    this.nodeId = options.nodeId;
    this.problems = options.problems ?? [];
  }
}

/** The planner could not produce a valid workflow or patch. */
export class PlannerError extends ActionGraphError {
  readonly problems: Problem[];
  constructor(code: string, message: string, options: ErrorOptions & { problems?: Problem[]; exitCode?: 1 | 2 } = {}) {
    super(code, message, { exitCode: 1, ...options });
    this.problems = options.problems ?? [];
  }
}

/** The model endpoint failed: HTTP status, timeout, connection refused. Names the endpoint and model. */
export class ProviderError extends ActionGraphError {
  readonly status: number | undefined;
  readonly retryable: boolean;
  constructor(code: string, message: string, options: ErrorOptions & { status?: number; retryable?: boolean } = {}) {
    super(code, message, { ...options, exitCode: 1 });
    this.status = options.status;
    this.retryable = options.retryable ?? false;
  }
}

/** A fine-tuning dataset that is malformed. */
export class DatasetError extends ActionGraphError {
  readonly problems: Problem[];
  constructor(code: string, message: string, options: ErrorOptions & { problems?: Problem[] } = {}) {
    super(code, message, options);
    this.problems = options.problems ?? [];
  }
}

/** Renders a path like ['nodes', '3', 'data', 'query'] as `nodes.3.data.query` (quoting odd segments). */
export function formatPath(path: readonly (string | number)[]): string {
  return path
    .map((seg, i) => {
      if (typeof seg === 'number') return `[${seg}]`;
      const plain = /^[\w$-]+$/u.test(seg);
      const text = plain ? seg : JSON.stringify(seg);
      return i === 0 ? text : `.${text}`;
    })
    .join('')
    .replace(/\.\[/g, '[');
}
