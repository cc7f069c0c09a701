/** How a table of spoken sentences (each with the name it states, or null) scores: precision first, then recall. */
export interface NameTableScore {
  readonly negatives: number;
  readonly positives: number;
  readonly precision: number;
  readonly recall: number;
  /** The positives that gave no name. */
  readonly missed: readonly string[];
}

export function scoreNameTable(extracted: readonly { readonly text: string; readonly name: string | null; readonly found: string | null }[]): NameTableScore {
  const positives = extracted.filter(({ name }) => name !== null);
  const named = extracted.filter(({ found }) => found !== null);
  return {
    negatives: extracted.length - positives.length,
    positives: positives.length,
    precision: named.filter(({ name, found }) => found === name).length / named.length,
    recall: positives.filter(({ name, found }) => found === name).length / positives.length,
    missed: positives.filter(({ found }) => found === null).map(({ text }) => text),
  };
}

export function describeNameTable(label: string, score: NameTableScore): string {
  return `caller-name table${label}: ${score.negatives} negatives, ${score.positives} positives, precision ${score.precision.toFixed(2)}, recall ${score.recall.toFixed(3)}; missed: ${JSON.stringify(score.missed)}`;
}
