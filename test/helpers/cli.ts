// Test helpers for the CLI: run it in-process with collected output, or as a real subprocess of bin/actiongraph.js.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/io.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `actiongraph ...args` in this process with string-collecting streams. */
export async function runInProcess(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; stdin?: string } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const outStream = new PassThrough();
  const errStream = new PassThrough();
  outStream.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  errStream.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const stdin = new PassThrough();
  stdin.end(options.stdin ?? '');
  const io: CliIO = {
    stdout: outStream,
    stderr: errStream,
    stdin,
    cwd: options.cwd ?? repoRoot,
    env: options.env ?? {},
    exitCode: 0,
    debug: false,
  };
  const code = await main(['node', 'actiongraph', ...args], io);
  return { code, stdout, stderr };
}

/** Runs the built CLI (`node bin/actiongraph.js`) as a subprocess. */
export function runSubprocess(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; stdin?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin/actiongraph.js'), ...args], {
      cwd: options.cwd ?? repoRoot,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 15_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    child.stdin.end(options.stdin ?? '');
  });
}
