import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REDACTED, parseDotEnv, redactValue, redactor, resolveSecrets } from '../../src/actions/secrets.js';
import { ActionError } from '../../src/errors.js';
import { tempDir } from './context.js';

describe('parseDotEnv', () => {
  it('reads KEY=value lines with export, comments and quotes', () => {
    const { values, errors } = parseDotEnv(
      [
        '# a comment',
        '',
        'PLAIN=value',
        'export EXPORTED=yes',
        'SPACED = padded value  ',
        'INLINE=abc # comment',
        'HASH=ab#c',
        'DOUBLE="line\\nbreak \\"quoted\\" # not a comment"',
        "SINGLE='raw \\n $HOME'",
        'EMPTY=',
        'MULTI="first',
        'second"',
        'PLAIN=last wins',
      ].join('\r\n'),
    );
    expect(errors).toEqual([]);
    expect(Object.fromEntries(values)).toEqual({
      PLAIN: 'last wins',
      EXPORTED: 'yes',
      SPACED: 'padded value',
      INLINE: 'abc',
      HASH: 'ab#c',
      DOUBLE: 'line\nbreak "quoted" # not a comment',
      SINGLE: 'raw \\n $HOME',
      EMPTY: '',
      MULTI: 'first\nsecond',
    });
  });

  it('reports bad lines with their line numbers and keeps the rest', () => {
    const { values, errors } = parseDotEnv('GOOD=1\nno equals here\n1BAD=x\nOPEN="never closed\nAFTER="x" junk');
    expect(values.get('GOOD')).toBe('1');
    expect(errors.map((e) => e.line)).toEqual([2, 3, 4]);
  });
});

describe('resolveSecrets', () => {
  const tweet = { name: 'output.tweet', secrets: ['X_BEARER_TOKEN'] };
  const wolfram = { name: 'data.wolfram_alpha', secrets: ['WOLFRAM_APP_ID'] };

  it('takes the environment first, then .env, and hands each action only its own secrets', async () => {
    const projectDir = await tempDir();
    await writeFile(path.join(projectDir, '.env'), 'WOLFRAM_APP_ID=from-dotenv\nX_BEARER_TOKEN=dotenv-token\nOTHER=x\n');
    const resolved = await resolveSecrets({
      nodes: [
        { nodeId: '2', action: wolfram },
        { nodeId: '4', action: tweet },
      ],
      env: { X_BEARER_TOKEN: 'env-token', WOLFRAM_APP_ID: '' },
      projectDir,
    });
    expect(resolved.problems).toEqual([]);
    expect({ ...resolved.byAction.get('output.tweet') }).toEqual({ X_BEARER_TOKEN: 'env-token' });
    expect({ ...resolved.byAction.get('data.wolfram_alpha') }).toEqual({ WOLFRAM_APP_ID: 'from-dotenv' });
    expect(resolved.values.sort()).toEqual(['env-token', 'from-dotenv']);
  });

  it('reports each missing variable as SECRET_MISSING naming the node, the action and the variable', async () => {
    const projectDir = await tempDir();
    const resolved = await resolveSecrets({
      nodes: [
        { nodeId: '4', action: tweet },
        { nodeId: '5', action: tweet },
        { nodeId: '1', action: { name: 'input.text', secrets: [] } },
      ],
      env: {},
      projectDir,
    });
    expect(resolved.problems.map((p) => [p.code, p.path, p.severity])).toEqual([
      ['SECRET_MISSING', ['nodes', '4', 'action'], 'error'],
      ['SECRET_MISSING', ['nodes', '5', 'action'], 'error'],
    ]);
    expect(resolved.problems[0]?.message).toContain('node "4"');
    expect(resolved.problems[0]?.message).toContain('"output.tweet"');
    expect(resolved.problems[0]?.message).toContain('X_BEARER_TOKEN');
  });

  it('keeps secret records off Object.prototype, even for a variable named __proto__', async () => {
    const projectDir = await tempDir();
    const resolved = await resolveSecrets({
      nodes: [{ nodeId: '1', action: { name: 'odd.action', secrets: ['__proto__'] } }],
      env: JSON.parse('{"__proto__": "value"}') as Record<string, string>,
      projectDir,
    });
    const record = resolved.byAction.get('odd.action') as Record<string, string>;
    expect(Object.getPrototypeOf(record)).toBeNull();
    expect(Object.hasOwn(record, '__proto__')).toBe(true);
  });

  it('warns about bad .env lines without failing', async () => {
    const projectDir = await tempDir();
    await writeFile(path.join(projectDir, '.env'), 'oops\nX_BEARER_TOKEN=t\n');
    const resolved = await resolveSecrets({ nodes: [{ nodeId: '4', action: tweet }], env: {}, projectDir });
    expect(resolved.problems).toEqual([expect.objectContaining({ code: 'DOTENV_INVALID', severity: 'warning', path: ['.env', 1] })]);
  });
});

describe('redactor', () => {
  it('replaces secret values, their URL- and JSON-encoded forms, longest first', () => {
    const redact = redactor(['s3cr3t', 's3cr3t-longer', 'a b&c', 'quote"d', '']);
    expect(redact('key=s3cr3t and s3cr3t-longer')).toBe(`key=${REDACTED} and ${REDACTED}`);
    expect(redact('https://x/?appid=a%20b%26c')).toBe(`https://x/?appid=${REDACTED}`);
    expect(redact('q=a+b%26c')).toBe(`q=${REDACTED}`);
    expect(redact(JSON.stringify({ token: 'quote"d' }))).toBe(`{"token":"${REDACTED}"}`);
    expect(redact('nothing here')).toBe('nothing here');
  });

  it('escapes regular-expression characters in values', () => {
    expect(redactor(['a.c'])('abc a.c')).toBe(`abc ${REDACTED}`);
  });

  it('is the identity without secrets', () => {
    expect(redactor([])('text')).toBe('text');
  });
});

describe('redactValue', () => {
  const redact = redactor(['TOKEN']);

  it('redacts deeply: objects, keys, arrays, Maps, Sets, errors, cycles', () => {
    const error = new ActionError('HTTP_STATUS', 'answered 401 for TOKEN', { details: { sent: 'Bearer TOKEN' }, cause: new Error('TOKEN') });
    const value: Record<string, unknown> = {
      list: ['TOKEN', 1, null, { deep: 'x TOKEN' }],
      map: new Map([['TOKEN', 'TOKEN']]),
      set: new Set(['TOKEN']),
      TOKEN: 'key',
      error,
      when: new Date(0),
    };
    value.self = value;
    const out = redactValue(value, redact);
    const text = JSON.stringify({ ...out, self: undefined, map: [...(out.map as Map<string, string>)], set: [...(out.set as Set<string>)] });
    expect(text).not.toContain('TOKEN');
    expect(out.self).toBe(out);
    expect(out.when).toBe(value.when);
    const copied = out.error as ActionError;
    expect(copied).toBeInstanceOf(ActionError);
    expect(copied.message).toBe(`answered 401 for ${REDACTED}`);
    expect(copied.code).toBe('HTTP_STATUS');
    expect(copied.details).toEqual({ sent: `Bearer ${REDACTED}` });
    expect((copied.cause as Error).message).toBe(REDACTED);
    expect(copied.stack).not.toContain('TOKEN');
    // The original is untouched.
    expect(error.message).toContain('TOKEN');
  });

  it('keeps null-prototype objects null-prototype', () => {
    const record = Object.assign(Object.create(null) as Record<string, string>, { a: 'TOKEN' });
    const out = redactValue(record, redact);
    expect(Object.getPrototypeOf(out)).toBeNull();
    expect(out.a).toBe(REDACTED);
  });
});
