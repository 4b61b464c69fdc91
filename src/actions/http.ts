// HTTP for actions: one request bounded by a timeout, the run's abort signal and a size limit, with the host
// allow-list checked on every redirect hop. Failures become ActionErrors that say whether a retry can help.
// Messages name the service and host, never the full URL: query strings often carry API keys.
import { ActionError } from '../errors.js';

export const DEFAULT_HTTP_TIMEOUT_MS = 30_000;
export const DEFAULT_HTTP_MAX_BYTES = 10 * 1024 * 1024;
const DEFAULT_MAX_REDIRECTS = 5;

export interface HttpRequestOptions {
  url: string | URL;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** The run's signal (ctx.signal): cancellation and the engine's node timeout. */
  signal: AbortSignal;
  /** This request's own bound, covering connect, redirects and reading the body. */
  timeoutMs?: number;
  /** A larger body fails with HTTP_TOO_LARGE instead of filling memory. */
  maxBytes?: number;
  /** Hosts the request may reach, e.g. `api.example.com` or `*.example.com`; undefined allows any. */
  allowedHosts?: readonly string[];
  maxRedirects?: number;
  /** Names the service in messages, e.g. "Wolfram|Alpha". Defaults to the host. */
  service?: string;
}

export interface HttpResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends one request and reads the whole body. Throws the signal's reason when the run is aborted, and an
 * ActionError otherwise: HTTP_TIMEOUT and HTTP_NETWORK (retryable), HTTP_URL_INVALID, HTTP_HEADER_INVALID,
 * HTTP_HOST_NOT_ALLOWED, HTTP_REDIRECTS and HTTP_TOO_LARGE (not retryable). A non-2xx status is returned, not
 * thrown: see statusError.
 */
export async function httpRequest(options: HttpRequestOptions): Promise<HttpResponse> {
  options.signal.throwIfAborted();
  let url = parseHttpUrl(options.url, options.service);
  const service = options.service ?? url.host;
  checkHeaders(options.headers ?? {}, service);
  const timeoutMs = options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_HTTP_MAX_BYTES;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;

  // One controller for the whole exchange: the run's abort and our own timer both end it. setTimeout rather
  // than AbortSignal.timeout, so tests can drive it with fake timers.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onRunAbort = (): void => controller.abort(options.signal.reason);
  options.signal.addEventListener('abort', onRunAbort, { once: true });

  let method = (options.method ?? 'GET').toUpperCase();
  let body = options.body;
  let headers: Record<string, string> = { ...options.headers };
  try {
    for (let hop = 0; ; hop++) {
      checkHost(url, options.allowedHosts, service);
      const response = await fetch(url, { method, headers, body, redirect: 'manual', signal: controller.signal });
      const location = response.headers.get('location');
      if (isRedirect(response.status) && location !== null) {
        await response.body?.cancel();
        if (hop >= maxRedirects) {
          throw new ActionError('HTTP_REDIRECTS', `${service}: more than ${maxRedirects} redirects`, { retryable: false });
        }
        const next = parseHttpUrl(location, service, url);
        // Browsers' rules: 303 always, and 301/302 after a POST, continue as a GET without a body.
        if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
          if (method !== 'HEAD') method = 'GET';
          body = undefined;
          headers = withoutHeaders(headers, ['content-type', 'content-length']);
        }
        // Credentials never follow a redirect to another origin.
        if (next.origin !== url.origin) headers = withoutHeaders(headers, ['authorization', 'proxy-authorization', 'cookie']);
        url = next;
        continue;
      }
      const text = await readBody(response, maxBytes, service);
      return { status: response.status, headers: Object.fromEntries(response.headers), body: text };
    }
  } catch (error) {
    if (options.signal.aborted) throw options.signal.reason;
    if (timedOut) {
      throw new ActionError('HTTP_TIMEOUT', `${service}: no answer within ${timeoutMs} ms`, { retryable: true, cause: error });
    }
    if (error instanceof ActionError) throw error;
    throw new ActionError('HTTP_NETWORK', `${service}: request failed: ${networkReason(error)}`, {
      retryable: true,
      cause: error,
    });
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener('abort', onRunAbort);
  }
}

/**
 * The error for a non-2xx answer: code HTTP_STATUS (or the given code), retryable for 408, 429 and 5xx.
 * `details` carries the status, the start of the body and, when the server sent one, Retry-After in ms.
 */
export function statusError(service: string, response: HttpResponse, code = 'HTTP_STATUS'): ActionError {
  const snippet = response.body.replace(/\s+/g, ' ').trim().slice(0, 200);
  const retryable = response.status === 408 || response.status === 429 || response.status >= 500;
  const retryAfterMs = parseRetryAfter(response.headers['retry-after']);
  return new ActionError(code, `${service} answered ${response.status}${snippet ? `: ${snippet}` : ''}`, {
    retryable,
    details: { status: response.status, body: response.body.slice(0, 2000), ...(retryAfterMs === undefined ? {} : { retryAfterMs }) },
  });
}

/** True for 2xx. */
export function isSuccess(response: { status: number }): boolean {
  return response.status >= 200 && response.status < 300;
}

/** True when the content type is JSON (application/json or any +json type). */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || type.endsWith('+json');
}

/** Whether `host` matches an allow-list entry: exact (case-insensitive) or `*.example.com` for subdomains. */
export function hostAllowed(host: string, allowedHosts: readonly string[]): boolean {
  const wanted = host.toLowerCase();
  return allowedHosts.some((entry) => {
    const pattern = entry.trim().toLowerCase();
    if (pattern.startsWith('*.')) return wanted.endsWith(pattern.slice(1));
    return wanted === pattern;
  });
}

/** Parses an http(s) URL, or throws ActionError HTTP_URL_INVALID (not retryable). */
export function parseHttpUrl(input: string | URL, service: string | undefined, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(input, base);
  } catch {
    throw new ActionError('HTTP_URL_INVALID', `${service ?? 'HTTP'}: not a URL: ${JSON.stringify(String(input).slice(0, 200))}`, {
      retryable: false,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ActionError('HTTP_URL_INVALID', `${service ?? url.host}: only http and https URLs are allowed, not ${url.protocol}`, {
      retryable: false,
    });
  }
  if (url.username !== '' || url.password !== '') {
    // `https://api.example.com@evil.test/` reads as api.example.com to a person approving it, and fetch refuses
    // credentials in a URL anyway (with a message that repeats them). Say so without them.
    throw new ActionError(
      'HTTP_URL_INVALID',
      `${service ?? url.host}: a URL with a user name or password (user@host) is not allowed; the host is ` +
        `"${url.host}"; send credentials in a header`,
      { retryable: false },
    );
  }
  return url;
}

/** RFC 9110 token characters: what a header name may be made of. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/u;
/** Visible Latin-1 text, spaces and tabs: no CR, LF or NUL that could end the header and start another. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/u;

/**
 * Refuses headers fetch would refuse later as a retryable network failure, whose message quotes the value (it
 * may hold a secret). Values come from graph data and upstream outputs, so a CR or LF is an injection attempt or
 * a mistake, never something a retry fixes.
 */
function checkHeaders(headers: Record<string, string>, service: string): void {
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) {
      throw new ActionError('HTTP_HEADER_INVALID', `${service}: ${JSON.stringify(name.slice(0, 100))} is not a valid header name`, {
        retryable: false,
      });
    }
    if (typeof value !== 'string' || !HEADER_VALUE.test(value)) {
      throw new ActionError(
        'HTTP_HEADER_INVALID',
        `${service}: header "${name}" has a value with a line break, NUL or character outside Latin-1 (not shown)`,
        { retryable: false },
      );
    }
  }
}

function checkHost(url: URL, allowedHosts: readonly string[] | undefined, service: string): void {
  if (allowedHosts === undefined) return;
  // Match on host with port when an entry names one, else on the host name alone.
  if (hostAllowed(url.host, allowedHosts) || hostAllowed(url.hostname, allowedHosts)) return;
  throw new ActionError(
    'HTTP_HOST_NOT_ALLOWED',
    `${service}: host "${url.host}" is not in allowedHosts (${allowedHosts.join(', ')})`,
    { retryable: false },
  );
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function withoutHeaders(headers: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !names.includes(name.toLowerCase())));
}

async function readBody(response: Response, maxBytes: number, service: string): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new ActionError('HTTP_TOO_LARGE', `${service}: the answer is larger than ${maxBytes} bytes`, { retryable: false });
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

function networkReason(error: unknown): string {
  // undici reports "fetch failed" and puts the useful part (ECONNREFUSED, ENOTFOUND) in the cause.
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

function parseRetryAfter(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
