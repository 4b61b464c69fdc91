// Dry runs (effectful actions sampled, not called) and secrets (resolved up front, redacted everywhere).
import { describe, expect, it } from 'vitest';
import { RunError } from '../../src/errors.js';
import { REDACTED } from '../../src/engine/redact.js';
import { startRun } from '../../src/engine/index.js';
import { echo, leaky, writer } from './actions.js';
import { ofType, record, registryOf, workflow } from './helpers.js';

describe('dry run', () => {
  it('calls effects "none" actions, samples "read"/"write" ones from their output schema, and says so', async () => {
    const w = writer();
    const wf = workflow({ a: { action: 't.echo', data: { text: 'hi' } }, w: { action: 't.write', data: { text: '{{input.text}}' } }, after: { action: 't.echo' } }, [
      { from: 'a', to: 'w' },
      { from: 'w', to: 'after' },
    ]);
    // No WRITE_TOKEN in the environment: a dry run does not need it.
    const handle = startRun({ workflow: wf, registry: registryOf(echo, w.action), journal: false, env: {}, dryRun: true });
    const events = record(handle);
    const result = await handle.done;
    expect(result.status).toBe('succeeded');
    expect(w.calls).toBe(0);
    expect(result.outputs.get('w')).toEqual({ id: 'sample', count: 1 });
    expect(result.outputs.get('after')).toEqual({ id: 'sample', count: 1 });
    expect(ofType(events, 'run.started')[0]!.dryRun).toBe(true);
    expect(ofType(events, 'node.succeeded').map((e) => [e.nodeId, e.sampled === true])).toEqual([
      ['a', false],
      ['w', true],
      ['after', false],
    ]);
  });

  it('still checks the data of sampled nodes', async () => {
    const w = writer();
    const wf = workflow({ w: { action: 't.write', data: { text: 42 } } });
    const result = await startRun({ workflow: wf, registry: registryOf(w.action), journal: false, env: {}, dryRun: true }).done;
    expect(result.failures[0]).toMatchObject({ nodeId: 'w', error: { code: 'DATA_INVALID', path: ['data', 'text'] } });
  });

  it('a real run needs the secret', async () => {
    const w = writer();
    const wf = workflow({ w: { action: 't.write', data: { text: 'x' } } });
    expect(() => startRun({ workflow: wf, registry: registryOf(w.action), journal: false, env: {} })).toThrow(RunError);
    const result = await startRun({ workflow: wf, registry: registryOf(w.action), journal: false, env: { WRITE_TOKEN: 'write-token' }, approval: 'none' }).done;
    expect(result.outputs.get('w')).toEqual({ id: 'real', count: 1 });
    expect(w.calls).toBe(1);
  });
});

describe('secrets', () => {
  it('a missing secret fails before anything runs, naming node, action and variable (exit 2)', () => {
    const wf = workflow({ first: { action: 't.echo' }, l: { action: 't.leaky' } });
    let error: RunError | undefined;
    try {
      startRun({ workflow: wf, registry: registryOf(echo, leaky), journal: false, env: { OTHER: 'x' } });
    } catch (caught) {
      error = caught as RunError;
    }
    expect(error).toBeInstanceOf(RunError);
    expect(error).toMatchObject({ code: 'SECRET_MISSING', nodeId: 'l', exitCode: 2 });
    expect(error!.message).toContain('node "l"');
    expect(error!.message).toContain('t.leaky');
    expect(error!.message).toContain('LEAKY_TOKEN');
  });

  it('an empty value counts as missing', () => {
    expect(() => startRun({ workflow: workflow({ l: { action: 't.leaky' } }), registry: registryOf(leaky), journal: false, env: { LEAKY_TOKEN: '' } })).toThrow(
      expect.objectContaining({ code: 'SECRET_MISSING' }),
    );
  });

  it('hands the action its secret and redacts the value from events, outputs and errors', async () => {
    const token = 's3cr3t-"quoted"-token';
    const wf = workflow({ ok: { action: 't.leaky' }, bad: { action: 't.leaky', data: 'fail', onError: 'continue' } });
    const handle = startRun({ workflow: wf, registry: registryOf(leaky), journal: false, env: { LEAKY_TOKEN: token } });
    const events = record(handle);
    const result = await handle.done;
    const everything = JSON.stringify(events) + JSON.stringify([...result.outputs]) + JSON.stringify(result.failures);
    expect(everything).not.toContain('s3cr3t');
    expect(result.outputs.get('ok')).toEqual({ echoed: `token=${REDACTED}` });
    expect(result.failures[0]!.error.message).toBe(`bad token ${REDACTED}`);
    expect(ofType(events, 'node.log')[0]).toMatchObject({ message: `using token ${REDACTED}`, fields: { token: REDACTED } });
  });

  it('values too short to be secrets are not redacted (they would mangle every output)', async () => {
    const result = await startRun({ workflow: workflow({ l: { action: 't.leaky' } }), registry: registryOf(leaky), journal: false, env: { LEAKY_TOKEN: 'o' } }).done;
    expect(result.outputs.get('l')).toEqual({ echoed: 'token=o' });
  });

  it('secrets are read only under names actions declare', async () => {
    const reads: string[] = [];
    const env = new Proxy({ LEAKY_TOKEN: 'v', HOME: '/root' } as Record<string, string>, {
      get(target, key) {
        reads.push(String(key));
        return target[key as string];
      },
    });
    await startRun({ workflow: workflow({ l: { action: 't.leaky', data: '{{input}}' } }), registry: registryOf(leaky), journal: false, env }).done;
    expect(new Set(reads)).toEqual(new Set(['LEAKY_TOKEN']));
  });
});
