import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../../src/actions/loader.js';
import { loadWorkflowFile } from '../../src/graph/file.js';
import { validateWorkflow } from '../../src/graph/validate.js';
import { startRun } from '../../src/engine/index.js';
import { tempDir } from './context.js';
import { repoRoot } from './plugins/load.js';

describe('example graphs', async () => {
  const files = (await readdir(path.join(repoRoot, 'graphs'))).filter((file) => file.endsWith('.json')).sort();
  // One registry for every graph: loading the example plugins compiles them, once is enough.
  const loaded = createRegistry({ projectDir: repoRoot });

  it('include the seed graph, the tool picker and the approval workflow', () => {
    expect(files).toEqual(expect.arrayContaining(['approval.json', 'tool-picker.json', 'weather-tweet.json']));
  });

  it.each(files)('%s validates against every built-in and example plugin', async (file) => {
    const { registry, problems } = await loaded;
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
    const { registry } = await loaded;
    const { workflow } = await loadWorkflowFile(path.join(repoRoot, 'graphs', 'approval.json'));
    for (const [id, node] of workflow.nodes) {
      const action = registry.require(node.action);
      expect(action.secrets, `node ${id}`).toEqual([]);
      expect(action.name.startsWith('llm.'), `node ${id}`).toBe(false);
    }
  });

  it('approval.json runs end to end: approved notes are saved, rejected ones reported', async () => {
    const { registry } = await loaded;
    const { workflow } = await loadWorkflowFile(path.join(repoRoot, 'graphs', 'approval.json'));
    const projectDir = await tempDir();
    const approved = await startRun({
      workflow,
      registry,
      projectDir,
      journal: false,
      answers: { '1': ['Feed the cat'], '3': ['Note\n\nFeed the cat, twice'], '4': ['yes'] },
    }).done;
    expect(approved.status).toBe('succeeded');
    expect(await readFile(path.join(projectDir, 'out/note.md'), 'utf8')).toBe('Note\n\nFeed the cat, twice');

    const rejectedDir = await tempDir();
    const rejected = startRun({ workflow, registry, projectDir: rejectedDir, journal: false, answers: { '1': ['x'], '3': [''] } });
    const outputs = new Map<string, unknown>();
    rejected.subscribe((event) => {
      if (event.type === 'node.succeeded') outputs.set(event.nodeId, event.output);
    });
    expect((await rejected.done).status).toBe('succeeded');
    expect(outputs.get('3')).toMatchObject({ approved: false });
    expect(outputs.get('5')).toEqual({ text: 'The note was rejected; nothing was saved.' });
    expect(outputs.has('4')).toBe(false);
    expect(await readdir(rejectedDir)).toEqual([]);
  });
});
