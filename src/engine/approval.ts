// The approval gate: a workflow may come from a model, so actions that write to the outside world (post, send,
// write files) run only once a human said yes, through the same IO port as any other question.
import type { AnyActionDefinition, AskRequest } from '../actions/define.js';

/** `write`: ask before every node whose action has `effects: "write"`; `none`: never ask (trusted workflows). */
export type ApprovalPolicy = 'write' | 'none';

const PREVIEW_CHARS = 160;

/** The confirmation asked before a write node runs, showing what it is about to do. */
export function approvalRequest(nodeId: string, action: AnyActionDefinition, data: unknown, input: unknown): AskRequest {
  const what = [data === undefined ? '' : `data ${preview(data)}`, input === undefined ? '' : `input ${preview(input)}`].filter(Boolean);
  const withWhat = what.length === 0 ? '' : ` with ${what.join(' and ')}`;
  return { kind: 'confirm', message: `Run node "${nodeId}" (${action.name}, writes)${withWhat}?`, default: false };
}

function preview(data: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(data) ?? 'no data';
  } catch {
    text = String(data);
  }
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS - 1)}…` : text;
}
