import { SERVICE } from './metric-names';
import { useTracing } from './observability';

/**
 * Traces on Lambda (X-Ray) only. Elsewhere (no AWS_EXECUTION_ENV: the local
 * stack, tests) Powertools' tracer would be disabled anyway, and its X-Ray
 * context library is not even loaded: loading it turns on async hooks for the
 * whole process, a cost on every promise for nothing.
 */
if (process.env.AWS_EXECUTION_ENV) {
  const [{ Tracer }, { captureLambdaHandler }] = await Promise.all([import('@aws-lambda-powertools/tracer'), import('@aws-lambda-powertools/tracer/middleware')]);
  const tracer = new Tracer({ serviceName: SERVICE });
  // Imported by the entry of each function that traces its calls one by one, before its handler is built.
  useTracing({
    // Not the response as trace metadata: it holds descriptions and comment bodies.
    middleware: captureLambdaHandler(tracer, { captureResponse: false }),
    capture: (client) => tracer.captureAWSv3Client(client as never),
  });
}
