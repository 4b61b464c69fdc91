// startRun and resumeRun: compile the workflow, resolve secrets, open the journal, and start the run machine with
// its scheduler. The handle is how every host (CLI, TUI, tests) watches and steers a run.
import fs from 'node:fs';
import path from 'node:path';
import { createActor } from 'xstate';
import type { Answer, ChatModel, IOPort } from '../actions/define.js';
import type { ActionRegistry } from '../actions/registry.js';
import { RunError } from '../errors.js';
import type { Workflow } from '../graph/schema.js';
import { didYouMean } from '../graph/suggest.js';
import { AnswerBook } from './answer-book.js';
import { compileWorkflow, type CompiledGraph } from './compile.js';
import type { FinalRunStatus, NodeStatus, RunEvent, RunListener, RunResult, RunStatus } from './events.js';
import { InProcessExecutor, type TaskExecutor } from './executor.js';
import { createHeadlessPort } from './input.js';
import { JOURNAL_FILE, JournalWriter, readJournal, truncateTornTail, type JournalStats } from './journal.js';
import { createRedactor } from './redact.js';
import {
  acquireLock,
  checkRunId,
  newRunId,
  readRunMeta,
  readWorkflowCopy,
  releaseLock,
  runDir,
  WORKFLOW_COPY,
  writeRunMeta,
  writeWorkflowCopy,
  type RunMeta,
} from './run-store.js';
import type { ApprovalPolicy } from './approval.js';
import { runMachine, runStatusOf, type RunActor } from './run-machine.js';
import { Scheduler } from './scheduler.js';
import { resolveSecretsFromEnv, type RunSecrets, type SecretSource } from './secrets.js';

export const DEFAULT_CONCURRENCY = 64;

/** Options shared by startRun and resumeRun. */
export interface RunHostOptions {
  registry: ActionRegistry;
  /** The project folder: the run folder goes under `.actiongraph/runs/`, file actions stay inside it. Default: cwd. */
  projectDir?: string;
  /** How many handlers may run at once (default 64: actions are mostly I/O-bound). */
  concurrency?: number;
  /** Where questions go. Default: headless, no defaults taken (a question stops the run waiting). */
  io?: IOPort;
  /**
   * `write` (default): a node whose action has `effects: "write"` runs only after its approval question (question 0
   * of that node) is answered yes. `none`: for workflows you trust. Dry runs never ask.
   */
  approval?: ApprovalPolicy;
  /** Answers given up front, by node id: a node's i-th question gets its i-th answer. */
  answers?: ReadonlyMap<string, readonly Answer[]> | Readonly<Record<string, Answer | readonly Answer[]>>;
  /** Where declared secrets are read from. Default: process.env (only names actions declare are ever read). */
  env?: SecretSource;
  /** Secrets resolved beforehand (resolveRunSecrets: environment, then `.env`); when given, `env` is not read. */
  secrets?: RunSecrets;
  model?: ChatModel;
  /** Where actions that show text (output.console) write it; the text is in their output (and events) anyway. */
  print?: (text: string, nodeId: string) => void;
  /** Where handlers run. Default: in this process. */
  executor?: TaskExecutor;
  /** Write the journal and run folder (default true). Without it the run cannot be resumed. */
  journal?: boolean;
  /** fdatasync the journal (default true). Off, lines still reach the OS before successors start. */
  fsync?: boolean;
  /** A listener attached before the first event. */
  onEvent?: RunListener;
  /** For jittered backoff; tests pass a fixed one. */
  random?: () => number;
}

export interface StartRunOptions extends RunHostOptions {
  workflow: Workflow;
  /** The workflow file, for messages and `actiongraph runs`. */
  file?: string;
  /**
   * The text `workflow` was parsed from (`loadWorkflowFile` returns both): the run folder keeps it verbatim as the
   * copy resume runs, instead of serializing the workflow again. It must be that text: resume runs what it says.
   */
  workflowText?: string;
  /** Run only `effects: "none"` actions; the others return a sample of their output schema. */
  dryRun?: boolean;
  runId?: string;
}

export interface RunSnapshot {
  runId: string;
  status: RunStatus;
  /** Every node's status, in workflow order (built on each call: O(nodes)). */
  nodes: Map<string, NodeStatus>;
  counts: Record<NodeStatus, number>;
}

export interface RunHandle {
  readonly runId: string;
  /** The run folder, when the run is journaled. */
  readonly dir: string | undefined;
  /** Journal counters (lines, write calls, fdatasyncs, bytes), when the run is journaled. */
  readonly journalStats: JournalStats | undefined;
  /** The xstate actor that owns the run's lifecycle; `actor.stop()` cancels the run. */
  readonly actor: RunActor;
  /** Listens to every event from now on; subscribe right after startRun (before awaiting) to see them all. */
  subscribe(listener: RunListener): () => void;
  snapshot(): RunSnapshot;
  nodeStatus(nodeId: string): NodeStatus | undefined;
  /** Aborts running handlers; pending nodes end cancelled; the journal says cancelled. */
  cancel(reason?: string): void;
  /** Settles when the run has finished and its journal is closed; rejects only if the journal cannot be written. */
  readonly done: Promise<RunResult>;
}

/** Starts a run. Throws GraphValidationError (exit 2) or RunError SECRET_MISSING (exit 2) before anything runs. */
export function startRun(options: StartRunOptions): RunHandle {
  const projectDir = options.projectDir ?? process.cwd();
  const graph = compileWorkflow(options.workflow, options.registry, options.file === undefined ? {} : { file: options.file });
  const dryRun = options.dryRun ?? false;
  const secrets = secretsFor(options.workflow, options, dryRun);
  const answers = new AnswerBook();
  provideAnswers(answers, graph, options.answers);
  const runId = options.runId === undefined ? newRunId() : checkRunId(options.runId);

  let dir: string | undefined;
  let meta: RunMeta | undefined;
  let journal: JournalWriter | undefined;
  if (options.journal ?? true) {
    dir = runDir(projectDir, runId);
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    try {
      fs.mkdirSync(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      throw new RunError('RUN_EXISTS', `run "${runId}" already exists in ${path.dirname(dir)}; resume it, or start a run with another id`, {
        exitCode: 2,
      });
    }
    try {
      acquireLock(dir, runId);
      const workflowHash = writeWorkflowCopy(dir, options.workflow, options.workflowText);
      const now = new Date().toISOString();
      meta = {
        runId,
        status: 'running',
        workflow: options.workflow.name,
        file: options.file,
        nodes: graph.size,
        dryRun,
        createdAt: now,
        updatedAt: now,
        resumes: 0,
        workflowHash,
      };
      writeRunMeta(dir, meta);
      journal = new JournalWriter(path.join(dir, JOURNAL_FILE), { sync: options.fsync ?? true });
    } catch (error) {
      // A run folder that could not be set up is no run: leave nothing behind that `runs` would list.
      fs.rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }
  return launch({
    options,
    projectDir,
    workflow: options.workflow,
    graph,
    runId,
    dryRun,
    secrets,
    answers,
    restored: new Map(),
    resumes: 0,
    dir,
    meta,
    journal,
  });
}

export interface ResumeRunOptions extends RunHostOptions {}

/**
 * Continues a run that crashed, was cancelled, failed or stopped waiting for input. Succeeded nodes keep their
 * journaled outputs and do not run again; journaled answers are not asked again; everything else runs.
 */
export function resumeRun(runId: string, options: ResumeRunOptions): RunHandle {
  const projectDir = options.projectDir ?? process.cwd();
  const meta = readRunMeta(projectDir, runId);
  if (meta.status === 'succeeded') {
    throw new RunError('RUN_FINISHED', `run "${runId}" already succeeded; there is nothing to resume`, { exitCode: 2 });
  }
  const dir = runDir(projectDir, runId);
  acquireLock(dir, runId);
  try {
    const workflow = readWorkflowCopy(dir, meta.workflowHash);
    const graph = compileWorkflow(workflow, options.registry, { file: path.join(dir, WORKFLOW_COPY) });
    const journalFile = path.join(dir, JOURNAL_FILE);
    const contents = readJournal(journalFile);
    truncateTornTail(journalFile, contents);

    const restored = new Map<number, unknown>();
    const journaled = new Map<string, { index: number; answer: Answer }[]>();
    let resumes = 0;
    for (const event of contents.events) {
      if (event.type === 'run.started') resumes++;
      else if (event.type === 'node.succeeded') {
        const i = graph.index.get(event.nodeId);
        if (i !== undefined) restored.set(i, event.output);
      } else if (event.type === 'input.answered') {
        const list = journaled.get(event.nodeId) ?? [];
        list.push({ index: event.index, answer: event.answer });
        journaled.set(event.nodeId, list);
      } else if (event.type === 'node.failed') {
        // A node that failed runs again from scratch and asks again: the answers that led to the failure (an
        // approval refused, a text rejected) must not fail it again forever.
        journaled.delete(event.nodeId);
      }
    }
    const answers = new AnswerBook();
    for (const [nodeId, list] of journaled) for (const { index, answer } of list) answers.record(nodeId, index, answer);
    provideAnswers(answers, graph, options.answers);
    const secrets = secretsFor(workflow, options, meta.dryRun);
    const updated: RunMeta = { ...meta, status: 'running', updatedAt: new Date().toISOString(), resumes };
    delete updated.finishedAt;
    writeRunMeta(dir, updated);
    const journal = new JournalWriter(journalFile, { sync: options.fsync ?? true });
    return launch({
      options,
      projectDir,
      workflow,
      graph,
      runId,
      dryRun: meta.dryRun,
      secrets,
      answers,
      restored,
      resumes,
      dir,
      meta: updated,
      journal,
    });
  } catch (error) {
    releaseLock(dir);
    throw error;
  }
}

function secretsFor(workflow: Workflow, options: RunHostOptions, dryRun: boolean): RunSecrets {
  return options.secrets ?? resolveSecretsFromEnv(workflow, options.registry, options.env ?? process.env, { dryRun });
}

function provideAnswers(book: AnswerBook, graph: CompiledGraph, answers: RunHostOptions['answers']): void {
  if (answers === undefined) return;
  const entries: [string, Answer | readonly Answer[]][] =
    answers instanceof Map ? [...answers.entries()] : Object.entries(answers as Record<string, Answer | readonly Answer[]>);
  for (const [nodeId, value] of entries) {
    if (!graph.index.has(nodeId)) {
      throw new RunError('ANSWER_INVALID', `answer for node "${nodeId}": the workflow has no such node${didYouMean(nodeId, graph.ids)}`, {
        exitCode: 2,
      });
    }
    book.provide(nodeId, Array.isArray(value) ? (value as readonly Answer[]) : [value as Answer]);
  }
}

interface Launch {
  options: RunHostOptions;
  projectDir: string;
  workflow: Workflow;
  graph: CompiledGraph;
  runId: string;
  dryRun: boolean;
  secrets: RunSecrets;
  answers: AnswerBook;
  restored: Map<number, unknown>;
  resumes: number;
  dir: string | undefined;
  meta: RunMeta | undefined;
  journal: JournalWriter | undefined;
}

// Events worth a write of their own: a person's answer and a question left open must survive a crash right after.
const COMMIT_NOW = new Set<RunEvent['type']>(['run.started', 'input.answered', 'node.waiting']);

function launch(l: Launch): RunHandle {
  const { options, graph, runId, journal } = l;
  const startedAt = Date.now();
  const listeners = new Set<RunListener>();
  if (options.onEvent) listeners.add(options.onEvent);
  const redactor = createRedactor(l.secrets.values);
  let journalError: unknown;

  const emit = (raw: RunEvent): void => {
    const event = redactor.active ? redactor.value(raw) : raw;
    if (journal) {
      const type = event.type;
      if (type === 'node.started' || type === 'node.succeeded') {
        // A node's output must be JSON to be restored on resume: append throws and the scheduler fails the node.
        journal.append(event);
      } else {
        journal.appendLenient(event);
        if (COMMIT_NOW.has(type)) commit();
      }
    }
    if (listeners.size === 0) return;
    for (const listener of listeners) {
      try {
        listener(event);
      } catch {
        // A broken listener (a view) must not break the run; it simply misses its own failure.
      }
    }
  };

  const commit = (): void => {
    if (!journal || journalError !== undefined) return;
    try {
      journal.commit();
    } catch (error) {
      journalError = error;
      handle.cancel(`journal write failed: ${(error as Error).message}`);
    }
  };

  const scheduler = new Scheduler({
    runId,
    graph,
    workflow: l.workflow,
    executor: options.executor ?? new InProcessExecutor(options.registry),
    concurrency: Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY)),
    dryRun: l.dryRun,
    approval: options.approval ?? 'write',
    projectDir: l.projectDir,
    secrets: l.secrets.byAction,
    model: options.model,
    print: options.print,
    port: options.io ?? createHeadlessPort(),
    answers: l.answers,
    restored: l.restored,
    // Without a journal or a listener nobody reads events: the scheduler then does not even build them.
    emit: journal || listeners.size > 0 ? emit : undefined,
    commit: journal ? commit : undefined,
    ...(options.random === undefined ? {} : { random: options.random }),
  });

  const actor = createActor(runMachine, { input: { scheduler } });
  let started = false;
  let finished = false;
  let resolveDone!: (result: RunResult) => void;
  let rejectDone!: (error: unknown) => void;
  const done = new Promise<RunResult>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });

  const redactOutputs = (outputs: Map<string, unknown>): Map<string, unknown> => {
    if (!redactor.active) return outputs;
    for (const [id, value] of outputs) outputs.set(id, redactor.value(value));
    return outputs;
  };

  let finalStatus: FinalRunStatus | undefined;
  const finish = (status: FinalRunStatus): void => {
    if (finished) return;
    finished = true;
    finalStatus = status;
    scheduler.halt('cancelled'); // no-op after a normal end; makes sure nothing is left running otherwise
    const snapshot = actor.getSnapshot();
    const reason = status === 'cancelled' ? (snapshot.context.cancelReason ?? 'stopped') : undefined;
    const counts = scheduler.counts();
    const failures = scheduler.failures();
    const result = {
      runId,
      status,
      failures: redactor.active ? redactor.value(failures) : failures,
      // Questions are written by handlers, which hold secrets: they are redacted like everything else.
      waiting: redactor.active ? redactor.value(scheduler.waiting()) : scheduler.waiting(),
      counts,
      ms: Date.now() - startedAt,
    } as RunResult;
    // Outputs become Maps only when read: a 100,000-node run should not pay for a Map nobody looks at.
    lazyField(result, 'outputs', () => redactOutputs(scheduler.outputs()));
    lazyField(result, 'finalOutputs', () => redactOutputs(scheduler.finalOutputs()));
    if (reason !== undefined) result.reason = reason;
    const event: RunEvent = {
      type: 'run.finished',
      t: Date.now(),
      status,
      ms: result.ms,
      counts,
      failures: result.failures,
      waiting: result.waiting,
    };
    if (reason !== undefined) event.reason = reason;
    try {
      emit(event);
    } catch {
      // run.finished holds only plain data; nothing to do if it could not be journaled.
    }
    void closeRun(result);
  };

  const closeRun = async (result: RunResult): Promise<void> => {
    try {
      if (journal) await journal.close();
      if (l.dir && l.meta) {
        const now = new Date().toISOString();
        writeRunMeta(l.dir, { ...l.meta, status: result.status, updatedAt: now, finishedAt: now, counts: result.counts });
        releaseLock(l.dir);
      }
    } catch (error) {
      journalError ??= error;
    }
    if (journalError !== undefined) {
      if (l.dir) releaseLock(l.dir);
      rejectDone(
        new RunError('JOURNAL_WRITE', `run ${runId}: the journal could not be written: ${(journalError as Error).message}`, {
          cause: journalError,
          exitCode: 1,
        }),
      );
    } else resolveDone(result);
  };

  actor.subscribe({
    next: (snapshot) => {
      if (snapshot.status === 'done') finish(runStatusOf(snapshot) as FinalRunStatus);
    },
    complete: () => finish(actor.getSnapshot().status === 'done' ? (runStatusOf(actor.getSnapshot()) as FinalRunStatus) : 'cancelled'),
    error: () => finish('failed'),
  });

  const begin = (): void => {
    if (started) return;
    started = true;
    emit({
      type: 'run.started',
      t: Date.now(),
      runId,
      workflow: l.workflow.name,
      nodes: graph.size,
      dryRun: l.dryRun,
      concurrency: Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY)),
      resumes: l.resumes,
      restored: l.restored.size,
    });
    actor.start();
  };
  // Started on the next microtask, so the caller can subscribe first and see run.started.
  queueMicrotask(begin);

  const handle: RunHandle = {
    runId,
    dir: l.dir,
    journalStats: journal?.stats,
    actor,
    subscribe(listener) {
      listeners.add(listener);
      if (!finished) scheduler.observe(emit);
      return () => listeners.delete(listener);
    },
    snapshot() {
      // Once finished, the status is final (stopping the actor afterwards changes nothing).
      const status: RunStatus = finalStatus ?? (started ? runStatusOf(actor.getSnapshot()) : 'running');
      return { runId, status, nodes: scheduler.statuses(), counts: scheduler.counts() };
    },
    nodeStatus: (nodeId) => scheduler.statusOf(nodeId),
    cancel(reason = 'cancelled') {
      if (finished) return;
      scheduler.halt(reason);
      begin();
      actor.send({ type: 'CANCEL', reason });
    },
    done,
  };
  return handle;
}

/** An enumerable property computed on first read and then kept (it stays writable, like a plain field). */
function lazyField<T extends object, K extends keyof T>(target: T, key: K, compute: () => T[K]): void {
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get() {
      const value = compute();
      Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
      return value;
    },
    set(value: T[K]) {
      Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
    },
  });
}
