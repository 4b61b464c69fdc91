// The same benchmark graphs on LangGraph.js: one StateGraph node per workflow node, a join edge ([p1, p2] -> n)
// so a node waits for both predecessors, no-op nodes that write one key of a shared state (last value wins).
import { Annotation, END, START, StateGraph } from '@langchain/langgraph';
import type { BenchCase } from './graphs.js';
import { predecessorsOf } from './graphs.js';

export async function runLangGraph(c: BenchCase): Promise<void> {
  const State = Annotation.Root({
    last: Annotation<string>({ reducer: (_old: string, value: string) => value, default: () => '' }),
  });
  // LangGraph's builder types track node names as literal types; with generated names a loose view is simpler.
  const graph = new StateGraph(State) as unknown as {
    addNode(name: string, fn: (state: unknown) => Promise<{ last: string }>): void;
    addEdge(from: string | string[], to: string): void;
    compile(): { invoke(input: unknown, config: { recursionLimit: number }): Promise<unknown> };
  };
  const names: string[] = [];
  const hasSuccessor = new Uint8Array(c.nodes);
  for (let i = 0; i < c.nodes; i++) {
    const name = `n${i}`;
    names.push(name);
    graph.addNode(name, async () => ({ last: name }));
  }
  for (let i = 0; i < c.nodes; i++) {
    const preds = predecessorsOf(i, c.width);
    for (const p of preds) hasSuccessor[p] = 1;
    if (preds.length === 0) graph.addEdge(START, names[i]!);
    else graph.addEdge(preds.map((p) => names[p]!), names[i]!);
  }
  for (let i = 0; i < c.nodes; i++) if (!hasSuccessor[i]) graph.addEdge(names[i]!, END);
  const app = graph.compile();
  // One superstep per layer: the recursion limit must exceed the depth of the graph.
  const depth = Math.ceil(c.nodes / c.width);
  await app.invoke({ last: '' }, { recursionLimit: depth + 10 });
}
