// control.delay: waits, then passes its input on unchanged; the run's abort signal ends the wait early.
import { z } from 'zod';
import { defineAction } from '../define.js';

/** The largest delay setTimeout can hold (about 24.8 days). */
const MAX_DELAY_MS = 2_147_483_647;

export const controlDelayAction = defineAction({
  name: 'control.delay',
  description: 'Wait data.ms milliseconds, then pass the input on unchanged. Cancelling the run ends the wait.',
  data: z.object({ ms: z.number().int().min(0).max(MAX_DELAY_MS).describe('how long to wait') }).strict(),
  output: z.unknown(),
  effects: 'none',
  examples: ['wait a minute', 'pause before the next step'],
  async run({ data, input, signal }) {
    await sleep(data.ms, signal);
    return input;
  },
});

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
