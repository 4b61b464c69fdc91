// The run folder `.actiongraph/runs/<runId>/`: the journal, a copy of the workflow (so resume does not depend on
// the file staying the same), run.json (status, for `actiongraph runs`) and a lock naming the process that runs it.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RunError } from '../errors.js';
import { writeFileAtomicSync } from '../graph/file.js';
import { parseWorkflow, serializeWorkflow } from '../graph/parse.js';
import type { Workflow } from '../graph/schema.js';
import { didYouMean } from '../graph/suggest.js';
import type { FinalRunStatus, NodeStatus, RunStatus } from './events.js';

export const WORKFLOW_COPY = 'workflow.json';
export const RUN_META = 'run.json';
export const LOCK_FILE = 'lock';

export interface RunMeta {
  runId: string;
  status: RunStatus;
  workflow: string | undefined;
  /** The workflow file the run started from, as given. */
  file: string | undefined;
  nodes: number;
  dryRun: boolean;
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
  counts?: Record<NodeStatus, number>;
  resumes: number;
  /** `sha1:<hex>` of the workflow copy: resume refuses a copy that changed (a check against edits, not attacks). */
  workflowHash: string;
}

export interface RunSummary extends Omit<RunMeta, 'status'> {
  /** `interrupted`: run.json says running but no live process holds the run (it crashed or was killed). */
  status: RunStatus | 'interrupted';
}

export function runsDir(projectDir: string): string {
  return path.join(projectDir, '.actiongraph', 'runs');
}

export function runDir(projectDir: string, runId: string): string {
  return path.join(runsDir(projectDir), runId);
}

/** Sortable run ids: UTC time to the millisecond, then randomness (`20260102-030405-678-k3j9x2ab`). */
export function newRunId(now: Date = new Date()): string {
  const iso = now.toISOString(); // 2026-01-02T03:04:05.678Z
  const stamp = `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}-${iso.slice(20, 23)}`;
  return `${stamp}-${randomBytes(5).toString('hex').slice(0, 8)}`;
}

const RUN_ID = /^[\w.-]+$/u;

/** A run id from a user, checked so it cannot walk out of the runs folder. */
export function checkRunId(runId: string): string {
  if (!RUN_ID.test(runId) || runId === '.' || runId === '..') {
    throw new RunError('RUN_NOT_FOUND', `run "${runId}": not a run id`, { exitCode: 2 });
  }
  return runId;
}

/** Up to this many nodes, a workflow built in code is copied indented, for people; bigger ones compact (far quicker). */
const INDENTED_COPY_MAX_NODES = 500;

/**
 * Writes the run's copy of its workflow (the copy resume runs) and returns its hash. `text` is the file the workflow
 * was parsed from, when there is one: it is written verbatim, which on big graphs saves most of the cost of starting
 * a journaled run; a workflow built in code is serialized by the graph module.
 */
export function writeWorkflowCopy(dir: string, workflow: Workflow, text?: string): string {
  const bytes = Buffer.from(text ?? serializeWorkflow(workflow, { compact: workflow.nodes.size > INDENTED_COPY_MAX_NODES }));
  writeFileAtomicSync(path.join(dir, WORKFLOW_COPY), bytes);
  return hashOf(bytes);
}

export function hashOf(bytes: Buffer): string {
  return `sha1:${createHash('sha1').update(bytes).digest('hex')}`;
}

/** Reads the run's copy of its workflow back, checking it is the one the run started with. */
export function readWorkflowCopy(dir: string, expectedHash: string): Workflow {
  const file = path.join(dir, WORKFLOW_COPY);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    throw new RunError('RUN_CORRUPT', `${file}: cannot read the run's workflow copy: ${(error as Error).message}`, { exitCode: 2 });
  }
  if (hashOf(bytes) !== expectedHash) {
    throw new RunError('WORKFLOW_CHANGED', `${file}: the run's workflow copy was changed since the run started; refusing to resume`, {
      exitCode: 2,
    });
  }
  // A workflow file like any other (possibly JSON5, when the run started from a file's text): the graph module parses
  // it, keeping node order and treating an id like `__proto__` as an id.
  try {
    return parseWorkflow(bytes.toString('utf8'), file);
  } catch (error) {
    throw new RunError('RUN_CORRUPT', `${(error as Error).message} (the run's workflow copy is unusable; cannot resume)`, {
      exitCode: 2,
      cause: error,
    });
  }
}

/** A run's workflow copy and metadata, e.g. to resolve its secrets before resumeRun. */
export function readRunWorkflow(projectDir: string, runId: string): { workflow: Workflow; meta: RunMeta } {
  const meta = readRunMeta(projectDir, runId);
  return { workflow: readWorkflowCopy(runDir(projectDir, runId), meta.workflowHash), meta };
}

export function writeRunMeta(dir: string, meta: RunMeta): void {
  writeFileAtomicSync(path.join(dir, RUN_META), `${JSON.stringify(meta, null, 2)}\n`);
}

export function readRunMeta(projectDir: string, runId: string): RunMeta {
  checkRunId(runId);
  const dir = runDir(projectDir, runId);
  // Messages name the run folder relative to the project, as a person finds it.
  const file = path.relative(projectDir, path.join(dir, RUN_META));
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, RUN_META), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      if (fs.existsSync(dir)) {
        throw new RunError('RUN_CORRUPT', `${path.relative(projectDir, dir)}: not a run folder (it has no ${RUN_META})`, { exitCode: 2 });
      }
      const known = safeList(projectDir);
      throw new RunError('RUN_NOT_FOUND', `run "${runId}" not found in ${path.relative(projectDir, runsDir(projectDir))}${didYouMean(runId, known)}`, {
        exitCode: 2,
      });
    }
    throw new RunError('RUN_CORRUPT', `${file}: cannot read: ${code ?? (error as Error).message}`, { exitCode: 2 });
  }
  return parseRunMeta(text, file, runId);
}

const RUN_STATUSES: readonly string[] = ['running', 'waiting', 'succeeded', 'failed', 'cancelled'] satisfies RunStatus[];

/**
 * run.json's text as a run record; RunError RUN_CORRUPT naming the file when it is not one (hand-edited, cut short,
 * another folder's). Only the fields `runs` and resume rely on are checked.
 */
function parseRunMeta(text: string, file: string, runId: string): RunMeta {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RunError('RUN_CORRUPT', `${file}: not JSON: ${(error as Error).message}`, { exitCode: 2 });
  }
  const corrupt = (reason: string): never => {
    throw new RunError('RUN_CORRUPT', `${file}: not a run record (${reason})`, { exitCode: 2 });
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return corrupt('expected a JSON object');
  const meta = value as Record<string, unknown>;
  const notText = ['runId', 'createdAt', 'workflowHash'].filter((field) => typeof meta[field] !== 'string');
  if (notText.length > 0) corrupt(`${notText.map((field) => `"${field}"`).join(', ')} missing or not text`);
  if (meta.runId !== runId) corrupt(`its runId "${String(meta.runId)}" is not its folder's name "${runId}"`);
  if (!RUN_STATUSES.includes(meta.status as string)) corrupt(`"status" is not one of ${RUN_STATUSES.join(', ')}`);
  return value as RunMeta;
}

function safeList(projectDir: string): string[] {
  try {
    return fs.readdirSync(runsDir(projectDir));
  } catch {
    return [];
  }
}

interface LockOwner {
  pid: number;
  host: string;
}

/** Whether the process named in a lock still runs (a lock from another machine counts as live: we cannot tell). */
function ownerAlive(owner: LockOwner): boolean {
  if (owner.host !== os.hostname()) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(dir: string): LockOwner | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

/** Takes the run's lock (exclusive create); a lock left by a dead process is taken over. */
export function acquireLock(dir: string, runId: string): void {
  const file = path.join(dir, LOCK_FILE);
  for (let tries = 0; tries < 2; tries++) {
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, JSON.stringify({ pid: process.pid, host: os.hostname() }));
      fs.closeSync(fd);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readLock(dir);
      if (owner && ownerAlive(owner)) {
        throw new RunError(
          'RUN_LOCKED',
          `run "${runId}" is being run by process ${owner.pid} on ${owner.host}; if it is not, delete ${file}`,
          { exitCode: 2 },
        );
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new RunError('RUN_LOCKED', `run "${runId}": cannot take the lock ${file}`, { exitCode: 2 });
}

export function releaseLock(dir: string): void {
  fs.rmSync(path.join(dir, LOCK_FILE), { force: true });
}

/** Every run in the project, oldest first. A folder whose run.json is unusable is skipped, and `onSkipped` says why. */
export function listRuns(projectDir: string, options: { onSkipped?: (problem: RunError) => void } = {}): RunSummary[] {
  const out: RunSummary[] = [];
  for (const runId of safeList(projectDir).sort()) {
    const dir = runDir(projectDir, runId);
    let text: string;
    try {
      text = fs.readFileSync(path.join(dir, RUN_META), 'utf8');
    } catch {
      continue; // not a run folder (or one whose creation was cut short before run.json existed)
    }
    let meta: RunMeta;
    try {
      meta = parseRunMeta(text, path.relative(projectDir, path.join(dir, RUN_META)), runId);
    } catch (error) {
      options.onSkipped?.(error as RunError);
      continue;
    }
    let status: RunSummary['status'] = meta.status;
    if (status === 'running') {
      const owner = readLock(dir);
      if (!owner || !ownerAlive(owner)) status = 'interrupted';
    }
    out.push({ ...meta, status });
  }
  return out;
}

export function isFinal(status: RunStatus): status is FinalRunStatus {
  return status !== 'running';
}
