import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { type Dependencies, withDependencies } from '#handlers/dependencies';

/**
 * The context the twin invokes a function with: what Lambda gives, plus the
 * stack's own dependencies, so each stack's handlers work on its own table,
 * clock and outbox, however many stacks share the process.
 */
export const invocation = (name: string, deps: Dependencies): Context =>
  withDependencies(
    {
      callbackWaitsForEmptyEventLoop: false,
      functionName: name,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${name}`,
      memoryLimitInMB: '1024',
      awsRequestId: randomUUID(),
      logGroupName: `/aws/lambda/${name}`,
      logStreamName: 'local',
      getRemainingTimeInMillis: () => 29_000,
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    },
    deps,
  );
