// input.choice: a person picks one of a fixed list; edges route on the `choice` field of the output.
import { z } from 'zod';
import { ActionError } from '../../errors.js';
import { defineAction } from '../define.js';

const ChoiceSchema = z.union([
  z.string().min(1),
  z.object({ value: z.string().min(1), label: z.string().optional() }).strict(),
]);

export const inputChoiceAction = defineAction({
  name: 'input.choice',
  description:
    'Ask a person to pick one of a list of choices. Outputs {choice} (the value); route with ' +
    'edges like {"when": {"path": "choice", "equals": "<value>"}}.',
  data: z
    .object({
      prompt: z.string().optional().describe('the question shown to the person'),
      choices: z.array(ChoiceSchema).min(1).describe('values, or {value, label} pairs'),
      default: z.string().optional().describe('the value chosen with --yes; defaults to the first'),
    })
    .strict()
    .superRefine((data, ctx) => {
      const values = data.choices.map(choiceValue);
      const seen = new Set<string>();
      values.forEach((value, index) => {
        if (seen.has(value)) ctx.addIssue({ code: 'custom', path: ['choices', index], message: `duplicate choice "${value}"` });
        seen.add(value);
      });
      if (data.default !== undefined && !seen.has(data.default)) {
        ctx.addIssue({ code: 'custom', path: ['default'], message: `default "${data.default}" is not one of the choices` });
      }
    }),
  output: z.object({ choice: z.string() }),
  effects: 'none',
  examples: ['ask the user which option to take'],
  async run({ data, io }) {
    const choices = data.choices.map((choice) =>
      typeof choice === 'string' ? { value: choice } : { value: choice.value, ...(choice.label ? { label: choice.label } : {}) },
    );
    const answer = await io.ask({
      kind: 'choice',
      message: data.prompt ?? 'Choose one',
      choices,
      default: data.default ?? choices[0]?.value ?? '',
    });
    if (typeof answer !== 'string' || !choices.some((choice) => choice.value === answer)) {
      throw new ActionError('BAD_ANSWER', `input.choice: ${JSON.stringify(answer)} is not one of the choices`, {
        retryable: true,
      });
    }
    return { choice: answer };
  },
});

function choiceValue(choice: z.infer<typeof ChoiceSchema>): string {
  return typeof choice === 'string' ? choice : choice.value;
}
