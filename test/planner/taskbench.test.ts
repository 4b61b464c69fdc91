// The TaskBench adapter: tools become actions, gold records become TaskGraphs, and the reference sample (when it is
// on this machine) loads and plans offline into valid workflows.
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ActionRegistry } from '../../src/actions/registry.js';
import { DatasetError } from '../../src/errors.js';
import { validateWorkflow } from '../../src/graph/validate.js';
import { OfflinePlanner } from '../../src/planner/offline.js';
import { goldGraph, loadTaskbench, parseTools, taskbenchActions } from '../../src/planner/taskbench.js';

const TOOLS = {
  nodes: [
    { id: 'get_weather', desc: 'Get the weather for a specific city and a specific day', parameters: [{ name: 'location', type: 'string', desc: 'The location' }, { name: 'date', type: 'date', desc: 'The date' }] },
    { id: 'send_sms', desc: 'Send an sms to a specific phone number', parameters: [{ name: 'phone_number', type: 'string', desc: 'The phone number' }, { name: 'content', type: 'string', desc: 'The content' }] },
  ],
};

describe('TaskBench adapter', () => {
  it('registers each tool as an action whose data needs every parameter', () => {
    const registry = new ActionRegistry();
    for (const action of taskbenchActions(parseTools(TOOLS))) registry.register(action);
    expect(registry.names()).toEqual(['taskbench.get_weather', 'taskbench.send_sms']);
    const weather = registry.require('taskbench.get_weather');
    expect(weather.data.safeParse({ location: 'Paris', date: '2023-01-01' }).success).toBe(true);
    expect(weather.data.safeParse({ location: 'Paris' }).success).toBe(false);
  });

  it('rejects a malformed tool list with a dataset error', () => {
    expect(() => parseTools({ nodes: [{ id: 1 }] })).toThrow(DatasetError);
  });

  it('reads gold graphs and plans requests into valid workflows', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'actiongraph-taskbench-'));
    try {
      await writeFile(path.join(dir, 'tool_desc.json'), JSON.stringify(TOOLS));
      await writeFile(
        path.join(dir, 'samples.jsonl'),
        `${JSON.stringify({ id: '1', type: 'chain', task_nodes: [{ task: 'get_weather', arguments: [{ name: 'location', value: 'Paris' }] }, { task: 'send_sms', arguments: [] }], task_links: [{ source: 'get_weather', target: 'send_sms' }] })}\n`,
      );
      await writeFile(path.join(dir, 'user_requests_for_samples.jsonl'), `${JSON.stringify({ id: '1', user_request: 'Get the weather in Paris on 2023-05-01, then send it by SMS to 555-123-4567' })}\n`);
      const { tools, samples } = await loadTaskbench(dir);
      expect(samples).toHaveLength(1);
      expect(samples[0]?.gold).toEqual(
        goldGraph({ task_nodes: [{ task: 'get_weather', arguments: [{ name: 'location', value: 'Paris' }] }, { task: 'send_sms', arguments: [] }], task_links: [{ source: 'get_weather', target: 'send_sms' }] }),
      );
      const registry = new ActionRegistry();
      for (const action of taskbenchActions(tools)) registry.register(action);
      const wf = new OfflinePlanner(registry).plan(samples[0]?.request ?? '');
      expect([...wf.nodes.values()].map((n) => n.action)).toEqual(['taskbench.get_weather', 'taskbench.send_sms']);
      expect(wf.nodes.get('1')?.data).toEqual({ location: 'Paris', date: '2023-05-01' });
      expect((wf.nodes.get('2')?.data as { phone_number?: string }).phone_number).toBe('555-123-4567');
      expect(validateWorkflow(wf, { catalog: registry }).filter((p) => p.severity === 'error')).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  const reference = '/work/shared/reference/taskbench';
  it('the reference sample (when present): every request plans into a valid workflow', async () => {
    const present = await access(path.join(reference, 'tool_desc.json')).then(() => true, () => false);
    if (!present) return;
    const { tools, samples } = await loadTaskbench(reference);
    expect(tools).toHaveLength(40);
    const registry = new ActionRegistry();
    for (const action of taskbenchActions(tools)) registry.register(action);
    const planner = new OfflinePlanner(registry);
    for (const sample of samples) {
      const wf = planner.plan(sample.request);
      expect(validateWorkflow(wf, { catalog: registry }).filter((p) => p.severity === 'error')).toEqual([]);
    }
  });
});
