// Remembers, per endpoint (base URL + model), which response_format it takes: strict JSON schema, JSON mode or
// plain text. Learned from the endpoint's own 400 answers and kept in .actiongraph/endpoints.json so the next
// run does not pay for the failed attempts again. Delete the file to detect afresh.
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../graph/file.js';
import type { ModelConfig } from './model-config.js';
import { isPlainObject } from './strict-schema.js';

export type ResponseMode = 'json_schema' | 'json_object' | 'text';
export const RESPONSE_MODES: readonly ResponseMode[] = ['json_schema', 'json_object', 'text'];

export const ENDPOINTS_FILE = path.join('.actiongraph', 'endpoints.json');

export interface RememberedFormat {
  mode: ResponseMode;
  reason: string;
  detectedAt: string;
}

export function endpointKey(config: Pick<ModelConfig, 'baseURL' | 'model'>): string {
  return `${config.baseURL}|${config.model}`;
}

export class ResponseFormatMemory {
  readonly #file: string | undefined;
  #entries: Map<string, RememberedFormat> | undefined;

  /** `file` undefined: remember in memory only. */
  constructor(file?: string) {
    this.#file = file;
  }

  static forProject(projectDir: string): ResponseFormatMemory {
    return new ResponseFormatMemory(path.join(projectDir, ENDPOINTS_FILE));
  }

  async get(key: string): Promise<ResponseMode | undefined> {
    return (await this.#load()).get(key)?.mode;
  }

  async remember(key: string, mode: ResponseMode, reason: string): Promise<void> {
    const entries = await this.#load();
    entries.set(key, { mode, reason, detectedAt: new Date().toISOString() });
    if (this.#file === undefined) return;
    const body: Record<string, RememberedFormat> = {};
    for (const [name, entry] of entries) Object.defineProperty(body, name, { value: entry, enumerable: true });
    await mkdir(path.dirname(this.#file), { recursive: true });
    await writeFileAtomic(this.#file, `${JSON.stringify({ version: 1, endpoints: body }, null, 2)}\n`);
  }

  async #load(): Promise<Map<string, RememberedFormat>> {
    if (this.#entries) return this.#entries;
    const entries = new Map<string, RememberedFormat>();
    this.#entries = entries;
    if (this.#file === undefined) return entries;
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(this.#file, 'utf8'));
    } catch {
      // Missing or damaged: detection simply runs again and rewrites it.
      return entries;
    }
    const endpoints = isPlainObject(parsed) ? parsed.endpoints : undefined;
    if (!isPlainObject(endpoints)) return entries;
    for (const [key, entry] of Object.entries(endpoints)) {
      if (isPlainObject(entry) && RESPONSE_MODES.includes(entry.mode as ResponseMode)) {
        entries.set(key, {
          mode: entry.mode as ResponseMode,
          reason: typeof entry.reason === 'string' ? entry.reason : '',
          detectedAt: typeof entry.detectedAt === 'string' ? entry.detectedAt : '',
        });
      }
    }
    return entries;
  }
}
