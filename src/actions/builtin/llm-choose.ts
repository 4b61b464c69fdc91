// llm.choose: the seed's tool picker. The model reads the input and picks one of the labelled outgoing branches
// (or none); edges route with {"when": {"path": "choice", "equals": "<label>"}}.
import { z } from 'zod';
import { ActionError } from '../../errors.js';
import type { Condition } from '../../graph/schema.js';
import { defineAction, type OutgoingEdge } from '../define.js';
import { inputText } from '../text.js';
import { parseModelJson } from './model-output.js';

export const NO_CHOICE = 'none';
const NONE_ANSWERS = new Set(['none', 'no_tool', 'no-tool', 'notool', '']);
/** Keys a model's arguments may not set: `choice` is ours, the rest would read as prototype access downstream. */
const RESERVED_KEYS = new Set(['choice', 'tool', '__proto__', 'constructor', 'prototype']);

interface Choice {
  value: string;
  description?: string;
}

/** The choice values an outgoing edge routes on: `equals`/`in` leaves on path "choice", through any/all/not. */
export function choiceValuesOf(condition: Condition | undefined): string[] {
  if (!condition) return [];
  if ('all' in condition) return condition.all.flatMap(choiceValuesOf);
  if ('any' in condition) return condition.any.flatMap(choiceValuesOf);
  if ('not' in condition) return [];
  if (condition.path !== 'choice') return [];
  const values: unknown[] = [];
  if (condition.equals !== undefined) values.push(condition.equals);
  if (condition.in) values.push(...condition.in);
  return values.filter((value): value is string => typeof value === 'string' && value !== NO_CHOICE);
}

/** The choices: data's own list first, then those the outgoing edges route on (described by the edge label). */
export function collectChoices(declared: readonly Choice[], outgoing: readonly OutgoingEdge[]): Choice[] {
  const choices = new Map<string, Choice>();
  for (const choice of declared) choices.set(choice.value, choice);
  for (const edge of outgoing) {
    for (const value of choiceValuesOf(edge.when)) {
      if (!choices.has(value)) choices.set(value, { value, ...(edge.label && edge.label !== value ? { description: edge.label } : {}) });
    }
  }
  return [...choices.values()];
}

export function choosePrompt(choices: readonly Choice[], instructions: string | undefined, allowNone: boolean): string {
  const lines = [
    instructions ?? "Your job is to decide which tool, if any, the user's message asks for.",
    '',
    'Tools:',
    ...choices.map((choice) => `- ${choice.value}${choice.description ? `: ${choice.description}` : ''}`),
    '',
    'Answer with one JSON object and nothing else: {"tool": "<one of the tools>"}, plus the arguments the tool ' +
      'needs as more fields, for example {"tool": "' + (choices[0]?.value ?? 'name') + '", "query": "..."}.',
  ];
  if (allowNone) lines.push(`When no tool fits, answer {"tool": "${NO_CHOICE}"}.`);
  return lines.join('\n');
}

export const llmChooseAction = defineAction({
  name: 'llm.choose',
  description:
    'Let the configured model pick which branch to take (a tool picker). The choices are data.choices plus the ' +
    'values that outgoing edges route on with {"when": {"path": "choice", "equals": "<value>"}}. Outputs ' +
    '{choice, ...arguments}: the picked value ("none" when nothing fits and data.allowNone is not false) and any ' +
    'arguments the model extracted, e.g. {"choice": "discord_post.youtube", "query": "Peter falling on his knee"}.',
  data: z
    .object({
      instructions: z.string().optional().describe('the system prompt; the list of tools is appended'),
      choices: z
        .array(z.object({ value: z.string().min(1), description: z.string().optional() }).strict())
        .optional()
        .describe('choices with descriptions, in addition to those the outgoing edges name'),
      allowNone: z.boolean().default(true).describe('whether "none" is an answer'),
      temperature: z.number().min(0).max(2).default(0),
    })
    .strict()
    .prefault({}),
  output: z.object({ choice: z.string() }).loose(),
  effects: 'read',
  examples: ['decide which tool to use', 'route the request to the right action'],
  async run({ data, input, model, signal, node }) {
    if (!model) {
      throw new ActionError(
        'MODEL_NOT_CONFIGURED',
        `node "${node.id}": llm.choose needs a model: set "model" (and "provider" or "baseURL") in actiongraph.config.json`,
        { retryable: false },
      );
    }
    const choices = collectChoices(data.choices ?? [], node.outgoing);
    if (choices.length === 0) {
      throw new ActionError(
        'NO_CHOICES',
        `node "${node.id}": llm.choose has nothing to choose from: give data.choices or outgoing edges with {"when": {"path": "choice", "equals": "..."}}`,
        { retryable: false },
      );
    }
    const answer = await model.complete(
      [
        { role: 'system', content: choosePrompt(choices, data.instructions, data.allowNone) },
        { role: 'user', content: inputText(input) },
      ],
      { signal, json: true, temperature: data.temperature },
    );
    const parsed = parseModelJson(answer.text, `node "${node.id}"`);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ActionError('MODEL_BAD_OUTPUT', `node "${node.id}": the model answered ${JSON.stringify(parsed)}, not an object`, {
        retryable: true,
      });
    }
    const fields = parsed as Record<string, unknown>;
    const picked = Object.hasOwn(fields, 'tool') ? fields.tool : Object.hasOwn(fields, 'choice') ? fields.choice : undefined;
    const choice = resolveChoice(picked, choices);
    if (choice === undefined || (choice === NO_CHOICE && !data.allowNone)) {
      throw new ActionError(
        'MODEL_BAD_CHOICE',
        `node "${node.id}": the model chose ${JSON.stringify(picked)}, not one of ${choices.map((c) => `"${c.value}"`).join(', ')}`,
        { retryable: true },
      );
    }
    const args = Object.entries(fields).filter(([key]) => !RESERVED_KEYS.has(key));
    return { ...Object.fromEntries(args), choice };
  },
});

function resolveChoice(picked: unknown, choices: readonly Choice[]): string | undefined {
  if (picked === null || picked === undefined || picked === false) return NO_CHOICE;
  if (typeof picked !== 'string') return undefined;
  const wanted = picked.trim();
  if (NONE_ANSWERS.has(wanted.toLowerCase())) return NO_CHOICE;
  return (
    choices.find((choice) => choice.value === wanted)?.value ??
    choices.find((choice) => choice.value.toLowerCase() === wanted.toLowerCase())?.value
  );
}
