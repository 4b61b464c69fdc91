// confirm.edit: a person reviews the incoming text and approves, edits or rejects it (the seed's node 3).
import { z } from 'zod';
import { ActionError } from '../../errors.js';
import { defineAction } from '../define.js';
import { inputText } from '../text.js';

export const confirmEditAction = defineAction({
  name: 'confirm.edit',
  description:
    'Show the incoming text to a person, who approves it, edits it or rejects it (by clearing the text, or by ' +
    'declining when data.edit is false). Outputs {approved, text, edited}. A rejection fails the node with ' +
    'REJECTED, unless data.onReject is "skip": then the output is {approved: false, ...} and edges route on it ' +
    'with {"when": {"path": "approved", "equals": true}} (or false).',
  data: z
    .object({
      prompt: z.string().optional().describe('the message shown above the text'),
      edit: z.boolean().default(true).describe('false: only approve or reject, no editing'),
      onReject: z
        .enum(['fail', 'skip'])
        .default('fail')
        .describe('"fail": the node fails; "skip": output {approved: false} for edges to route on'),
    })
    .strict()
    .prefault({}),
  output: z.object({
    approved: z.boolean(),
    text: z.string().describe('the approved (possibly edited) text; the original when rejected'),
    edited: z.boolean(),
  }),
  effects: 'none',
  examples: ['let me review and edit the text before it is posted', 'ask for approval'],
  async run({ data, input, io, node }) {
    const original = inputText(input);
    let approved: boolean;
    let text = original;
    if (data.edit) {
      // An empty answer rejects, as an empty commit message aborts a git commit.
      const answer = await io.ask({
        kind: 'edit',
        message: data.prompt ?? 'Review the text: save it as is to approve, change it to edit, clear it to reject',
        default: original,
      });
      if (typeof answer === 'boolean') {
        approved = answer;
      } else {
        approved = answer.trim() !== '';
        if (approved) text = answer;
      }
    } else {
      const answer = await io.ask({
        kind: 'confirm',
        message: `${data.prompt ?? 'Approve this text?'}\n\n${original}`,
        default: true,
      });
      approved = typeof answer === 'boolean' ? answer : /^(y|yes|true|ok)$/iu.test(answer.trim());
    }
    if (!approved) {
      if (data.onReject === 'skip') return { approved: false, text: original, edited: false };
      throw new ActionError('REJECTED', `node "${node.id}": the text was rejected`, { retryable: false });
    }
    return { approved: true, text, edited: text !== original };
  },
});
