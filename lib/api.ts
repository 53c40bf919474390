import { Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { type CfnStage, CorsHttpMethod, HttpApi, HttpMethod, HttpNoneAuthorizer, HttpRoute, HttpRouteKey, HttpStage, LogGroupLogDestination, PayloadFormatVersion } from 'aws-cdk-lib/aws-apigatewayv2';
import type { HttpLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { CORS_EXPOSED_HEADERS, CORS_REQUEST_HEADERS } from '../functions/handlers/http/headers';
import { type Capability, capabilityEntry, ROUTES, type RouteSpec, routeKey } from '../functions/handlers/http/routes';
import { ERASED_FROM } from '../functions/adapters/dynamodb/table';
import { type FunctionSettings, type LogLevel, SlaDeskFunction, type FunctionEnvironment } from './sla-desk-function';

/** Requests per second, steady and in a burst. */
export interface Throttle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/**
 * A route's own limits, from its declaration. HTTP APIs have no per-client
 * quotas: each limit is a ceiling shared by every caller of the route, so it is
 * sized above the whole planned load (docs/capacity-and-cost.md: ~50 requests a second
 * at the Monday peak at 100 times today's target) and guards cost and the table,
 * not fairness. Asking for a report starts a minutes-long run, so it is the
 * lowest; health is what the availability probe measures, so anonymous traffic
 * must not push it into 429s (a 429 there reads as downtime).
 */
export function routeThrottle(route: Pick<RouteSpec, 'probed' | 'authenticated' | 'writes' | 'reports'>): Throttle {
  if (route.reports === 'request') return { rateLimit: 1, burstLimit: 2 };
  if (route.probed) return { rateLimit: 500, burstLimit: 1000 };
  if (!route.authenticated) return { rateLimit: 10, burstLimit: 20 };
  if (route.reports === 'read') return { rateLimit: 20, burstLimit: 40 };
  if (route.writes) return { rateLimit: 50, burstLimit: 100 };
  return { rateLimit: 100, burstLimit: 200 };
}

export interface SlaDeskApiProps {
  readonly functions: FunctionSettings;
  readonly table: ITable;
  /** Who may call every authenticated route: people's access tokens and integrations' signed assertions (lib/authorizer.ts). */
  readonly authorizer: HttpLambdaAuthorizer;
  /** More settings for every route's function (the SLA timer settings). */
  readonly environment?: FunctionEnvironment;
  /** @default ROUTES */
  readonly routes?: readonly RouteSpec[];
  /** Limits of what no declared route takes ($default), requests per second. @default { rateLimit: 50, burstLimit: 100 } */
  readonly throttle?: Throttle;
  /** @default RetentionDays.SIX_MONTHS */
  readonly accessLogRetention?: RetentionDays;
  /** Of the access logs. @default RETAIN */
  readonly accessLogRemovalPolicy?: RemovalPolicy;
  readonly logLevel?: LogLevel;
  /** Origins browsers may call the API from (the console's). @default none */
  readonly corsOrigins?: readonly string[];
}

/** How long an HTTP API waits for its integration's answer at most: 30 s (API Gateway's HTTP API quotas, not raised above this). */
export const HTTP_API_INTEGRATION_TIMEOUT_SECONDS = 30;

/** The HTTP API: one function per capability, serving that capability's routes of the route table. */
export class SlaDeskApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  /** By capability. */
  readonly capabilities: ReadonlyMap<Capability, SlaDeskFunction>;
  /** The routes it serves. */
  readonly routes: readonly RouteSpec[];

  constructor(scope: Construct, id: string, props: SlaDeskApiProps) {
    super(scope, id);
    const routes = props.routes ?? ROUTES;
    this.routes = routes;
    const throttle = props.throttle ?? { rateLimit: 50, burstLimit: 100 };

    this.api = new HttpApi(this, 'HttpApi', {
      apiName: `${Stack.of(this).stackName}-api`,
      description: 'sla-desk HTTP API',
      // The default stage is created below, with access logs and throttling.
      createDefaultStage: false,
      ...(props.corsOrigins?.length
        ? {
            corsPreflight: {
              allowOrigins: [...props.corsOrigins],
              allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.PATCH, CorsHttpMethod.DELETE],
              allowHeaders: CORS_REQUEST_HEADERS,
              exposeHeaders: CORS_EXPOSED_HEADERS,
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention ?? RetentionDays.SIX_MONTHS,
      ...(props.accessLogRemovalPolicy ? { removalPolicy: props.accessLogRemovalPolicy } : {}),
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            sourceIp: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            routeKey: '$context.routeKey',
            path: '$context.path',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationStatus: '$context.integrationStatus',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            // Who called, as the Lambda authorizer's context names them.
            caller: '$context.authorizer.subject',
            error: '$context.error.message',
          }),
        ),
      },
    });

    const authorizer = props.authorizer;

    const cfnStage = this.stage.node.defaultChild as CfnStage;
    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    const capabilities = new Map<Capability, SlaDeskFunction>();
    const integrations = new Map<Capability, HttpLambdaIntegration>();
    for (const capability of new Set(routes.map((r) => r.capability))) {
      const served = routes.filter((r) => r.capability === capability);
      const fn = new SlaDeskFunction(this, capability, {
        entry: capabilityEntry(capability),
        description: `sla-desk ${capability}: ${served.map(routeKey).join(', ')}`.slice(0, 256),
        logLevel: props.logLevel,
        environment: props.environment,
        settings: props.functions,
        // An erasure may go through a large customer's every ticket: it gets all the time the API waits for an answer.
        ...(served.some((r) => r.deletes) ? { timeout: Duration.seconds(HTTP_API_INTEGRATION_TIMEOUT_SECONDS - 1) } : {}),
        // Writing routes are not scoped by dynamodb:LeadingKeys: opening a ticket writes the ticket, its customer's
        // sequence, the idempotency record and the outbox in one transaction (TICKET#, CUSTOMER#, IDEMPOTENCY#), and
        // the others likewise span an entity, its audit events, idempotency and alerts: the scope would be the table.
      }).bindTable(props.table, served.some((r) => r.writes) ? 'readWrite' : 'read', served.some((r) => r.deletes) ? ERASED_FROM : []);
      capabilities.set(capability, fn);
      // One integration per function; each route adds only itself and its invoke permission.
      const integration = new HttpLambdaIntegration(`${capability}-integration`, fn.fn, { payloadFormatVersion: PayloadFormatVersion.VERSION_2_0 });
      integrations.set(capability, integration);

      for (const route of served) {
        const [httpRoute] = this.api.addRoutes({
          path: route.path,
          methods: [HttpMethod[route.method]],
          integration,
          // The authorizer checks the token's scope itself: Lambda authorizers take no authorization scopes.
          authorizer: route.authenticated ? authorizer : new HttpNoneAuthorizer(),
        });
        const limits = routeThrottle(route);
        routeSettings[routeKey(route)] = { ThrottlingRateLimit: limits.rateLimit, ThrottlingBurstLimit: limits.burstLimit };
        // A stage's route settings name routes that must exist first.
        if (httpRoute) cfnStage.node.addDependency(httpRoute);
        // The route declaration must say why a route is public; it cannot be declared otherwise.
        if (!route.authenticated && httpRoute && route.publicReason) {
          Validations.of(httpRoute).acknowledge({ id: 'AwsSolutions-APIG4', reason: route.publicReason });
        }
      }
    }
    this.capabilities = capabilities;
    cfnStage.routeSettings = routeSettings;

    // What no declared route takes: 405 with Allow for a path that exists, 404 otherwise, as problem details; the public function answers.
    const publicIntegration = integrations.get('public');
    if (!publicIntegration) throw new Error('the route table declares no public route: the $default route has no function to answer it');
    const fallback = new HttpRoute(this, 'DefaultRoute', { httpApi: this.api, routeKey: HttpRouteKey.DEFAULT, integration: publicIntegration });
    Validations.of(fallback).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason: 'The $default route only answers 404 or 405 for requests no declared route takes; it reads no token and no data, so a caller learns nothing the OpenAPI document does not say.',
    });
  }

  /** The functions serving at least one route that matches, each once. */
  functionsFor(matches: (route: RouteSpec) => boolean): SlaDeskFunction[] {
    return [...new Set(this.routes.filter(matches).map((route) => this.capabilities.get(route.capability)!))];
  }

  get url(): string {
    return this.stage.url;
  }
}
