// Security: a secret is redacted in the forms it takes on its way out of an action: plain, URL-encoded,
// JSON-escaped, and base64 inside a longer base64 string (Basic credentials), at any alignment.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAction } from '../../src/actions/define.js';
import { ActionError } from '../../src/errors.js';
import { startRun } from '../../src/engine/index.js';
import { base64Forms, createRedactor, REDACTED } from '../../src/engine/redact.js';
import { ofType, record, registryOf, workflow } from '../engine/helpers.js';

const SECRET = 'sk-live-4f9a2c7e1b';

describe('createRedactor', () => {
  it.each(['', 'a', 'ab', 'abc', 'user', 'api-user-007'])('finds the secret in base64("%s:" + secret + tail), any tail', (user) => {
    const redact = createRedactor([SECRET]);
    for (const tail of ['', 'x', 'xy', 'xyz']) {
      const plain = `${user}:${SECRET}${tail}`;
      for (const encoded of [Buffer.from(plain).toString('base64'), Buffer.from(plain).toString('base64url')]) {
        const text = redact.text(`Authorization: Basic ${encoded}`);
        expect(text, `${plain} as ${encoded}`).toContain(REDACTED);
        // What is left cannot be decoded back into the secret.
        expect(Buffer.from(text.replace('Authorization: Basic ', ''), 'base64').toString('latin1')).not.toContain(SECRET);
      }
    }
  });

  it('still redacts the plain, URL-encoded and JSON-escaped forms', () => {
    const secret = 'p@ss "word"/+1';
    const redact = createRedactor([secret]);
    const text = `${secret} ${encodeURIComponent(secret)} ${JSON.stringify({ k: secret })} ${new URLSearchParams({ v: secret })}`;
    expect(redact.text(text)).not.toContain('ss');
  });

  it('adds no base64 form short enough to match by chance', () => {
    expect(base64Forms('abcd')).toEqual([]);
    expect(createRedactor(['abcd']).text('YWJjZA== stays')).toBe('YWJjZA== stays');
    for (const form of base64Forms(SECRET)) expect(form.length).toBeGreaterThanOrEqual(8);
  });
});

describe('a run', () => {
  it('redacts a secret that a server echoed back as Basic credentials, from events, outputs and errors', async () => {
    const basic = defineAction({
      name: 't.basic',
      description: 'sends Basic credentials and reports what the server said',
      data: z.enum(['ok', 'fail']),
      secrets: ['BASIC_PASSWORD'],
      run: ({ data, secrets, log }) => {
        const header = `Basic ${Buffer.from(`robot:${secrets.BASIC_PASSWORD}`).toString('base64')}`;
        log.info(`sent ${header}`);
        if (data === 'fail') throw new ActionError('DENIED', `server said: bad credentials ${header}`, { retryable: false });
        return { echoed: header };
      },
    });
    const wf = workflow({ ok: { action: 't.basic', data: 'ok' }, bad: { action: 't.basic', data: 'fail', onError: 'continue' } });
    const handle = startRun({ workflow: wf, registry: registryOf(basic), journal: false, env: { BASIC_PASSWORD: SECRET } });
    const events = record(handle);
    const result = await handle.done;
    const encoded = Buffer.from(`robot:${SECRET}`).toString('base64');
    const everything = JSON.stringify(events) + JSON.stringify([...result.outputs]) + JSON.stringify(result.failures);
    expect(everything).not.toContain(encoded.slice(8, 24));
    expect(ofType(events, 'node.log')[0]!.message).toContain(REDACTED);
    expect(result.failures[0]!.error.message).toContain(REDACTED);
  });
});
