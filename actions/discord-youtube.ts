// discord_post.youtube: finds a YouTube video for a query and posts its link to a Discord channel (the seed's
// tool picker: "Ok Billy, send that video of Peter falling on his knee").
//
// Idempotency: Discord webhooks take no idempotency key. The post is the last step and only runs after the
// search succeeded, and a failed post is retryable only when Discord says so (429, 5xx) and nothing was created.
import { ActionError, defineAction, httpRequest, inputField, inputText, isSuccess, parseHttpUrl, statusError, z } from 'actiongraph';

export const YOUTUBE_BASE_URL = 'https://www.googleapis.com';

export default defineAction({
  name: 'discord_post.youtube',
  description:
    'Find a YouTube video for a query (data.query, else the input\'s "query" field as llm.choose extracts it, ' +
    'else the incoming text) and post its link to Discord. Outputs {videoId, url, title, messageId}. Needs ' +
    'YOUTUBE_API_KEY and DISCORD_WEBHOOK_URL.',
  data: z
    .object({
      query: z.string().min(1).optional().describe('what to search for'),
      message: z.string().optional().describe('text posted before the link'),
      timeoutMs: z.number().int().positive().max(120_000).default(15_000),
      baseUrl: z.string().default(YOUTUBE_BASE_URL).describe('the YouTube Data API host, for a proxy or a test server'),
    })
    .strict()
    .prefault({}),
  output: z.object({ videoId: z.string(), url: z.string(), title: z.string(), messageId: z.string().optional() }),
  secrets: ['YOUTUBE_API_KEY', 'DISCORD_WEBHOOK_URL'],
  effects: 'write',
  examples: ['send that video of Peter falling on his knee', 'post a YouTube video about cats to Discord'],
  async run({ data, input, secrets, signal, node }) {
    const fromInput = inputField(input, 'query');
    const query = (data.query ?? (typeof fromInput === 'string' ? fromInput : inputText(input))).trim();
    if (query === '') {
      throw new ActionError('QUERY_EMPTY', `node "${node.id}": discord_post.youtube has no query to search for`, {
        retryable: false,
      });
    }

    const search = parseHttpUrl(`${data.baseUrl.replace(/\/+$/u, '')}/youtube/v3/search`, 'YouTube');
    search.searchParams.set('part', 'snippet');
    search.searchParams.set('type', 'video');
    search.searchParams.set('maxResults', '1');
    search.searchParams.set('q', query);
    search.searchParams.set('key', secrets.YOUTUBE_API_KEY);
    const found = await httpRequest({ url: search, signal, timeoutMs: data.timeoutMs, service: 'YouTube' });
    if (!isSuccess(found)) throw statusError('YouTube', found);
    const video = firstVideo(found.body);
    if (!video) {
      throw new ActionError('YOUTUBE_NO_RESULT', `node "${node.id}": YouTube found no video for "${query}"`, { retryable: false });
    }
    const url = `https://www.youtube.com/watch?v=${encodeURIComponent(video.videoId)}`;

    // The webhook URL is itself the credential: messages name "Discord", never the URL.
    let webhook: URL;
    try {
      webhook = new URL(secrets.DISCORD_WEBHOOK_URL);
    } catch {
      throw new ActionError('DISCORD_WEBHOOK_INVALID', `node "${node.id}": DISCORD_WEBHOOK_URL is not a URL`, { retryable: false });
    }
    webhook.searchParams.set('wait', 'true');
    const content = data.message ? `${data.message}\n${url}` : url;
    const posted = await httpRequest({
      url: webhook,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ content, allowed_mentions: { parse: [] } }),
      signal,
      timeoutMs: data.timeoutMs,
      service: 'Discord',
    });
    if (!isSuccess(posted)) throw statusError('Discord', posted);
    const messageId = readId(posted.body);
    return { videoId: video.videoId, url, title: video.title, ...(messageId === undefined ? {} : { messageId }) };
  },
});

function firstVideo(body: string): { videoId: string; title: string } | undefined {
  try {
    const parsed = JSON.parse(body) as { items?: { id?: { videoId?: unknown }; snippet?: { title?: unknown } }[] };
    const item = parsed.items?.find((candidate) => typeof candidate.id?.videoId === 'string');
    if (!item) return undefined;
    return { videoId: item.id?.videoId as string, title: typeof item.snippet?.title === 'string' ? item.snippet.title : '' };
  } catch {
    return undefined;
  }
}

function readId(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { id?: unknown };
    return typeof parsed.id === 'string' ? parsed.id : undefined;
  } catch {
    return undefined;
  }
}
