import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Figures a suite measured, grouped: `{ slaEngine: { deadlinesPerSecond: 1234 } }`. */
export type SuiteResult = Record<string, Record<string, number>>;

/** One line of the readable table. */
export interface Row {
  readonly label: string;
  readonly value: number;
  /** e.g. "deadlines/s", "ms", "×". */
  readonly unit: string;
  /** A lower bound the figure should reach, shown with whether it does. */
  readonly goal?: number;
}

export interface Suite {
  readonly name: string;
  /** A one-line description, the table's heading. */
  readonly title: string;
  run(): Promise<SuiteResult>;
  table(result: SuiteResult): Row[];
}

/**
 * Operations per second of `pass` (which does `count` operations), best of
 * `passes` timed runs. Best, not mean: noise only ever makes a run slower.
 */
export function bestRate(count: number, passes: number, pass: () => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < passes; i++) {
    const start = performance.now();
    pass();
    best = Math.min(best, performance.now() - start);
  }
  return (count * 1000) / best;
}

/** Writes progress where it cannot mix with `--json` output. */
export function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** A tiny seeded PRNG (mulberry32), so every run measures the same corpus. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A count that must be zero, as a figure with a lower bound: 0 − count ≥ 0 (never −0). */
export const none = (count: number): number => (count === 0 ? 0 : -count);

/** Seeds a table: BatchWriteItem's 25 items a call, eight calls at a time, unprocessed items sent again. */
export async function batchWrite(db: DynamoDBDocumentClient, table: string, items: readonly Record<string, unknown>[]): Promise<void> {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25) as Record<string, unknown>[]);
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let requests = batches[next++]!.map((Item) => ({ PutRequest: { Item } }));
      while (requests.length) {
        const { UnprocessedItems } = await db.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
        requests = (UnprocessedItems?.[table] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}
