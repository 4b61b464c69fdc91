// TaskBench's metrics on hand-made cases, worked out by hand in the comments.
import { describe, expect, it } from 'vitest';
import { parseWorkflow } from '../../src/graph/parse.js';
import { type TaskGraph, pooledF1, pythonStr, score, taskbenchScores, workflowToTaskGraph } from '../../src/planner/metrics.js';

const graph = (nodes: [string, Record<string, unknown>?][], links: [string, string][] = []): TaskGraph => ({
  nodes: nodes.map(([task, args = {}]) => ({ task, arguments: Object.entries(args).map(([name, value]) => ({ name, value })) })),
  links: links.map(([source, target]) => ({ source, target })),
});

describe('pooledF1', () => {
  it('pools true and false positives over samples, with set semantics', () => {
    // sample 1: gold {a,b}, predicted {a,c}: tp a, fn b, fp c. sample 2: gold {d}, predicted {d,d}: tp d.
    const s = pooledF1([
      { gold: ['a', 'b'], predicted: ['a', 'c'] },
      { gold: ['d'], predicted: ['d', 'd'] },
    ]);
    expect(s).toMatchObject({ tp: 2, fp: 1, fn: 1, precision: 2 / 3, recall: 2 / 3 });
    expect(s.f1).toBeCloseTo(2 / 3, 10);
  });

  it('leaves out items outside the label set (unknown tools count as neither)', () => {
    const s = pooledF1([{ gold: ['a', 'zzz'], predicted: ['a', 'yyy'] }], new Set(['a', 'b']));
    expect(s).toMatchObject({ tp: 1, fp: 0, fn: 0, f1: 1 });
  });

  it('is 0, not NaN, when there is nothing', () => {
    expect(score(0, 0, 0)).toEqual({ precision: 0, recall: 0, f1: 0, tp: 0, fp: 0, fn: 0 });
  });
});

describe('taskbenchScores', () => {
  it('scores nodes, links, argument names and values as evaluate.py does', () => {
    const gold = graph(
      [
        ['get_weather', { location: 'Paris', date: '2023-05-01' }],
        ['send_sms', { phone_number: '123', content: 'hi' }],
      ],
      [['get_weather', 'send_sms']],
    );
    const predicted = graph(
      [
        ['get_weather', { location: 'Paris', date: 'May 1' }],
        ['send_email', { email_address: 'a@b.c' }],
      ],
      [['get_weather', 'send_email']],
    );
    const s = taskbenchScores([{ gold, predicted }], ['get_weather', 'send_sms', 'send_email']);
    // nodes: tp get_weather; fn send_sms; fp send_email → P = R = 1/2.
    expect(s.node).toMatchObject({ tp: 1, fp: 1, fn: 1 });
    // links: nothing shared.
    expect(s.edge).toMatchObject({ tp: 0, fp: 1, fn: 1, f1: 0 });
    // names: tp get_weather-location, get_weather-date; fn send_sms-phone_number, send_sms-content; fp send_email-email_address.
    expect(s.argumentName).toMatchObject({ tp: 2, fp: 1, fn: 2 });
    expect(s.argumentName.f1).toBeCloseTo((2 * (2 / 3) * (2 / 4)) / (2 / 3 + 2 / 4), 10);
    // values: only get_weather-location-Paris matches.
    expect(s.argumentValue).toMatchObject({ tp: 1, fp: 2, fn: 3 });
  });

  it('prints values the way Python does before comparing them', () => {
    expect(pythonStr('x')).toBe('x');
    expect(pythonStr(5)).toBe('5');
    expect(pythonStr(true)).toBe('True');
    expect(pythonStr(null)).toBe('None');
    expect(pythonStr({ file_path: 'a.mp4', n: 1 })).toBe("{'file_path': 'a.mp4', 'n': 1}");
  });
});

describe('workflowToTaskGraph', () => {
  it('turns actions into tools (namespace removed), object data into arguments, edges into links', () => {
    const wf = parseWorkflow(`{
      "nodes": {
        "a": { "action": "taskbench.get_weather", "data": { "location": "Paris" } },
        "b": { "action": "taskbench.send_sms", "data": "not an object" }
      },
      "edges": [{ "from": "a", "to": "b" }]
    }`);
    expect(workflowToTaskGraph(wf, 'taskbench')).toEqual(
      graph([['get_weather', { location: 'Paris' }], ['send_sms']], [['get_weather', 'send_sms']]),
    );
  });
});
