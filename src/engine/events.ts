// The run's one typed event stream: the journal, `--json`, the progress lines and the TUI all consume it.
import type { Answer, AskRequest } from '../actions/define.js';

/** Where one node is in its life. `waiting` means its handler asked a question nobody has answered yet. */
export type NodeStatus =
  | 'pending'
  | 'running'
  | 'retrying'
  | 'waiting'
  | 'succeeded'
  | 'failed'
  | 'skipped'
  | 'cancelled';

/**
 * Where the run is. `waiting` while live means a node waits for a person; as a final status it means the run
 * stopped with nodes waiting for answers (headless) and can be resumed with them.
 */
export type RunStatus = 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';
export type FinalRunStatus = Exclude<RunStatus, 'running'>;

/** An error as data: what events, the journal and RunResult carry (never the Error object, never a stack). */
export interface ErrorInfo {
  code: string;
  message: string;
  retryable?: boolean;
  /** For schema failures: the field that failed, e.g. ['data', 'query']. */
  path?: (string | number)[];
}

/** Why a node did not run: no active incoming edge (a condition was false upstream), or an upstream failure. */
export type SkipReason = 'inactive' | 'upstream-failed';

/** A question a node is waiting on, as reported when the run stops for input. */
export interface PendingQuestion {
  nodeId: string;
  /** Which question of this node (0 for the first it asked). */
  index: number;
  request: AskRequest;
}

interface EventBase {
  /** Epoch milliseconds. */
  t: number;
}

export type RunEvent = EventBase &
  (
    | {
        type: 'run.started';
        runId: string;
        workflow: string | undefined;
        nodes: number;
        dryRun: boolean;
        concurrency: number;
        /** How many times this run was resumed before (0 for a fresh run). */
        resumes: number;
        /** Nodes whose outputs came back from the journal instead of running again. */
        restored: number;
      }
    | { type: 'node.started'; nodeId: string; action: string; attempt: number }
    | {
        type: 'node.succeeded';
        nodeId: string;
        action: string;
        attempt: number;
        ms: number;
        output: unknown;
        /** Dry run: the output is a sample generated from the action's output schema; the handler was not called. */
        sampled?: true;
      }
    | { type: 'node.retrying'; nodeId: string; action: string; attempt: number; delayMs: number; error: ErrorInfo }
    | { type: 'node.failed'; nodeId: string; action: string; attempt: number; ms: number; error: ErrorInfo }
    | { type: 'node.skipped'; nodeId: string; reason: SkipReason }
    | { type: 'node.cancelled'; nodeId: string }
    | { type: 'node.waiting'; nodeId: string; index: number; request: AskRequest }
    | {
        type: 'node.log';
        nodeId: string;
        level: 'debug' | 'info' | 'warn';
        message: string;
        fields?: Record<string, unknown>;
      }
    | { type: 'input.asked'; nodeId: string; index: number; request: AskRequest }
    | {
        type: 'input.answered';
        nodeId: string;
        index: number;
        answer: Answer;
        /** host: a person answered through the IO port; provided: --answer; default: --yes took the default. */
        source: 'host' | 'provided' | 'default';
      }
    | {
        type: 'run.finished';
        status: FinalRunStatus;
        ms: number;
        counts: Record<NodeStatus, number>;
        failures: { nodeId: string; error: ErrorInfo }[];
        waiting: PendingQuestion[];
        /** Why the run was cancelled (e.g. "interrupted"), when it was. */
        reason?: string;
      }
  );

export type RunEventType = RunEvent['type'];
export type RunEventOf<T extends RunEventType> = Extract<RunEvent, { type: T }>;
export type RunListener = (event: RunEvent) => void;

/** What a finished run hands back. */
export interface RunResult {
  runId: string;
  status: FinalRunStatus;
  /** Outputs of the nodes that succeeded, by node id, in workflow order. */
  outputs: Map<string, unknown>;
  /** Outputs of the succeeded nodes that have no successors: the run's final results. */
  finalOutputs: Map<string, unknown>;
  failures: { nodeId: string; error: ErrorInfo }[];
  /** Headless runs that stopped for input: the questions to answer with `resume --answer`. */
  waiting: PendingQuestion[];
  counts: Record<NodeStatus, number>;
  ms: number;
  /** Why the run was cancelled, when it was. */
  reason?: string;
}

export function emptyCounts(): Record<NodeStatus, number> {
  return {
    pending: 0,
    running: 0,
    retrying: 0,
    waiting: 0,
    succeeded: 0,
    failed: 0,
    skipped: 0,
    cancelled: 0,
  };
}
