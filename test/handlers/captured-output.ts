/**
 * Everything the process prints while a test runs: stdout and stderr (where
 * Powertools writes its JSON logs and EMF metrics) and the console (where the
 * local stack writes its own lines). Swallowed, so the run's output stays readable.
 */
export function captureOutput() {
  const lines: string[] = [];
  const keep = (chunk: unknown) => {
    for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(line);
  };
  const writes = { out: process.stdout.write, err: process.stderr.write };
  const tap = (chunk: unknown, ...rest: unknown[]) => {
    keep(chunk);
    const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    done?.();
    return true;
  };
  process.stdout.write = tap as typeof process.stdout.write;
  process.stderr.write = tap as typeof process.stderr.write;
  const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  const consoles = Object.fromEntries(methods.map((m) => [m, console[m]]));
  for (const m of methods) console[m] = (...args: unknown[]) => keep(args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? `${a.stack}` : JSON.stringify(a))).join(' '));
  return {
    lines,
    /** The lines that are JSON objects. */
    json: () =>
      lines.flatMap((line) => {
        try {
          const value = JSON.parse(line) as unknown;
          return value && typeof value === 'object' ? [value as Record<string, any>] : [];
        } catch {
          return [];
        }
      }),
    stop() {
      process.stdout.write = writes.out;
      process.stderr.write = writes.err;
      for (const m of methods) console[m] = consoles[m]!;
    },
  };
}

/** EMF lines (Powertools Metrics) as name → values, with each line's metric declarations. */
export function emfOf(records: readonly Record<string, any>[]) {
  const values = new Map<string, number[]>();
  const declared: { namespace: string; dimensions: string[][]; name: string; unit: string; service: unknown }[] = [];
  for (const record of records) {
    const directives = record._aws?.CloudWatchMetrics as { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] | undefined;
    for (const directive of directives ?? []) {
      for (const metric of directive.Metrics) {
        declared.push({ namespace: directive.Namespace, dimensions: directive.Dimensions, name: metric.Name, unit: metric.Unit, service: record.service });
        const value = record[metric.Name] as number | number[];
        values.set(metric.Name, [...(values.get(metric.Name) ?? []), ...(Array.isArray(value) ? value : [value])]);
      }
    }
  }
  const sum = (name: string) => (values.get(name) ?? []).reduce((a, b) => a + b, 0);
  return { values: (name: string) => values.get(name) ?? [], sum, declared };
}

/** Switches the functions' metrics on, in the namespace `sla-desk/test`; returns what puts the environment back. */
export function metricsOn(): () => void {
  const before = { POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED, POWERTOOLS_METRICS_NAMESPACE: process.env.POWERTOOLS_METRICS_NAMESPACE };
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  process.env.POWERTOOLS_METRICS_NAMESPACE = 'sla-desk/test';
  return () => {
    for (const [key, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}
