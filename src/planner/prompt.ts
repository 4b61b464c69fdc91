// The messages the model sees: a compact catalog (names, descriptions, data fields), the task or the edit
// instruction, and repair requests that list the problems found. The same text goes into the training examples,
// so a model fine-tuned on them sees at inference exactly what it was trained on.
import type { ChatMessage } from '../actions/define.js';
import { formatPath, type Problem } from '../errors.js';
import type { CompiledAction, PlannerCatalog } from './catalog-schema.js';
import { type JsonSchema, isPlainObject } from './strict-schema.js';

const CONDITION_RULE =
  '- "when" is null, or a condition on the source node\'s output that must hold for the edge to be taken: ' +
  '{"path": "<dot path into the output, or null for all of it>", "op": "equals", "value": true}; ops: equals, notEquals, ' +
  'in, exists, matches, gt, gte, lt, lte; combine with {"all": [...]}, {"any": [...]}, {"not": {...}}. ' +
  'For "if X ... otherwise ...", give the two edges opposite conditions.';

const TEMPLATE_RULE =
  '- strings in data may use templates: {{input}} (the predecessor\'s output), {{input.<field>}}, ' +
  '{{nodes.<id>.output.<field>}}.';

export function createSystemPrompt(catalog: PlannerCatalog): string {
  return [
    'You plan workflows for actiongraph. A workflow is a directed acyclic graph: each node runs one action from the ' +
      "catalog below and edges say what runs after what; a node's input is its predecessor's output.",
    '',
    'Answer with one JSON object and nothing else:',
    '{"nodes": [{"id": "1", "action": "<name from the catalog>", "data": <the action\'s data or null>}], ' +
      '"edges": [{"from": "1", "to": "2", "when": null}]}',
    '',
    'Rules:',
    '- ids are "1", "2", "3", ... in the order the steps happen.',
    "- action is a catalog name, exactly as written; data follows that action's fields (null when it needs none).",
    TEMPLATE_RULE,
    CONDITION_RULE,
    '- no cycles; every node is reached from a first node.',
    '',
    catalogText(catalog),
  ].join('\n');
}

export function editSystemPrompt(catalog: PlannerCatalog): string {
  return [
    'You edit workflows for actiongraph. A workflow is a directed acyclic graph: each node runs one action from the ' +
      "catalog below and edges say what runs after what; a node's input is its predecessor's output.",
    '',
    'Answer with one JSON object and nothing else: {"ops": [...]}, the fewest operations that carry out the instruction.',
    'Operations:',
    '{"op": "addNode", "id": "<a new id>", "node": {"action": "<name>", "data": <data or null>}}',
    '{"op": "removeNode", "id": "<id>"} (removes its edges too)',
    '{"op": "updateNode", "id": "<id>", "node": {"action": "<name>", "data": <data or null>}} (replaces action and data)',
    '{"op": "addEdge", "from": "<id>", "to": "<id>", "when": null}',
    '{"op": "removeEdge", "from": "<id>", "to": "<id>"}',
    '',
    'Rules:',
    '- keep existing ids; a new node takes the next free number as its id.',
    '- to put a step between A and B: remove the edge A→B, add A→new and new→B.',
    "- action is a catalog name, exactly as written; data follows that action's fields (null when it needs none).",
    TEMPLATE_RULE,
    CONDITION_RULE,
    '- the result must stay acyclic.',
    '',
    catalogText(catalog),
  ].join('\n');
}

export function createUserMessage(task: string): string {
  return task.trim();
}

export function editUserMessage(workflowJson: string, instruction: string): string {
  return `The workflow:\n${workflowJson}\n\nInstruction: ${instruction.trim()}`;
}

/** The follow-up that asks for a corrected answer. */
export function repairMessage(problems: Problem[], kind: 'workflow' | 'patch'): string {
  const errors = problems.filter((p) => p.severity === 'error');
  const listed = (errors.length > 0 ? errors : problems).map(
    (p) => `- [${p.code}] ${formatPath(p.path) || '(top level)'}: ${p.message}`,
  );
  const again =
    kind === 'workflow'
      ? 'Answer again with the whole corrected JSON object.'
      : 'Answer again with the corrected {"ops": [...]} object; the operations apply to the workflow as first given, not on top of your previous answer.';
  return [
    `That answer has ${listed.length} problem${listed.length === 1 ? '' : 's'}:`,
    ...listed,
    'Paths name nodes by id: nodes.3 is the node whose id is "3".',
    again,
  ].join('\n');
}

export function catalogText(catalog: PlannerCatalog): string {
  const lines = catalog.actions.map(catalogLine);
  return ['Catalog (name: what it does; data fields, ? = optional):', ...lines].join('\n');
}

function catalogLine(action: CompiledAction): string {
  const data = describeData(action);
  return `- ${action.name}: ${oneLine(action.description)}${data ? ` | data: ${data}` : ''}`;
}

/** `{query?: string, count?: integer}`, `string`, or '' for actions that take no data. */
export function describeData(action: CompiledAction): string {
  const json = action.dataJson;
  if (Object.keys(json).length === 0) return '';
  const text = describeSchema(json, 0);
  return action.dataOptional && !text.startsWith('{') ? `${text} (optional)` : text;
}

export function describeSchema(schema: unknown, depth: number): string {
  if (!isPlainObject(schema)) return 'any';
  const s = schema as JsonSchema;
  if (Array.isArray(s.enum)) return (s.enum as unknown[]).map((v) => JSON.stringify(v)).join('|');
  if ('const' in s) return JSON.stringify(s.const);
  const union = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (Array.isArray(union)) return union.map((branch) => describeSchema(branch, depth)).join(' | ');
  const type = s.type;
  if (Array.isArray(type)) return type.join('|');
  switch (type) {
    case 'object': {
      const properties = isPlainObject(s.properties) ? s.properties : {};
      const names = Object.keys(properties);
      if (names.length === 0) return isPlainObject(s.additionalProperties) ? `{[key]: ${describeSchema(s.additionalProperties, depth + 1)}}` : 'object';
      if (depth >= 2) return 'object';
      const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
      const fields = names.map((name) => {
        const field = properties[name];
        const hint = isPlainObject(field) && typeof field.description === 'string' ? ` (${oneLine(field.description)})` : '';
        return `${name}${required.has(name) ? '' : '?'}: ${describeSchema(field, depth + 1)}${hint}`;
      });
      return `{${fields.join(', ')}}`;
    }
    case 'array':
      return `${describeSchema(s.items, depth + 1)}[]`;
    case 'string':
      return typeof s.format === 'string' ? `string (${s.format})` : 'string';
    case undefined:
      return 'any';
    default:
      return String(type);
  }
}

/** The three messages of a training example, or of the first request. */
export function firstMessages(system: string, user: string): ChatMessage[] {
  return [
    { role: 'system', content: system },
    { role: 'user', content: user },
  ];
}

function oneLine(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}
