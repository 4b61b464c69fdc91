// Security: a run prints text that often comes from a web page or a model. On the terminal, control sequences in
// it are shown, not obeyed (the CLI's printer escapes them); outputs and --json keep the text exactly.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { visibleControls } from '../../src/cli/io.js';
import { runInProcess } from '../helpers/cli.js';

const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/u;

describe('terminal controls in printed text', () => {
  it.each([
    ['an OSC 52 clipboard write', 'hi\u001b]52;c;ZWNobyBwd25lZA==\u0007'],
    ['a line erase and carriage return that fake an answered question', 'Run node "x"?\u001b[2K\rall good'],
    ['a C1 control sequence introducer', 'a\u009b31mred'],
    ['a backspace run', 'rm -rf /\b\b\b\b\b\b\b\bls     '],
  ])('writes out %s', (_, text) => {
    const shown = visibleControls(text);
    expect(shown).not.toMatch(CONTROLS);
    expect(shown).toMatch(/\\u00(1b|9b|08)/u);
  });

  it('leaves ordinary text alone: newlines, tabs, Windows line ends, Unicode', () => {
    expect(visibleControls('a\tb\r\nc\nd — é 中 😀')).toBe('a\tb\nc\nd — é 中 😀');
  });

  describe('actiongraph run', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'actiongraph-terminal-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('prints output.console text escaped; --json keeps it exactly', async () => {
      const text = 'hi\u001b]52;c;ZWNobyBwd25lZA==\u0007';
      await writeFile(path.join(dir, 'w.json'), JSON.stringify({ nodes: { say: { action: 'output.console', data: text } }, edges: [] }));
      const human = await runInProcess(['run', 'w.json'], { cwd: dir });
      expect(human.code).toBe(0);
      expect(human.stdout).not.toMatch(CONTROLS);
      expect(human.stdout).toContain('hi\\u001b]52;c;ZWNobyBwd25lZA==\\u0007\n');
      const json = await runInProcess(['run', 'w.json', '--json'], { cwd: dir });
      const result = JSON.parse(json.stdout.trim().split('\n').at(-1)!) as { outputs: Record<string, { text: string }> };
      expect(result.outputs.say!.text).toBe(text);
    });
  });
});
