// The CLI's view of its process: streams, folder and exit code, so commands are testable in-process too.

export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Set by commands: 0 success, 1 the workflow ran and failed, 2 bad input or usage. */
  exitCode: number;
  /** --debug: print stack traces. */
  debug: boolean;
}

export function out(io: CliIO, text: string): void {
  io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function err(io: CliIO, text: string): void {
  io.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** `text` as one shell word: as it is when that is safe, else single-quoted, so a printed command can be pasted. */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/u.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

// C0 controls but tab and newline, DEL and C1 controls: what a terminal obeys rather than shows.
// eslint-disable-next-line no-control-regex
const TERMINAL_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/gu;

/**
 * Text from a run (a web page, a model, graph data) as a terminal should get it: controls written out
 * (`\u001b`). An escape sequence could otherwise rewrite the lines above (a question already answered), set the
 * window title or, through OSC 52, the clipboard. Outputs and --json keep the text exactly.
 */
export function visibleControls(text: string): string {
  return text.replace(/\r\n/gu, '\n').replace(TERMINAL_CONTROLS, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
