import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../../src/actions/loader.js';
import { loadWorkflowFile } from '../../src/graph/file.js';
import { validateWorkflow } from '../../src/graph/validate.js';
import { repoRoot } from './plugins/load.js';

describe('example graphs', async () => {
  const files = (await readdir(path.join(repoRoot, 'graphs'))).filter((file) => file.endsWith('.json')).sort();

  it('include the seed graph, the tool picker and the approval workflow', () => {
    expect(files).toEqual(expect.arrayContaining(['approval.json', 'tool-picker.json', 'weather-tweet.json']));
  });

  it.each(files)('%s validates against every built-in and example plugin', async (file) => {
    const { registry, problems } = await createRegistry({ projectDir: repoRoot });
    expect(problems).toEqual([]);
    const { workflow } = await loadWorkflowFile(path.join(repoRoot, 'graphs', file));
    expect(validateWorkflow(workflow, { catalog: registry })).toEqual([]);
    if (file !== 'weather-tweet.json') {
      // Our own examples carry their task: a name and a description.
      expect(workflow.name).toBeTruthy();
      expect(workflow.description).toBeTruthy();
    }
  });

  it('approval.json needs no secrets and no model, so it runs offline', async () => {
    const { registry } = await createRegistry({ projectDir: repoRoot });
    const { workflow } = await loadWorkflowFile(path.join(repoRoot, 'graphs', 'approval.json'));
    for (const [id, node] of workflow.nodes) {
      const action = registry.require(node.action);
      expect(action.secrets, `node ${id}`).toEqual([]);
      expect(action.name.startsWith('llm.'), `node ${id}`).toBe(false);
    }
  });
});
