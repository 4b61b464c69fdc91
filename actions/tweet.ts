// output.tweet: posts a tweet through the X API v2 (the seed's node 4).
//
// Idempotency: the X API has no idempotency key for POST /2/tweets. A retry after an answer was lost would post
// again, but X refuses an identical tweet with 403 "duplicate content"; that answer becomes TWEET_DUPLICATE (not
// retryable), so a retried run fails loudly instead of posting twice. The run's idempotency key is logged with
// each attempt so a person can match attempts to posts.
import { ActionError, defineAction, httpRequest, inputText, isSuccess, parseHttpUrl, statusError, z } from 'actiongraph';

export const X_API_BASE_URL = 'https://api.x.com';

export default defineAction({
  name: 'output.tweet',
  description:
    'Post a tweet through the X API v2. The text is data.text, else the incoming text. Outputs {id, text, url}. ' +
    'Needs X_BEARER_TOKEN (a user-context OAuth 2.0 token with tweet.write).',
  data: z
    .object({
      text: z.string().min(1).optional().describe('the tweet; defaults to the incoming text'),
      timeoutMs: z.number().int().positive().max(120_000).default(15_000),
      baseUrl: z.string().default(X_API_BASE_URL).describe('the API host, for a proxy or a test server'),
    })
    .strict()
    .prefault({}),
  output: z.object({ id: z.string(), text: z.string(), url: z.string() }),
  secrets: ['X_BEARER_TOKEN'],
  effects: 'write',
  examples: ['post a tweet', 'tweet the result', 'share it on X'],
  async run({ data, input, secrets, signal, node, run, log }) {
    const text = (data.text ?? inputText(input)).trim();
    if (text === '') {
      throw new ActionError('TWEET_EMPTY', `node "${node.id}": output.tweet has no text to post`, { retryable: false });
    }
    log.info('posting a tweet', { idempotencyKey: run.idempotencyKey, attempt: run.attempt });
    const response = await httpRequest({
      url: parseHttpUrl(`${data.baseUrl.replace(/\/+$/u, '')}/2/tweets`, 'X API'),
      method: 'POST',
      headers: { authorization: `Bearer ${secrets.X_BEARER_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
      signal,
      timeoutMs: data.timeoutMs,
      service: 'X API',
    });
    if (response.status === 403 && /duplicate/iu.test(response.body)) {
      throw new ActionError('TWEET_DUPLICATE', `node "${node.id}": X refused the tweet as a duplicate of one already posted`, {
        retryable: false,
      });
    }
    if (!isSuccess(response)) throw statusError('X API', response);
    const id = readTweetId(response.body);
    if (id === undefined) {
      throw new ActionError('TWEET_BAD_ANSWER', `node "${node.id}": the X API answered ${response.status} without a tweet id`, {
        retryable: false,
      });
    }
    return { id, text, url: `https://x.com/i/web/status/${id}` };
  },
});

function readTweetId(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { data?: { id?: unknown } };
    return typeof parsed.data?.id === 'string' ? parsed.data.id : undefined;
  } catch {
    return undefined;
  }
}
