import { randomUUID } from 'node:crypto';
import { LogFormatter, LogItem, Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { currentCorrelationId, isCorrelationId, withCorrelationId } from '../adapters/correlation';
import type { AlertSender } from '../domain/notifications/alerts';
import { METRIC, type MetricName, SERVICE } from './metric-names';

export { METRIC };

export { MetricUnit };

/** Powertools' standard keys, plus the correlation id of the work under way. */
class CorrelatedLogFormatter extends LogFormatter {
  formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    const correlationId = currentCorrelationId();
    const context = attributes.lambdaContext;
    return new LogItem({
      attributes: {
        level: attributes.logLevel,
        message: attributes.message,
        timestamp: this.formatTimestamp(attributes.timestamp),
        service: attributes.serviceName,
        cold_start: context?.coldStart,
        function_arn: context?.invokedFunctionArn,
        function_memory_size: context?.memoryLimitInMB,
        function_name: context?.functionName,
        function_request_id: context?.awsRequestId,
        sampling_rate: attributes.sampleRateValue,
        xray_trace_id: attributes.xRayTraceId,
        ...(correlationId ? { correlation_id: correlationId } : {}),
      },
    }).addAttributes(additional);
  }
}

// Internationalized addresses too: letters of any script, and punycode top-level domains (xn--…).
const EMAIL = /[\p{L}\p{N}.!#$%&'*+/=?^_`{|}~-]+@((?:[\p{L}\p{N}-]+\.)+\p{L}[\p{L}\p{N}-]+)/gu;
const BEARER = /\bBearer\s+[^\s"',]+/gi;
const JWT = /\beyJ[\w-]+\.[\w-]+\.[\w-]*/g;

/** Email addresses down to their domain, tokens gone: what any log line may show of them. */
export function redact(text: string): string {
  return text.replace(BEARER, 'Bearer …').replace(JWT, '…').replace(EMAIL, '…@$1');
}

/** The one logger of every function: JSON, with `correlation_id`, and every string redacted on the way out. */
export const logger = new Logger({
  serviceName: SERVICE,
  logFormatter: new CorrelatedLogFormatter(),
  jsonReplacerFn: (_key, value) => (typeof value === 'string' ? redact(value) : value),
});

/**
 * X-Ray subsegments, for the functions whose entry imports `./tracing`: the
 * scheduled and asynchronous ones, where a run's calls are worth seeing one by
 * one. The HTTP functions leave the X-Ray SDK out of their bundles (~137 KiB,
 * a slower cold start); Lambda's active tracing still records their invocations.
 */
export interface Tracing {
  /** Around the handler: the function's segment annotated with cold start and errors. */
  readonly middleware: MiddlewareObj;
  /** An AWS SDK client, traced as a subsegment per call. */
  capture<C>(client: C): C;
}

let tracing: Tracing | undefined;

/** Set once by `./tracing`, before any handler is built. */
export function useTracing(chosen: Tracing): void {
  tracing = chosen;
}

/** An AWS SDK client, traced as a subsegment per call where the function traces subsegments; else itself. */
export const traced = <C>(client: C): C => (tracing ? tracing.capture(client) : client);

let instance: Metrics | undefined;

/**
 * The metrics (EMF), namespace from POWERTOOLS_METRICS_NAMESPACE. Made on first
 * use, after the local stack has chosen whether it prints metrics at all.
 */
export function metrics(): Metrics {
  instance ??= new Metrics({ serviceName: SERVICE });
  return instance;
}

export function count(name: MetricName, value = 1): void {
  metrics().addMetric(name, MetricUnit.Count, value);
}

/** Publishes what was stored; a function that stored nothing prints nothing. */
export function publishMetrics(): void {
  if (instance?.hasStoredMetrics()) instance.publishStoredMetrics();
}

/**
 * An error as logs may show it: name, message and stack, redacted and clipped.
 * Never its other fields: an SDK error can carry the item it was about
 * (ConditionalCheckFailed's Item, a cancelled transaction's reasons).
 */
export function safeError(error: unknown, depth = 0): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: redact(String(error)).slice(0, 300) };
  const metadata = (error as { $metadata?: { httpStatusCode?: number; requestId?: string } }).$metadata;
  return {
    name: error.name,
    message: redact(error.message).slice(0, 300),
    ...(error.stack
      ? {
          stack: error.stack
            .split('\n')
            .slice(1, 12)
            .map((line) => redact(line.trim())),
        }
      : {}),
    ...(metadata ? { aws: { status: metadata.httpStatusCode, requestId: metadata.requestId } } : {}),
    // A few causes deep at most: a cycle of causes must not overflow the error path.
    ...(error.cause !== undefined && depth < 3 ? { cause: safeError(error.cause, depth + 1) } : {}),
  };
}

/** Publishes the invocation's metrics whether it succeeded or not. */
const metricsFlush = (): MiddlewareObj => ({
  after: () => publishMetrics(),
  onError: () => publishMetrics(),
});

/** The correlation id an asynchronous invoke carries in its event (timers, report requests); lambdaHandler checks it is sane. */
export const correlationIdOfEvent = (event: unknown): string | undefined => (event && typeof event === 'object' && 'correlationId' in event ? String(event.correlationId) : undefined);

/**
 * A function's entry point: traced (where it uses `./tracing`), the Lambda context in its logs, its metrics
 * published, and all of it under one correlation id (the event's, else the
 * invocation's). `use` adds the function's own middleware, innermost.
 */
export function lambdaHandler<E, R>(
  run: (event: E, context: Context) => Promise<R>,
  options: { correlationIdOf?: (event: E) => string | undefined; use?: readonly MiddlewareObj<E, R>[] } = {},
): (event: E, context?: Context) => Promise<R> {
  let wrapped = middy<E, R>();
  if (tracing) wrapped = wrapped.use(tracing.middleware as MiddlewareObj<E, R>);
  wrapped = wrapped
    // Never the event, whatever POWERTOOLS_LOGGER_LOG_EVENT says: it holds bearer tokens and bodies.
    .use(injectLambdaContext(logger, { logEvent: false }) as MiddlewareObj<E, R>)
    .use(metricsFlush() as MiddlewareObj<E, R>);
  for (const middleware of options.use ?? []) wrapped = wrapped.use(middleware);
  const handler = wrapped.handler(run);
  return (event, context = {} as Context) => {
    const fromEvent = options.correlationIdOf?.(event);
    const id = isCorrelationId(fromEvent) ? fromEvent : isCorrelationId(context.awsRequestId) ? context.awsRequestId : randomUUID();
    return withCorrelationId(id, () => handler(event, context));
  };
}

/** Delivery attempts and failures per alert, each logged under the correlation id of what raised it. */
export function observedSender(sender: AlertSender): AlertSender {
  return {
    async send(message) {
      const id = isCorrelationId(message.correlationId) ? message.correlationId : currentCorrelationId();
      const attempt = async () => {
        count(METRIC.alertDeliveryAttempts);
        const about = { alert: message.id, channel: message.channel, kind: message.kind };
        try {
          await sender.send(message);
        } catch (error) {
          count(METRIC.alertDeliveryFailures);
          logger.warn('alert not accepted; it stays queued', { ...about, error: safeError(error) });
          throw error;
        }
        logger.info('alert delivered', about);
      };
      return id ? withCorrelationId(id, attempt) : attempt();
    },
  };
}
