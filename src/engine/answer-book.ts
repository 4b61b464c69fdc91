// The answers a run already has: given up front (--answer) or journaled by an earlier attempt or process.
// A node's i-th question gets its i-th answer, so a resumed node is not asked again.
import type { Answer } from '../actions/define.js';

export interface BookedAnswer {
  answer: Answer;
  /** provided: from --answer, not yet journaled; journal: answered before (by a person, a default or --answer). */
  source: 'provided' | 'journal';
}

export class AnswerBook {
  readonly #answers = new Map<string, Map<number, BookedAnswer>>();

  /** Answers from --answer: they fill the node's questions that have no journaled answer yet, in order. */
  provide(nodeId: string, answers: readonly Answer[]): void {
    const forNode = this.#forNode(nodeId);
    let index = 0;
    for (const answer of answers) {
      while (forNode.get(index)?.source === 'journal') index++;
      forNode.set(index, { answer, source: 'provided' });
      index++;
    }
  }

  /** An answer that is now in the journal. */
  record(nodeId: string, index: number, answer: Answer): void {
    this.#forNode(nodeId).set(index, { answer, source: 'journal' });
  }

  get(nodeId: string, index: number): BookedAnswer | undefined {
    return this.#answers.get(nodeId)?.get(index);
  }

  /** Drops a provided answer that turned out invalid, so the node waits again instead of failing on it forever. */
  forget(nodeId: string, index: number): void {
    this.#answers.get(nodeId)?.delete(index);
  }

  #forNode(nodeId: string): Map<number, BookedAnswer> {
    let forNode = this.#answers.get(nodeId);
    if (!forNode) {
      forNode = new Map();
      this.#answers.set(nodeId, forNode);
    }
    return forNode;
  }
}
