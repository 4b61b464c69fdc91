// http.request: one HTTP call described entirely by data (method, url, headers, query, body), bounded by a
// timeout, an optional host allow-list and the run's abort signal.
import { z } from 'zod';
import { defineAction } from '../define.js';
import { DEFAULT_HTTP_TIMEOUT_MS, httpRequest, isJsonContentType, isSuccess, parseHttpUrl, statusError } from '../http.js';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

export const httpRequestAction = defineAction({
  name: 'http.request',
  description:
    'Send one HTTP request. Outputs {status, headers, body, json} (json when the answer is JSON). A non-2xx ' +
    'answer fails with HTTP_STATUS (retryable for 408, 429 and 5xx) unless data.throwOnStatus is false. Effects ' +
    'are "write" because a request may change things; a plain GET is harmless but effects are declared per action.',
  data: z
    .object({
      method: z.enum(METHODS).default('GET'),
      url: z.string().min(1).describe('http or https URL'),
      headers: z.record(z.string(), z.string()).optional(),
      query: z
        .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
        .optional()
        .describe('added to the URL as ?key=value'),
      json: z.json().optional().describe('a JSON body (sets content-type: application/json)'),
      body: z.string().optional().describe('a text body'),
      timeoutMs: z.number().int().positive().max(600_000).default(DEFAULT_HTTP_TIMEOUT_MS),
      allowedHosts: z
        .array(z.string().min(1))
        .optional()
        .describe('hosts the request (and every redirect) may reach, e.g. "api.example.com" or "*.example.com"'),
      throwOnStatus: z.boolean().default(true).describe('false: a non-2xx answer is an output to route on'),
    })
    .strict()
    .superRefine((data, ctx) => {
      if (data.json !== undefined && data.body !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['body'], message: 'give either json or body, not both' });
      }
      if ((data.method === 'GET' || data.method === 'HEAD') && (data.json !== undefined || data.body !== undefined)) {
        ctx.addIssue({ code: 'custom', path: ['method'], message: `a ${data.method} request has no body` });
      }
    }),
  output: z.object({
    status: z.number().int(),
    headers: z.record(z.string(), z.string()),
    body: z.string(),
    json: z.unknown().optional(),
  }),
  effects: 'write',
  examples: ['fetch a web page', 'call a JSON API', 'POST the result to a webhook'],
  async run({ data, signal }) {
    const url = parseHttpUrl(data.url.trim(), 'http.request');
    for (const [key, value] of Object.entries(data.query ?? {})) url.searchParams.append(key, String(value));
    const headers: Record<string, string> = { ...data.headers };
    let body: string | undefined = data.body;
    if (data.json !== undefined) {
      body = JSON.stringify(data.json);
      if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
        headers['content-type'] = 'application/json';
      }
    }
    const response = await httpRequest({
      url,
      method: data.method,
      headers,
      ...(body === undefined ? {} : { body }),
      signal,
      timeoutMs: data.timeoutMs,
      ...(data.allowedHosts ? { allowedHosts: data.allowedHosts } : {}),
      service: url.host,
    });
    if (data.throwOnStatus && !isSuccess(response)) throw statusError(`${data.method} ${url.host}${url.pathname}`, response);
    const result: { status: number; headers: Record<string, string>; body: string; json?: unknown } = {
      status: response.status,
      headers: response.headers,
      body: response.body,
    };
    if (isJsonContentType(response.headers['content-type']) && response.body.trim() !== '') {
      try {
        result.json = JSON.parse(response.body);
      } catch {
        // A server that labels garbage as JSON: the body is still there to look at.
      }
    }
    return result;
  },
});
