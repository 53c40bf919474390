import { UnknownTargetError, UnknownWindowTargetError } from '../errors';
import type { Sample } from './availability';

/** The API's own health route: always measured, under this name. */
export const API_TARGET = 'api';

/** The names of the targets measured: the API's own and the configured ones. */
export function targetNames(targets: readonly Pick<ProbeTarget, 'name'>[]): string[] {
  return [...new Set([API_TARGET, ...targets.map((t) => t.name)])];
}

/** A service the provider measures: its URL, the status it must answer, and how long it may take. */
export interface ProbeTarget {
  readonly name: string;
  readonly url: string;
  readonly expectedStatus: number;
  readonly timeoutMs: number;
}

/** The port for one check of one target; it never throws: a failure is a sample that is not ok. */
export interface Prober {
  check(target: ProbeTarget, at: number): Promise<Sample>;
}

/** The port for samples. */
export interface SampleStore {
  /** Keeps the first sample of a slot; a repeated run in the same slot adds nothing. */
  putSample(sample: Sample): Promise<'written' | 'duplicate'>;
  /** A target's samples of a local calendar month, in time order. */
  samples(target: string, month: string): Promise<Sample[]>;
  /** A target's latest samples of a month, newest first. */
  latestSamples(target: string, month: string, count: number): Promise<Sample[]>;
}

export interface ProbeRun {
  readonly written: number;
  readonly duplicate: number;
  readonly samples: readonly Sample[];
}

/** Checks every target once, in parallel, and keeps one sample per target and slot. */
export async function probeOnce(targets: readonly ProbeTarget[], prober: Prober, store: SampleStore, at: number): Promise<ProbeRun> {
  const samples = await Promise.all(targets.map((target) => prober.check(target, at)));
  const outcomes = await Promise.all(samples.map((sample) => store.putSample(sample)));
  return { written: outcomes.filter((o) => o === 'written').length, duplicate: outcomes.filter((o) => o === 'duplicate').length, samples };
}

/** The target asked for, if something measures it. */
export function measuredTarget(target: string, targets: readonly Pick<ProbeTarget, 'name'>[]): string {
  const known = targetNames(targets);
  if (!known.includes(target)) throw new UnknownTargetError(target, known);
  return target;
}

/** A service window's targets, each one something measures. */
export function windowTargets(requested: readonly string[] | undefined, targets: readonly Pick<ProbeTarget, 'name'>[]): readonly string[] | undefined {
  const known = targetNames(targets);
  const unknown = (requested ?? []).filter((t) => !known.includes(t));
  if (unknown.length) throw new UnknownWindowTargetError(unknown, known);
  return requested;
}
