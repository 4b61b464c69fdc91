// data.wolfram_alpha: answers a factual question with the Wolfram|Alpha short-answers API (the seed's node 2).
import { ActionError, defineAction, httpRequest, inputField, inputText, isSuccess, parseHttpUrl, statusError, z } from 'actiongraph';

export const WOLFRAM_BASE_URL = 'https://api.wolframalpha.com';

export default defineAction({
  name: 'data.wolfram_alpha',
  description:
    'Answer a factual question in one short line with the Wolfram|Alpha short-answers API. The question is ' +
    'data.query, else the incoming text. Outputs {text, query}. Needs WOLFRAM_APP_ID.',
  data: z
    .object({
      query: z.string().min(1).optional().describe('the question; defaults to the incoming text'),
      units: z.enum(['metric', 'imperial']).optional(),
      timeoutMs: z.number().int().positive().max(120_000).default(15_000),
      baseUrl: z.string().default(WOLFRAM_BASE_URL).describe('the API host, for a proxy or a test server'),
    })
    .strict()
    .prefault({}),
  output: z.object({ text: z.string(), query: z.string() }),
  secrets: ['WOLFRAM_APP_ID'],
  effects: 'read',
  examples: ['look up the weather in San Francisco', 'how far is the moon', 'convert 10 miles to km'],
  async run({ data, input, secrets, signal, node }) {
    const fromInput = inputField(input, 'query');
    const query = (data.query ?? (typeof fromInput === 'string' ? fromInput : inputText(input))).trim();
    if (query === '') {
      throw new ActionError('QUERY_EMPTY', `node "${node.id}": data.wolfram_alpha has no question to ask`, { retryable: false });
    }
    const url = parseHttpUrl(`${data.baseUrl.replace(/\/+$/u, '')}/v1/result`, 'Wolfram|Alpha');
    url.searchParams.set('i', query);
    url.searchParams.set('appid', secrets.WOLFRAM_APP_ID);
    if (data.units) url.searchParams.set('units', data.units);
    const response = await httpRequest({ url, signal, timeoutMs: data.timeoutMs, service: 'Wolfram|Alpha' });
    // 501: the API understood the request but has no short answer for it; asking again will not change that.
    if (response.status === 501) {
      throw new ActionError('WOLFRAM_NO_ANSWER', `node "${node.id}": Wolfram|Alpha has no short answer for "${query}"`, {
        retryable: false,
      });
    }
    if (!isSuccess(response)) throw statusError('Wolfram|Alpha', response);
    return { text: response.body.trim(), query };
  },
});
