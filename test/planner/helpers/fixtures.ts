// Shared planner test fixtures: a small registry of test actions, temp project folders, model configs.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { defineAction } from '../../../src/actions/define.js';
import { ActionRegistry } from '../../../src/actions/registry.js';
import { type ModelConfig, modelConfig } from '../../../src/planner/model-config.js';

export function testRegistry(): ActionRegistry {
  const registry = new ActionRegistry();
  registry.register(
    defineAction({
      name: 'input.text',
      description: 'Provide text to the workflow: data is the text, or {prompt} to ask a person',
      data: z.union([z.string(), z.object({ prompt: z.string().optional() }).strict()]).optional(),
      output: z.object({ text: z.string() }),
      examples: ['ask the user for a topic'],
      run: ({ data }) => ({ text: typeof data === 'string' ? data : '' }),
    }),
  );
  registry.register(
    defineAction({
      name: 'web.fetch',
      description: 'Fetch a web page and output its text',
      data: z.object({ url: z.string().url(), timeoutMs: z.number().int().positive().optional() }).strict(),
      output: z.object({ text: z.string() }),
      effects: 'read',
      examples: ['fetch a web page', 'download the page'],
      run: () => ({ text: '' }),
    }),
  );
  registry.register(
    defineAction({
      name: 'text.summarize',
      description: 'Summarise the incoming text',
      data: z.object({ sentences: z.number().int().min(1).max(10).optional() }).strict().optional(),
      output: z.object({ text: z.string() }),
      examples: ['summarise the text', 'make a short summary'],
      run: () => ({ text: '' }),
    }),
  );
  registry.register(
    defineAction({
      name: 'confirm.edit',
      description: 'A person approves, edits or rejects the text. Outputs {approved, text}',
      data: z.object({ prompt: z.string().optional() }).strict().optional(),
      output: z.object({ approved: z.boolean(), text: z.string() }),
      examples: ['let me review it', 'ask for approval'],
      run: () => ({ approved: true, text: '' }),
    }),
  );
  registry.register(
    defineAction({
      name: 'output.file',
      description: 'Save the incoming text to a file',
      data: z.object({ path: z.string().min(1), append: z.boolean().optional() }).strict(),
      output: z.object({ path: z.string() }),
      effects: 'write',
      examples: ['save the result to a file', 'write it to out/summary.md'],
      run: ({ data }) => ({ path: data.path }),
    }),
  );
  registry.register(
    defineAction({
      name: 'output.console',
      description: 'Print text to the console',
      data: z.union([z.string(), z.object({ text: z.string().optional() }).strict()]).optional(),
      output: z.object({ text: z.string() }),
      examples: ['print the result', 'show the answer'],
      run: () => ({ text: '' }),
    }),
  );
  registry.register(
    defineAction({
      name: 'http.post',
      description: 'POST JSON to a webhook',
      data: z.object({ url: z.string(), headers: z.record(z.string(), z.string()).optional() }).strict(),
      effects: 'write',
      examples: ['post the result to a webhook'],
      run: () => ({}),
    }),
  );
  return registry;
}

/** `count` generated actions, for the large-catalog cases. */
export function generatedRegistry(count: number): ActionRegistry {
  const registry = new ActionRegistry();
  for (let i = 0; i < count; i++) {
    registry.register(
      defineAction({
        name: `gen.action_${String(i).padStart(3, '0')}`,
        description: `Generated action number ${i}: does thing ${i} with a target and an optional count`,
        data: z
          .object({
            target: z.string().describe('what to act on'),
            count: z.number().int().optional(),
            mode: z.enum(['fast', 'slow']).optional(),
          })
          .strict(),
        run: () => ({}),
      }),
    );
  }
  return registry;
}

export async function tempProject(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'actiongraph-planner-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function localModel(baseURL: string, model = 'test-model', apiKey?: string): ModelConfig {
  return modelConfig({
    provider: undefined,
    model,
    baseURL,
    apiKeyEnv: 'OPENAI_API_KEY',
    requiresKey: false,
    ...(apiKey === undefined ? {} : { apiKey }),
  });
}

/** A sleep that records what it was asked to wait and returns at once. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms: number) => {
      waits.push(ms);
    },
  };
}
