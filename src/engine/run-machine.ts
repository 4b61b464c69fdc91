// The run's lifecycle as an xstate machine. It owns the run states and their transitions (running, waiting for
// input, succeeded, failed, cancelled, stopped waiting) and invokes the scheduler as a callback actor: the scheduler
// sends lifecycle events only (a failure, a question asked or answered, a node parked, all settled), never one
// event per node, and stopping the machine (a final state, `cancel`, or `actor.stop()`) halts the scheduler.
import { assign, fromCallback, setup, type ActorRefFrom, type SnapshotFrom } from 'xstate';
import type { FinalRunStatus, RunStatus } from './events.js';
import type { Scheduler } from './scheduler.js';

export type RunMachineEvent =
  | { type: 'NODE_FAILED'; nodeId: string; stopsRun: boolean }
  | { type: 'INPUT_ASKED'; nodeId: string }
  | { type: 'INPUT_ANSWERED'; nodeId: string }
  | { type: 'INPUT_PARKED'; nodeId: string }
  | { type: 'ALL_SETTLED' }
  | { type: 'CANCEL'; reason: string };

export interface RunMachineContext {
  scheduler: Scheduler;
  /** Nodes that failed for good. */
  failures: number;
  /** Questions open right now (a person is being asked). */
  asking: number;
  /** Nodes parked until someone answers them (headless). */
  parked: number;
  cancelReason: string | undefined;
}

const schedulerActor = fromCallback<RunMachineEvent, { scheduler: Scheduler }>(({ input, sendBack }) => {
  const { scheduler } = input;
  scheduler.attach({
    nodeFailed: (nodeId, stopsRun) => sendBack({ type: 'NODE_FAILED', nodeId, stopsRun }),
    inputAsked: (nodeId) => sendBack({ type: 'INPUT_ASKED', nodeId }),
    inputAnswered: (nodeId) => sendBack({ type: 'INPUT_ANSWERED', nodeId }),
    inputParked: (nodeId) => sendBack({ type: 'INPUT_PARKED', nodeId }),
    settled: () => sendBack({ type: 'ALL_SETTLED' }),
  });
  scheduler.start();
  // Runs whenever the machine leaves `active`: a final state, or the actor being stopped from outside.
  return () => scheduler.halt('cancelled');
});

export const runMachine = setup({
  types: {
    context: {} as RunMachineContext,
    events: {} as RunMachineEvent,
    input: {} as { scheduler: Scheduler },
  },
  actors: { scheduler: schedulerActor },
  guards: {
    stopsRun: ({ event }) => event.type === 'NODE_FAILED' && event.stopsRun,
    someoneAsking: ({ context }) => context.asking > 0,
    nobodyAsking: ({ context }) => context.asking === 0,
    anyFailed: ({ context }) => context.failures > 0,
    anyParked: ({ context }) => context.parked > 0,
  },
  actions: {
    countFailure: assign({ failures: ({ context }) => context.failures + 1 }),
    askOpened: assign({ asking: ({ context }) => context.asking + 1 }),
    askClosed: assign({ asking: ({ context }) => Math.max(0, context.asking - 1) }),
    parked: assign({ parked: ({ context }) => context.parked + 1 }),
    rememberCancel: assign({ cancelReason: ({ event }) => (event.type === 'CANCEL' ? event.reason : undefined) }),
  },
}).createMachine({
  id: 'run',
  context: ({ input }) => ({ scheduler: input.scheduler, failures: 0, asking: 0, parked: 0, cancelReason: undefined }),
  initial: 'active',
  states: {
    active: {
      invoke: { id: 'scheduler', src: 'scheduler', input: ({ context }) => ({ scheduler: context.scheduler }) },
      initial: 'running',
      states: {
        running: { always: { guard: 'someoneAsking', target: 'waitingForInput' } },
        waitingForInput: { always: { guard: 'nobodyAsking', target: 'running' } },
      },
      on: {
        NODE_FAILED: [
          { guard: 'stopsRun', target: 'failed', actions: 'countFailure' },
          { actions: 'countFailure' },
        ],
        INPUT_ASKED: { actions: 'askOpened' },
        INPUT_ANSWERED: { actions: 'askClosed' },
        INPUT_PARKED: { actions: 'parked' },
        CANCEL: { target: 'cancelled', actions: 'rememberCancel' },
        ALL_SETTLED: [
          { guard: 'anyFailed', target: 'failed' },
          { guard: 'anyParked', target: 'waiting' },
          { target: 'succeeded' },
        ],
      },
    },
    succeeded: { type: 'final' },
    failed: { type: 'final' },
    cancelled: { type: 'final' },
    /** Stopped with nodes parked for input; resumable with answers. */
    waiting: { type: 'final' },
  },
});

export type RunActor = ActorRefFrom<typeof runMachine>;
export type RunMachineSnapshot = SnapshotFrom<typeof runMachine>;

/** The run status a machine snapshot stands for. A stopped actor that never reached a final state was cancelled. */
export function runStatusOf(snapshot: RunMachineSnapshot): RunStatus {
  if (snapshot.status === 'stopped') return 'cancelled';
  if (snapshot.matches({ active: 'waitingForInput' })) return 'waiting';
  if (snapshot.matches('active')) return 'running';
  return snapshot.value as FinalRunStatus;
}
