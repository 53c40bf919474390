import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { SERVICE } from './metric-names';
import { useTracing } from './observability';

/** Traces on Lambda (X-Ray); off elsewhere (no AWS_EXECUTION_ENV), so the local stack sends nothing. */
const tracer = new Tracer({ serviceName: SERVICE });

// Imported by the entry of each function that traces its calls one by one, before its handler is built.
useTracing({
  // Not the response as trace metadata: it holds descriptions and comment bodies.
  middleware: captureLambdaHandler(tracer, { captureResponse: false }),
  capture: (client) => tracer.captureAWSv3Client(client as never),
});
