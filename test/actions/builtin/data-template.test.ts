import { describe, expect, it } from 'vitest';
import { dataTemplateAction, parseTemplate } from '../../../src/actions/builtin/data-template.js';
import { makeContext, runWith } from '../context.js';

describe('data.template', () => {
  it('renders {{input}} and {{input.field}} paths', async () => {
    const input = { text: 'sunny', items: [{ name: 'first' }], n: 3, flags: { a: true } };
    const { output } = await runWith(dataTemplateAction, {
      data: 'Weather: {{input.text}}; {{ input.items[0].name }}; {{input.n}}; {{input.flags}}',
      input,
    });
    expect(output).toEqual({ text: 'Weather: sunny; first; 3; {"a":true}' });
    expect((await runWith(dataTemplateAction, { data: '<{{input}}>', input: 'plain' })).output).toEqual({ text: '<plain>' });
  });

  it('fails with TEMPLATE_VALUE_MISSING for a missing value, or renders nothing with missing "empty"', async () => {
    await expect(runWith(dataTemplateAction, { data: 'x {{input.nope}}', input: {}, nodeId: '2' })).rejects.toMatchObject({
      code: 'TEMPLATE_VALUE_MISSING',
      retryable: false,
      message: expect.stringContaining('node "2"'),
    });
    const { output } = await runWith(dataTemplateAction, { data: { template: 'x{{input.nope}}y', missing: 'empty' }, input: {} });
    expect(output).toEqual({ text: 'xy' });
  });

  it('never reads prototypes', async () => {
    await expect(runWith(dataTemplateAction, { data: '{{input.constructor}}', input: {} })).rejects.toMatchObject({
      code: 'TEMPLATE_VALUE_MISSING',
    });
    await expect(runWith(dataTemplateAction, { data: '{{input.__proto__}}', input: {} })).rejects.toMatchObject({
      code: 'TEMPLATE_VALUE_MISSING',
    });
  });

  it('checks placeholders when the graph loads', () => {
    expect(dataTemplateAction.data.safeParse('{{inptu.text}}').success).toBe(false);
    expect(dataTemplateAction.data.safeParse('{{input..text}}').success).toBe(false);
    expect(dataTemplateAction.data.safeParse('{{nodes.2.output.text}}').success).toBe(true);
    expect(dataTemplateAction.data.safeParse({ template: 'x', extra: 1 }).success).toBe(false);
  });

  it('leaves braces that came from user input alone at run time', async () => {
    // The engine renders its templates first, so the text may carry braces from what a person typed.
    // The engine hands the handler parsed (already checked) data, so bypass the load-time check here.
    const { context } = await makeContext(dataTemplateAction, { data: 'x', input: { name: 'Ann' } });
    const rendered = 'say {{not a path}} and {{nodes.1.output}} to {{input.name}}';
    await expect(dataTemplateAction.run({ ...context, data: rendered })).resolves.toEqual({
      text: 'say {{not a path}} and {{nodes.1.output}} to Ann',
    });
    expect(parseTemplate('a {{input}} b', { strict: false })).toHaveLength(3);
  });
});
