// The engine's public API: start, resume, watch and list runs.
export { startRun, resumeRun, DEFAULT_CONCURRENCY } from './run.js';
export type { RunHandle, RunSnapshot, StartRunOptions, ResumeRunOptions, RunHostOptions } from './run.js';
export { listRuns, runDir, runsDir, readRunMeta, readRunWorkflow, newRunId } from './run-store.js';
export type { RunMeta, RunSummary } from './run-store.js';
export type {
  ErrorInfo,
  FinalRunStatus,
  NodeStatus,
  PendingQuestion,
  RunEvent,
  RunEventOf,
  RunEventType,
  RunListener,
  RunResult,
  RunStatus,
  SkipReason,
} from './events.js';
export { InProcessExecutor } from './executor.js';
export type { NodeTask, TaskExecutor, TaskHost } from './executor.js';
export type { ApprovalPolicy } from './approval.js';
export { createHeadlessPort, InputRequiredError, coerceAnswer, defaultAnswer, parseAnswerArgs } from './input.js';
export { resolveRunSecrets, resolveSecretsFromEnv } from './secrets.js';
export type { RunSecrets, SecretSource } from './secrets.js';
export { readJournal } from './journal.js';
export type { JournalStats } from './journal.js';
export { runMachine } from './run-machine.js';
export type { RunActor } from './run-machine.js';
