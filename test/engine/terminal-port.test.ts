// The line prompt `actiongraph run` uses on a terminal (stdin and stdout both TTYs).
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { terminalPort } from '../../src/cli/commands/run.js';
import type { CliIO } from '../../src/cli/io.js';

/** A fake terminal; `type` queues keystrokes that are sent once the next question has been printed. */
function tty(): { io: CliIO; type(text: string): void; output(): string } {
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  const stdout = Object.assign(new PassThrough(), { isTTY: true, columns: 80 });
  let written = '';
  const queued: string[] = [];
  stdout.on('data', (chunk: Buffer) => {
    written += chunk.toString();
    // Keys arrive after the prompt is fully set up (a person types after seeing it).
    if (chunk.toString().includes('? node') && queued.length > 0) {
      const keys = queued.shift()!;
      setImmediate(() => stdin.write(keys));
    }
  });
  const io: CliIO = { stdin, stdout, stderr: new PassThrough(), cwd: '/', env: {}, exitCode: 0, debug: false };
  return { io, type: (text) => queued.push(text), output: () => written };
}

const signal = new AbortController().signal;

describe('terminal questions', () => {
  it('asks text with its default in brackets; Enter takes the default', async () => {
    const t = tty();
    t.type('\n');
    const answer = terminalPort(t.io).ask({ kind: 'text', message: 'Topic?', default: 'weather', nodeId: '1' }, signal);
    expect(await answer).toBe('weather');
    expect(t.output()).toContain('? node 1: Topic? [weather]');
  });

  it('confirms with y/n and takes a numbered choice', async () => {
    const t = tty();
    const port = terminalPort(t.io);
    t.type('n\n');
    const confirm = port.ask({ kind: 'confirm', message: 'Post it?', nodeId: '3' }, signal);
    expect(await confirm).toBe(false);
    t.type('2\n');
    const choice = port.ask({ kind: 'choice', message: 'Which?', choices: [{ value: 'a', label: 'Alpha' }, { value: 'b', label: 'Beta' }], nodeId: '4' }, signal);
    expect(await choice).toBe('b');
    expect(t.output()).toContain('2) Beta');
  });

  it('prefills an edit with the text to edit', async () => {
    const t = tty();
    t.type(' two\n');
    const edit = terminalPort(t.io).ask({ kind: 'edit', message: 'Edit:', default: 'draft', nodeId: '5' }, signal);
    expect(await edit).toBe('draft two');
  });

  it('gives up when the run is cancelled', async () => {
    const t = tty();
    const controller = new AbortController();
    const pending = terminalPort(t.io).ask({ kind: 'text', message: 'Never answered', nodeId: '6' }, controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(pending).rejects.toThrow();
  });
});
