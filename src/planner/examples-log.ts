// Training data from use: every accepted generation or edit becomes one chat example in
// .actiongraph/examples.jsonl, in the seed's format ({"messages": [system, user, assistant]}).
import { appendFile, mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import type { ChatMessage } from '../actions/define.js';

export const EXAMPLES_FILE = path.join('.actiongraph', 'examples.jsonl');

export interface TrainingExample {
  messages: ChatMessage[];
}

export function trainingExample(system: string, user: string, assistant: string): TrainingExample {
  return {
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: user },
      { role: 'assistant', content: assistant },
    ],
  };
}

/**
 * Appends one line. An append-only log is written with a single append rather than temp-file-and-rename (which
 * would rewrite the whole file each time); a line cut short by a crash is closed off before the next one, so
 * one bad line never swallows the next.
 */
export async function appendExample(projectDir: string, example: TrainingExample): Promise<string> {
  const file = path.join(projectDir, EXAMPLES_FILE);
  await mkdir(path.dirname(file), { recursive: true });
  const prefix = (await endsMidLine(file)) ? '\n' : '';
  await appendFile(file, `${prefix}${JSON.stringify(example)}\n`, 'utf8');
  return file;
}

async function endsMidLine(file: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'r');
    const { size } = await handle.stat();
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  } finally {
    await handle?.close();
  }
}
