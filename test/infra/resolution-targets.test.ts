import type { CfnElement } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { synthStage } from '../support/synth';

/* A stage's resolution targets reach every function that shows or reports them, as the functions read them. */
describe("a stage's resolution targets", () => {
  it('are given to the API, timer, relay and report functions as RESOLUTION_TARGETS, and absent without the context', () => {
    const { stack, resources } = synthStage('dev', { resolutionTargets: 'highest=0.5,high=2' });
    const env = (fn: { fn: { node: { defaultChild?: unknown } } }) =>
      resources[stack.resolve((fn.fn.node.defaultChild as CfnElement).logicalId) as string]!.Properties.Environment.Variables as Record<string, unknown>;
    const functions = [...stack.api.capabilities.values(), stack.timers.timerFunction, stack.alerts.relay, stack.reports.reportFunction];
    for (const fn of functions) expect(env(fn).RESOLUTION_TARGETS).toBe('highest=0.5,high=2,medium=5,low=10,lowest=20');

    const { stack: plain, resources: plainResources } = synthStage('dev');
    const tickets = plain.api.capabilities.get('tickets')!;
    const variables = plainResources[plain.resolve((tickets.fn.node.defaultChild as CfnElement).logicalId) as string]!.Properties.Environment.Variables;
    expect(variables.RESOLUTION_TARGETS).toBeUndefined();
  });
});
