import type { TestProject } from 'vitest/node';
import { ensureConsole } from '../../bin/local/console';
import { startDynamoDbLocal } from '../../bin/local/dynamodb-local';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

/** One real DynamoDB Local (in memory) for the whole run; each test file makes its own table. */
export default async function setup(project: TestProject) {
  // Built here from the sources as they are, so the browser tests never see an older build, and test stacks starting at once never race to build it.
  await ensureConsole(() => undefined, { rebuild: true });
  const dynamo = await startDynamoDbLocal();
  project.provide('dynamoEndpoint', dynamo.endpoint);
  return () => dynamo.stop();
}
