// Finding the JSON object in an answer: whole text, code fences, prose, lenient JSON5.
import { describe, expect, it } from 'vitest';
import { extractJson } from '../../src/planner/json-extract.js';

describe('extractJson', () => {
  it('reads a plain JSON answer', () => {
    expect(extractJson(' {"a": 1} ')).toEqual({ ok: true, value: { a: 1 } });
  });
  it('reads a fenced block', () => {
    expect(extractJson('Here it is:\n```json\n{"nodes": []}\n```\nDone.')).toEqual({ ok: true, value: { nodes: [] } });
  });
  it('finds an object in prose, with braces inside strings', () => {
    expect(extractJson('Sure! {"text": "a } b", "n": {"x": 2}} hope that helps')).toEqual({ ok: true, value: { text: 'a } b', n: { x: 2 } } });
  });
  it('accepts trailing commas and comments (JSON5), as the seed file has them', () => {
    expect(extractJson('{"a": 1, // note\n "b": [1, 2,],}')).toEqual({ ok: true, value: { a: 1, b: [1, 2] } });
  });
  it('skips a balanced span that is not JSON and takes the next', () => {
    expect(extractJson('use {curly} braces; answer: {"ok": true}')).toEqual({ ok: true, value: { ok: true } });
  });
  it('says why when there is none', () => {
    const result = extractJson('I cannot help with that.');
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toContain('no JSON object');
    expect(extractJson('   ').ok).toBe(false);
  });
});
