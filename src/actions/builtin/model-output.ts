// Reading a model's answer as JSON: models wrap JSON in ``` fences or add a sentence around it.
import { ActionError } from '../../errors.js';

/** The JSON value in a model's answer, or ActionError MODEL_BAD_OUTPUT (retryable: a new sample may be fine). */
export function parseModelJson(text: string, who: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/iu.exec(text)?.[1];
  const candidates = [text.trim(), fenced?.trim(), outermostObject(text)].filter((c): c is string => !!c);
  for (const candidate of candidates) {
    try {
      return JSON.parse(candidate);
    } catch {
      // try the next reading
    }
  }
  throw new ActionError('MODEL_BAD_OUTPUT', `${who}: the model did not answer with JSON: ${JSON.stringify(text.slice(0, 120))}`, {
    retryable: true,
  });
}

function outermostObject(text: string): string | undefined {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  return start !== -1 && end > start ? text.slice(start, end + 1) : undefined;
}
