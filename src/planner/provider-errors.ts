// Turns what the openai SDK throws into one ProviderError line that names the endpoint and the model, with a
// stable code and whether a retry can help. The API key never appears in a message.
import { ProviderError } from '../errors.js';
import { describeEndpoint, type ModelConfig } from './model-config.js';

/** A ProviderError that keeps the server's own words, so callers can react to them (e.g. response_format). */
export class EndpointError extends ProviderError {
  /** The server's error message, redacted; empty when the server gave none. */
  readonly serverMessage: string;
  /** Milliseconds the server asked us to wait (429 retry-after), when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(
    code: string,
    message: string,
    options: { status?: number; retryable?: boolean; cause?: unknown; serverMessage?: string; retryAfterMs?: number },
  ) {
    super(code, message, options);
    this.serverMessage = options.serverMessage ?? '';
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** The parts of an SDK error we read; duck-typed so this module need not load the SDK. */
interface SdkErrorLike {
  message?: string;
  status?: number;
  headers?: Headers | Record<string, string> | undefined;
  error?: unknown;
  cause?: unknown;
}

export function toProviderError(error: unknown, config: ModelConfig): EndpointError {
  if (error instanceof EndpointError) return error;
  const where = describeEndpoint(config);
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as SdkErrorLike;
  const serverMessage = redact(extractServerMessage(e), config.apiKey);
  const said = serverMessage ? `: ${serverMessage}` : '';

  if (typeof e.status === 'number') {
    const status = e.status;
    if (status === 401 || status === 403) {
      const keyHint = config.apiKeyEnv
        ? config.apiKey
          ? ` (check ${config.apiKeyEnv})`
          : ` (no key: set ${config.apiKeyEnv})`
        : '';
      return new EndpointError('PROVIDER_AUTH', `${where} refused the request with ${status}${keyHint}${said}`, {
        status,
        cause: error,
        serverMessage,
      });
    }
    if (status === 404) {
      return new EndpointError(
        'PROVIDER_MODEL_NOT_FOUND',
        `${where}: the model was not found (404): check the model name and the base URL${said}`,
        { status, cause: error, serverMessage },
      );
    }
    if (status === 429) {
      const retryAfterMs = parseRetryAfter(e.headers);
      const wait = retryAfterMs === undefined ? '' : ` (retry after ${Math.ceil(retryAfterMs / 1000)}s)`;
      return new EndpointError('PROVIDER_RATE_LIMITED', `${where}: rate limited (429)${wait}${said}`, {
        status,
        retryable: true,
        cause: error,
        serverMessage,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      });
    }
    if (status >= 500) {
      return new EndpointError('PROVIDER_SERVER', `${where}: server error ${status}${said}`, {
        status,
        retryable: true,
        cause: error,
        serverMessage,
      });
    }
    return new EndpointError('PROVIDER_BAD_REQUEST', `${where}: the request was rejected (${status})${said}`, {
      status,
      cause: error,
      serverMessage,
    });
  }

  const kind = className(error);
  if (kind === 'APIConnectionTimeoutError') {
    return new EndpointError('PROVIDER_TIMEOUT', `${where}: no answer in time`, { cause: error, retryable: false });
  }
  const systemCode = findSystemCode(error);
  if (systemCode === 'ECONNREFUSED' || systemCode === 'ENOTFOUND' || systemCode === 'EAI_AGAIN' || systemCode === 'EHOSTUNREACH') {
    return new EndpointError(
      'PROVIDER_UNREACHABLE',
      `${where}: cannot connect (${systemCode}): is the server running and the base URL right?`,
      { cause: error },
    );
  }
  if (kind === 'APIConnectionError' || systemCode !== undefined) {
    // A reset or a dropped socket mid-request: the next attempt usually gets through.
    return new EndpointError(
      'PROVIDER_CONNECTION_LOST',
      `${where}: the connection failed${systemCode ? ` (${systemCode})` : ''}`,
      { cause: error, retryable: true },
    );
  }
  return new EndpointError('PROVIDER_FAILED', `${where}: ${redact(e.message ?? String(error), config.apiKey)}`, {
    cause: error,
  });
}

/** Replaces the key, and anything shaped like an OpenAI-style secret, with stars. */
export function redact(text: string, apiKey?: string): string {
  let result = text;
  if (apiKey && apiKey.length >= 4) result = result.split(apiKey).join('***');
  return result.replace(/\b(sk|rk|pk)-[A-Za-z0-9_*-]{6,}/gu, '$1-***');
}

/** retry-after-ms, then retry-after in seconds or as an HTTP date. */
export function parseRetryAfter(
  headers: Headers | Record<string, string> | undefined,
  now: number = Date.now(),
): number | undefined {
  if (!headers) return undefined;
  const get = (name: string): string | null | undefined =>
    typeof (headers as Headers).get === 'function'
      ? (headers as Headers).get(name)
      : (headers as Record<string, string>)[name];
  const ms = Number.parseFloat(get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = get('retry-after');
  if (!raw) return undefined;
  const seconds = Number.parseFloat(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function extractServerMessage(e: SdkErrorLike): string {
  const body = e.error as { message?: unknown; error?: unknown } | string | undefined;
  if (typeof body === 'string') return oneLine(body);
  if (body && typeof body === 'object') {
    if (typeof body.message === 'string') return oneLine(body.message);
    if (typeof body.error === 'string') return oneLine(body.error);
    if (body.error && typeof body.error === 'object' && typeof (body.error as { message?: unknown }).message === 'string') {
      return oneLine((body.error as { message: string }).message);
    }
  }
  return '';
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/gu, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 297)}...` : flat;
}

/** The SDK's error classes do not set `name`; their constructor names are stable. */
function className(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const name = (error as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' ? name : undefined;
}

/** The errno-style code (ECONNREFUSED, ECONNRESET, ...) somewhere down the cause chain. */
function findSystemCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^(E[A-Z_]+|UND_ERR_[A-Z_]+)$/u.test(code)) return code;
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors)) {
      for (const inner of errors) {
        const innerCode = findSystemCode(inner);
        if (innerCode) return innerCode;
      }
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
