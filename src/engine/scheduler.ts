// The scheduler: the hot path of a run. Per-node state lives in typed arrays indexed by node number; a node
// starts as soon as its last predecessor settles, in the same microtask (no round trip through the run machine),
// bounded by `concurrency`. It tells the run machine only about lifecycle changes (a failure, a question, a node
// parked for input, everything settled) and the machine halts it when the run ends early.
import type { ActionLogger, Answer, AskRequest, ChatModel, IOPort, OutgoingEdge } from '../actions/define.js';
import { sampleFromSchema } from '../actions/sample.js';
import { ActionError, RunError } from '../errors.js';
import type { Workflow } from '../graph/schema.js';
import type { AnswerBook } from './answer-book.js';
import { approvalRequest, type ApprovalPolicy } from './approval.js';
import { outgoingEdges, type CompiledGraph } from './compile.js';
import type { ErrorInfo, NodeStatus, PendingQuestion, RunEvent, SkipReason } from './events.js';
import { emptyCounts } from './events.js';
import { checkSchema, type NodeTask, type TaskExecutor, type TaskHost } from './executor.js';
import { InputRequiredError, coerceAnswer, isDefaultingPort } from './input.js';
import { backoffDelay, isRetryable, toErrorInfo } from './retry.js';
import type { TemplateScope } from './template.js';

// Internal node states; QUEUED shows as pending, ASKING and PARKED both show as waiting.
const PENDING = 0;
const QUEUED = 1;
const RUNNING = 2;
const RETRYING = 3;
const ASKING = 4;
const PARKED = 5;
const SUCCEEDED = 6;
const FAILED = 7;
const SKIPPED = 8;
const CANCELLED = 9;

const STATUS_NAMES: readonly NodeStatus[] = [
  'pending',
  'pending',
  'running',
  'retrying',
  'waiting',
  'waiting',
  'succeeded',
  'failed',
  'skipped',
  'cancelled',
];

/** What the scheduler reports to the run machine. Called rarely: never once per node on the happy path. */
export interface Lifecycle {
  nodeFailed(nodeId: string, stopsRun: boolean): void;
  inputAsked(nodeId: string): void;
  inputAnswered(nodeId: string): void;
  inputParked(nodeId: string): void;
  settled(): void;
}

export interface SchedulerOptions {
  runId: string;
  graph: CompiledGraph;
  workflow: Workflow;
  executor: TaskExecutor;
  concurrency: number;
  dryRun: boolean;
  /** Ask before a node whose action writes to the outside world runs (its question 0); `none` never asks. */
  approval: ApprovalPolicy;
  projectDir: string;
  secrets: ReadonlyMap<string, Readonly<Record<string, string>>>;
  model: ChatModel | undefined;
  port: IOPort;
  answers: AnswerBook;
  /** The host's writer for actions that show text; called with the node id. */
  print: ((text: string, nodeId: string) => void) | undefined;
  /** Outputs of nodes that already succeeded (resume): they are not run again. */
  restored: ReadonlyMap<number, unknown>;
  /** Records and publishes an event. May throw for a node.succeeded whose output cannot be journaled. */
  emit: ((event: RunEvent) => void) | undefined;
  /**
   * Group commit: when set, completions are batched per microtask and `commit` runs (journal lines into the OS)
   * before any successor of the batch starts.
   */
  commit: (() => void) | undefined;
  random?: () => number;
}

const EMPTY_SECRETS: Readonly<Record<string, string>> = Object.freeze(Object.create(null) as Record<string, string>);

export class Scheduler {
  readonly size: number;
  readonly #o: SchedulerOptions;
  readonly #g: CompiledGraph;
  readonly #status: Uint8Array;
  /** Unsettled incoming edges per node. */
  readonly #remaining: Int32Array;
  /** Active incoming edges per node (source succeeded and its `when` held). */
  readonly #activeIn: Int32Array;
  readonly #edgeActive: Uint8Array;
  /** An upstream node failed: this node is skipped, whatever its other edges say. */
  readonly #tainted: Uint8Array;
  readonly #attempts: Int32Array;
  /** Bumped whenever an attempt stops counting (timeout, park, cancel): late results of old attempts are ignored. */
  readonly #tokens: Int32Array;
  readonly #startedAt: Float64Array;
  readonly #outputs: unknown[];
  readonly #timers = new Map<number, ReturnType<typeof setTimeout>>();
  readonly #attemptAborts = new Map<number, () => void>();
  readonly #queue: Int32Array;
  #queueHead = 0;
  #queueLength = 0;
  #running = 0;
  #retryTimers = 0;
  #settledSent = false;
  #halted = false;
  #stopReason: string | undefined;
  #started = false;
  #lifecycle: Lifecycle | undefined;
  readonly #controller = new AbortController();
  readonly #failures: { nodeId: string; error: ErrorInfo }[] = [];
  readonly #waiting: PendingQuestion[] = [];
  #batch: number[] = [];
  /** Reused by #settle (always left empty), so a completion allocates no array. */
  readonly #stack: number[] = [];
  #batchScheduled = false;
  readonly #drainBatch = (): void => this.#drain();

  constructor(options: SchedulerOptions) {
    this.#o = options;
    this.#g = options.graph;
    const n = options.graph.size;
    this.size = n;
    this.#status = new Uint8Array(n);
    this.#remaining = new Int32Array(n);
    this.#activeIn = new Int32Array(n);
    this.#edgeActive = new Uint8Array(options.graph.edgeFrom.length);
    this.#tainted = new Uint8Array(n);
    this.#attempts = new Int32Array(n);
    this.#tokens = new Int32Array(n);
    this.#startedAt = new Float64Array(n);
    this.#outputs = new Array<unknown>(n);
    this.#queue = new Int32Array(Math.max(1, n));
  }

  attach(lifecycle: Lifecycle): void {
    this.#lifecycle = lifecycle;
  }

  /** Starts building events (a listener subscribed to a run that had none). */
  observe(emit: (event: RunEvent) => void): void {
    this.#o.emit = emit;
  }

  /** Starts the roots (and restores nodes that already succeeded). */
  start(): void {
    if (this.#started || this.#halted) return;
    this.#started = true;
    const g = this.#g;
    const stack: number[] = [];
    for (let i = 0; i < this.size; i++) this.#remaining[i] = g.inStart[i + 1]! - g.inStart[i]!;
    for (let i = 0; i < this.size; i++) {
      if (this.#remaining[i] === 0) this.#decide(i, stack);
      if (this.#halted) return;
    }
    this.#settle(stack);
    this.#checkSettled();
  }

  /**
   * Stops everything when the run ends early (failure with onError "fail", cancellation, actor stopped):
   * running handlers are aborted and end cancelled, nodes that never started end cancelled.
   */
  halt(reason: string): void {
    if (this.#halted) return;
    this.#halted = true;
    if (this.#settledSent) return;
    // Handlers see why: the node whose failure stopped the run, or the cancel reason.
    const why = this.#stopReason ?? reason;
    this.#controller.abort(new RunError('RUN_CANCELLED', `run ${this.#o.runId}: ${why}`, { exitCode: 1 }));
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    for (const detach of this.#attemptAborts.values()) detach();
    this.#attemptAborts.clear();
    const status = this.#status;
    for (let i = 0; i < this.size; i++) {
      const s = status[i]!;
      if (s === RUNNING || s === ASKING || s === RETRYING) {
        status[i] = CANCELLED;
        this.#tokens[i]! += 1;
        this.#emit({ type: 'node.cancelled', t: Date.now(), nodeId: this.#g.ids[i]! });
      } else if (s === PENDING || s === QUEUED) {
        status[i] = CANCELLED;
      }
    }
    this.#running = 0;
    this.#queueLength = 0;
  }

  get halted(): boolean {
    return this.#halted;
  }

  statusOf(nodeId: string): NodeStatus | undefined {
    const i = this.#g.index.get(nodeId);
    return i === undefined ? undefined : STATUS_NAMES[this.#status[i]!];
  }

  /** Every node's status, in workflow order. O(nodes): for views, not for hot loops. */
  statuses(): Map<string, NodeStatus> {
    const out = new Map<string, NodeStatus>();
    for (let i = 0; i < this.size; i++) out.set(this.#g.ids[i]!, STATUS_NAMES[this.#status[i]!]!);
    return out;
  }

  counts(): Record<NodeStatus, number> {
    const counts = emptyCounts();
    for (let i = 0; i < this.size; i++) counts[STATUS_NAMES[this.#status[i]!]!] += 1;
    return counts;
  }

  outputs(): Map<string, unknown> {
    const out = new Map<string, unknown>();
    for (let i = 0; i < this.size; i++) if (this.#status[i] === SUCCEEDED) out.set(this.#g.ids[i]!, this.#outputs[i]);
    return out;
  }

  /** Outputs of succeeded nodes without successors. */
  finalOutputs(): Map<string, unknown> {
    const out = new Map<string, unknown>();
    const g = this.#g;
    for (let i = 0; i < this.size; i++) {
      if (this.#status[i] === SUCCEEDED && g.outStart[i + 1] === g.outStart[i]) out.set(g.ids[i]!, this.#outputs[i]);
    }
    return out;
  }

  failures(): { nodeId: string; error: ErrorInfo }[] {
    return [...this.#failures];
  }

  waiting(): PendingQuestion[] {
    return [...this.#waiting];
  }

  // ---- the hot path -------------------------------------------------------------------------------------------

  /** Node `i` has no unsettled predecessor: skip it, restore it, or make it ready. */
  #decide(i: number, stack: number[]): void {
    const g = this.#g;
    if (this.#tainted[i]) {
      this.#skip(i, 'upstream-failed');
      stack.push(i);
    } else if (this.#activeIn[i] === 0 && g.inStart[i + 1]! > g.inStart[i]!) {
      this.#skip(i, 'inactive');
      stack.push(i);
    } else if (this.#o.restored.has(i)) {
      this.#status[i] = SUCCEEDED;
      this.#outputs[i] = this.#o.restored.get(i);
      stack.push(i);
    } else if (this.#running < this.#o.concurrency) {
      this.#startNode(i);
    } else {
      this.#status[i] = QUEUED;
      this.#queue[(this.#queueHead + this.#queueLength++) % this.#queue.length] = i;
    }
  }

  /**
   * Tells the successors of every node on `stack` that it settled, deciding those whose last predecessor it was.
   * Iterative, so skip and restore cascades down a 100,000-node chain cannot overflow the call stack.
   */
  #settle(stack: number[]): void {
    const g = this.#g;
    const status = this.#status;
    while (stack.length > 0) {
      const k = stack.pop()!;
      const s = status[k]!;
      const taints = s === FAILED || (s === SKIPPED && this.#tainted[k] === 1);
      for (let p = g.outStart[k]!; p < g.outStart[k + 1]!; p++) {
        const e = g.outEdges[p]!;
        const j = g.edgeTo[e]!;
        if (s === SUCCEEDED) {
          const when = g.edgeWhen[e];
          if (when === undefined || this.#holds(when, k, e)) {
            this.#edgeActive[e] = 1;
            this.#activeIn[j]! += 1;
          }
        } else if (taints) {
          this.#tainted[j] = 1;
        }
        if (--this.#remaining[j]! === 0) {
          this.#decide(j, stack);
          if (this.#halted) return;
        }
      }
    }
  }

  #holds(when: (output: unknown) => boolean, k: number, e: number): boolean {
    try {
      return when(this.#outputs[k]);
    } catch (error) {
      // Conditions are compiled data and do not throw; if one ever does, the branch is simply not taken.
      this.#emit({
        type: 'node.log',
        t: Date.now(),
        nodeId: this.#g.ids[k]!,
        level: 'warn',
        message: `edge ${e}: condition failed to evaluate: ${(error as Error).message}`,
      });
      return false;
    }
  }

  #skip(i: number, reason: SkipReason): void {
    this.#status[i] = SKIPPED;
    this.#emit({ type: 'node.skipped', t: Date.now(), nodeId: this.#g.ids[i]!, reason });
  }

  #startNode(i: number): void {
    const o = this.#o;
    const g = this.#g;
    this.#status[i] = RUNNING;
    this.#running++;
    const attempt = ++this.#attempts[i]!;
    const token = ++this.#tokens[i]!;
    const now = Date.now();
    this.#startedAt[i] = now;
    const nodeId = g.ids[i]!;
    const action = g.actions[i]!;
    if (o.emit !== undefined) o.emit({ type: 'node.started', t: now, nodeId, action: action.name, attempt });

    const node = g.nodes[i]!;
    const input = this.#inputOf(i);
    const compiled = g.data[i]!;
    const data = compiled.render === undefined ? compiled.value : compiled.render(this.#scope(input));
    const task: NodeTask = {
      runId: o.runId,
      nodeId,
      action: action.name,
      data,
      input,
      attempt,
      idempotencyKey: `${o.runId}:${nodeId}`,
      projectDir: o.projectDir,
    };
    if (node.label !== undefined) task.label = node.label;

    if (o.dryRun && action.effects !== 'none') {
      // Dry run: actions that touch the world are not called. Their data and input are still checked, and a
      // sample of their output stands in for the result.
      Promise.resolve()
        .then(() => {
          checkSchema(action.data, task.data, task, 'DATA_INVALID', 'data');
          checkSchema(action.input, task.input, task, 'INPUT_INVALID', 'input');
          return sampleFromSchema(action.output);
        })
        .then(
          (output) => this.#succeed(i, token, output, true),
          (error: unknown) => this.#fail(i, token, error),
        );
      return;
    }

    if (o.approval === 'write' && action.effects === 'write') {
      // The approval is the node's first question, so it is journaled, answered by --yes or --answer <id>=yes,
      // and asked once per node: a retry or a resume finds the recorded answer. The timeout starts after it.
      this.ask(i, token, 0, approvalRequest(nodeId, action, task.data, task.input), this.#controller.signal).then(
        (approved) => {
          if (!this.#current(i, token)) return;
          if (approved === true) this.#execute(i, token, task, 1);
          else this.#fail(i, token, new ActionError('NOT_APPROVED', `node "${nodeId}": ${action.name} was not approved`, { retryable: false }));
        },
        (error: unknown) => this.#fail(i, token, error),
      );
      return;
    }
    this.#execute(i, token, task, 0);
  }

  /** Hands the task to the executor; `firstQuestion` skips the indexes the engine itself asked (approval). */
  #execute(i: number, token: number, task: NodeTask, firstQuestion: number): void {
    const timeoutMs = this.#g.nodes[i]!.timeoutMs;
    let signal = this.#controller.signal;
    if (timeoutMs !== undefined) signal = this.#armTimeout(i, token, timeoutMs, task.nodeId);
    const host = new AttemptHost(this, i, token, signal, firstQuestion);
    let promise: Promise<unknown>;
    try {
      promise = this.#o.executor.execute(task, host);
    } catch (error) {
      promise = Promise.reject(error);
    }
    promise.then(
      (output) => this.#succeed(i, token, output, false),
      (error: unknown) => this.#fail(i, token, error),
    );
  }

  /** A per-attempt signal that aborts on the node's timeout or with the run. */
  #armTimeout(i: number, token: number, timeoutMs: number, nodeId: string): AbortSignal {
    const controller = new AbortController();
    const runSignal = this.#controller.signal;
    const onRunAbort = (): void => controller.abort(runSignal.reason);
    runSignal.addEventListener('abort', onRunAbort, { once: true });
    this.#attemptAborts.set(i, () => runSignal.removeEventListener('abort', onRunAbort));
    this.#timers.set(
      i,
      setTimeout(() => {
        this.#timers.delete(i);
        if (!this.#current(i, token)) return;
        const error = new ActionError('TIMEOUT', `node "${nodeId}": timed out after ${timeoutMs} ms`);
        controller.abort(error);
        // Do not wait for a handler that ignores its signal: the attempt fails now and its late result is dropped.
        this.#fail(i, token, error);
      }, timeoutMs),
    );
    return controller.signal;
  }

  #current(i: number, token: number): boolean {
    const s = this.#status[i];
    return this.#tokens[i] === token && (s === RUNNING || s === ASKING) && !this.#halted;
  }

  #endAttempt(i: number): void {
    if (this.#status[i] === ASKING) {
      // The attempt ended while its question was open (a timeout, or a handler that did not wait for the answer).
      this.#status[i] = RUNNING;
      this.#lifecycle?.inputAnswered(this.#g.ids[i]!);
    }
    const timer = this.#timers.get(i);
    if (timer !== undefined) {
      clearTimeout(timer);
      this.#timers.delete(i);
    }
    const detach = this.#attemptAborts.get(i);
    if (detach !== undefined) {
      detach();
      this.#attemptAborts.delete(i);
    }
  }

  #inputOf(i: number): unknown {
    const g = this.#g;
    const from = g.inStart[i]!;
    const to = g.inStart[i + 1]!;
    if (to === from) return undefined;
    if (to - from === 1) {
      const e = g.inEdges[from]!;
      return this.#edgeActive[e] ? this.#outputs[g.edgeFrom[e]!] : undefined;
    }
    // Several predecessors: keyed by id on a null-prototype object, so an id like `__proto__` is just a key.
    const input = Object.create(null) as Record<string, unknown>;
    for (let p = from; p < to; p++) {
      const e = g.inEdges[p]!;
      if (this.#edgeActive[e]) {
        const source = g.edgeFrom[e]!;
        input[g.ids[source]!] = this.#outputs[source];
      }
    }
    return input;
  }

  #scope(input: unknown): TemplateScope {
    return {
      input,
      output: (k) => (this.#status[k] === SUCCEEDED ? this.#outputs[k] : undefined),
    };
  }

  #succeed(i: number, token: number, output: unknown, sampled: boolean): void {
    if (!this.#current(i, token)) return;
    this.#endAttempt(i);
    const g = this.#g;
    const nodeId = g.ids[i]!;
    if (this.#o.emit !== undefined) {
      const event: RunEvent = {
        type: 'node.succeeded',
        t: Date.now(),
        nodeId,
        action: g.actions[i]!.name,
        attempt: this.#attempts[i]!,
        ms: Date.now() - this.#startedAt[i]!,
        output,
      };
      if (sampled) event.sampled = true;
      try {
        this.#o.emit(event);
      } catch (error) {
        // The journal could not record the output (not JSON): a retry would produce the same, so fail for good.
        this.#fail(
          i,
          token,
          new ActionError('OUTPUT_NOT_JSON', `node "${nodeId}": output cannot be journaled: ${(error as Error).message}`, {
            retryable: false,
            cause: error,
          }),
        );
        return;
      }
    }
    this.#status[i] = SUCCEEDED;
    this.#outputs[i] = output;
    this.#running--;
    this.#completed(i);
  }

  #fail(i: number, token: number, error: unknown): void {
    if (!this.#current(i, token)) return;
    if (error instanceof InputRequiredError) {
      this.#park(i, token);
      return;
    }
    this.#endAttempt(i);
    const g = this.#g;
    const node = g.nodes[i]!;
    const nodeId = g.ids[i]!;
    const action = g.actions[i]!.name;
    const attempt = this.#attempts[i]!;
    const info = toErrorInfo(error);
    const maxAttempts = node.retry?.attempts ?? 1;
    this.#running--;
    if (attempt < maxAttempts && isRetryable(error)) {
      const delayMs = backoffDelay(node.retry!, attempt, this.#o.random);
      this.#status[i] = RETRYING;
      this.#tokens[i]! += 1;
      this.#emit({ type: 'node.retrying', t: Date.now(), nodeId, action, attempt, delayMs, error: info });
      this.#retryTimers++;
      this.#timers.set(
        i,
        setTimeout(() => {
          this.#timers.delete(i);
          this.#retryTimers--;
          if (this.#halted || this.#status[i] !== RETRYING) return;
          this.#status[i] = PENDING;
          this.#decide(i, []);
        }, delayMs),
      );
      this.#pump();
      return;
    }
    this.#status[i] = FAILED;
    this.#failures.push({ nodeId, error: info });
    this.#emit({ type: 'node.failed', t: Date.now(), nodeId, action, attempt, ms: Date.now() - this.#startedAt[i]!, error: info });
    // onError "fail" (the default) ends the run: the machine halts this scheduler when it leaves `active`. If the
    // machine is busy and only queues the event, halt here anyway so nothing new starts in between.
    const stopsRun = (node.onError ?? 'fail') === 'fail';
    if (stopsRun) this.#stopReason ??= `node "${nodeId}" failed`;
    this.#lifecycle?.nodeFailed(nodeId, stopsRun);
    if (stopsRun) this.halt(`node "${nodeId}" failed`);
    if (this.#halted) return;
    this.#completed(i);
  }

  /** A headless question nobody can answer now: the node waits, the rest of the graph carries on. */
  #park(i: number, token: number): void {
    if (!this.#current(i, token)) return;
    this.#endAttempt(i);
    this.#status[i] = PARKED;
    this.#tokens[i]! += 1;
    this.#running--;
    this.#lifecycle?.inputParked(this.#g.ids[i]!);
    if (this.#halted) return;
    this.#pump();
    this.#checkSettled();
  }

  /** Records a question the node is parked on (called by AttemptHost before the node parks). */
  noteWaiting(question: PendingQuestion): void {
    this.#waiting.push(question);
    this.#emit({ type: 'node.waiting', t: Date.now(), nodeId: question.nodeId, index: question.index, request: question.request });
  }

  #completed(i: number): void {
    if (this.#o.commit === undefined) {
      this.#stack.push(i);
      this.#settle(this.#stack);
      this.#pump();
      this.#checkSettled();
      return;
    }
    this.#batch.push(i);
    if (!this.#batchScheduled) {
      this.#batchScheduled = true;
      queueMicrotask(this.#drainBatch);
    }
  }

  /** Group commit: one journal write for every completion of this microtask, then their successors start. */
  #drain(): void {
    this.#batchScheduled = false;
    const batch = this.#batch;
    this.#batch = [];
    if (this.#halted) return;
    this.#o.commit!();
    this.#settle(batch);
    this.#pump();
    this.#checkSettled();
  }

  #pump(): void {
    const concurrency = this.#o.concurrency;
    while (this.#queueLength > 0 && this.#running < concurrency && !this.#halted) {
      const i = this.#queue[this.#queueHead]!;
      this.#queueHead = (this.#queueHead + 1) % this.#queue.length;
      this.#queueLength--;
      this.#startNode(i);
    }
  }

  #checkSettled(): void {
    if (this.#settledSent || this.#halted) return;
    if (this.#running > 0 || this.#queueLength > 0 || this.#retryTimers > 0 || this.#batch.length > 0) return;
    this.#settledSent = true;
    this.#lifecycle?.settled();
  }

  #emit(event: RunEvent): void {
    this.#o.emit?.(event);
  }

  // ---- used by AttemptHost ------------------------------------------------------------------------------------

  /** The answer to a node's question: from the answer book, else from the IO port (which may park the node). */
  ask(i: number, token: number, index: number, request: AskRequest, signal: AbortSignal): Promise<Answer> {
    const o = this.#o;
    const nodeId = this.#g.ids[i]!;
    if (!this.#current(i, token)) return Promise.reject(signal.reason ?? new RunError('RUN_CANCELLED', `node "${nodeId}": attempt is over`));
    const full = { ...request, nodeId };
    const booked = o.answers.get(nodeId, index);
    if (booked !== undefined) {
      if (booked.source === 'journal') return Promise.resolve(booked.answer);
      try {
        const answer = coerceAnswer(nodeId, request, booked.answer);
        o.answers.record(nodeId, index, answer);
        this.#emit({ type: 'input.answered', t: Date.now(), nodeId, index, answer, source: 'provided' });
        return Promise.resolve(answer);
      } catch (error) {
        // A wrong --answer must not fail the run for good: the node waits again, saying what was wrong.
        o.answers.forget(nodeId, index);
        this.noteWaiting({ nodeId, index, request: { ...request, message: `${request.message} (${(error as Error).message})` } });
        const parked = new InputRequiredError(nodeId, (error as Error).message);
        this.#park(i, token);
        return Promise.reject(parked);
      }
    }
    this.#emit({ type: 'input.asked', t: Date.now(), nodeId, index, request });
    this.#status[i] = ASKING;
    this.#lifecycle?.inputAsked(nodeId);
    return o.port.ask(full, signal).then(
      (answer) => {
        if (!this.#current(i, token)) throw signal.reason ?? new RunError('RUN_CANCELLED', `node "${nodeId}": attempt is over`);
        this.#status[i] = RUNNING;
        this.#lifecycle?.inputAnswered(nodeId);
        o.answers.record(nodeId, index, answer);
        this.#emit({ type: 'input.answered', t: Date.now(), nodeId, index, answer, source: isDefaultingPort(o.port) ? 'default' : 'host' });
        return answer;
      },
      (error: unknown) => {
        if (error instanceof InputRequiredError && this.#current(i, token)) {
          this.noteWaiting({ nodeId, index, request });
          this.#park(i, token);
        } else if (this.#current(i, token)) {
          this.#status[i] = RUNNING;
          this.#lifecycle?.inputAnswered(nodeId);
        }
        throw error;
      },
    );
  }

  logFor(i: number, token: number): ActionLogger {
    return new NodeLogger(this, i, token);
  }

  /** A handler's log line, as an event (dropped once its attempt is over). */
  log(i: number, token: number, level: 'debug' | 'info' | 'warn', message: string, fields: Record<string, unknown> | undefined): void {
    if (this.#tokens[i] !== token || this.#o.emit === undefined) return;
    const event: RunEvent = { type: 'node.log', t: Date.now(), nodeId: this.#g.ids[i]!, level, message: String(message) };
    if (fields !== undefined) event.fields = fields;
    this.#emit(event);
  }

  secretsFor(i: number): Readonly<Record<string, string>> {
    return this.#o.secrets.get(this.#g.actions[i]!.name) ?? EMPTY_SECRETS;
  }

  outgoingFor(i: number): OutgoingEdge[] {
    return outgoingEdges(this.#g, this.#o.workflow, i);
  }

  get model(): ChatModel | undefined {
    return this.#o.model;
  }

  printerFor(i: number, token: number): ((text: string) => void) | undefined {
    const print = this.#o.print;
    if (print === undefined) return undefined;
    const nodeId = this.#g.ids[i]!;
    // A cancelled or timed-out attempt has nothing more to show.
    return (text) => {
      if (this.#tokens[i] === token) print(String(text), nodeId);
    };
  }
}

class NodeLogger implements ActionLogger {
  constructor(
    private readonly scheduler: Scheduler,
    private readonly node: number,
    private readonly token: number,
  ) {}
  debug(message: string, fields?: Record<string, unknown>): void {
    this.scheduler.log(this.node, this.token, 'debug', message, fields);
  }
  info(message: string, fields?: Record<string, unknown>): void {
    this.scheduler.log(this.node, this.token, 'info', message, fields);
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.scheduler.log(this.node, this.token, 'warn', message, fields);
  }
}

/** What one attempt of one node gets from the run; allocated once per attempt, parts built on first use. */
class AttemptHost implements TaskHost {
  #log: ActionLogger | undefined;
  #outgoing: OutgoingEdge[] | undefined;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly node: number,
    private readonly token: number,
    readonly signal: AbortSignal,
    /** Index of the handler's next question (questions are numbered per node, in the order asked). */
    private asked: number,
  ) {}

  ask(request: AskRequest): Promise<Answer> {
    return this.scheduler.ask(this.node, this.token, this.asked++, request, this.signal);
  }

  get log(): ActionLogger {
    return (this.#log ??= this.scheduler.logFor(this.node, this.token));
  }

  get secrets(): Readonly<Record<string, string>> {
    return this.scheduler.secretsFor(this.node);
  }

  get outgoing(): OutgoingEdge[] {
    return (this.#outgoing ??= this.scheduler.outgoingFor(this.node));
  }

  get model(): ChatModel | undefined {
    return this.scheduler.model;
  }

  get print(): ((text: string) => void) | undefined {
    return this.scheduler.printerFor(this.node, this.token);
  }
}
