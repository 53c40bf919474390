import { Duration, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmStatusWidget,
  AlarmWidget,
  type CfnDashboard,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { SlaDeskApi } from './api';
import type { SlaDeskOperations } from './operations';
import { METRIC, type MetricName } from '../functions/handlers/metric-names';
import { publishedMetric, type SlaDeskFunction } from './sla-desk-function';

const FIVE_MINUTES = Duration.minutes(5);

/** What the alarms hold the service to. */
const THRESHOLDS = {
  /** Share of API requests answered 5xx in five minutes, percent. */
  apiErrorRatePercent: 1,
  /** Fewer requests than this in five minutes are too few for a rate. */
  apiErrorRateMinRequests: 10,
  /** p99 latency of the API, milliseconds. */
  apiLatencyP99Ms: 3000,
  /** Failed alert deliveries in 15 minutes (each retried by the relay). */
  alertDeliveryFailures: 3,
  /** The contract's availability target, percent of the month to date. */
  availabilityPercent: 99.5,
} as const;

export interface SlaDeskMonitoringProps {
  readonly stage: string;
  readonly operations: SlaDeskOperations;
  readonly api: SlaDeskApi;
  /** Every function of the stack, for the per-function graphs (and alarms, when asked for). */
  readonly functions: readonly SlaDeskFunction[];
  /** Shown as they stand on the dashboard. */
  readonly deadLettersAlarm: Alarm;
  /** A CloudWatch dashboard ($3 a month). */
  readonly dashboard: boolean;
  /** An Errors and a Throttles alarm for every function ($0.10 a month each). */
  readonly functionAlarms: boolean;
}

/**
 * The service's alarms beyond each scheduled function's own, and its
 * dashboard. Alarms are billed per metric they evaluate, so each concern is
 * one alarm on one or two metrics: API failures surface as its 5xx rate
 * (every route's function answers through it), throttling is account-wide
 * (no function has reserved concurrency), and the functions' own metrics are
 * graphed one by one on the dashboard. `functionAlarms` adds an alarm per
 * function and concern for those who want them paged individually.
 */
export class SlaDeskMonitoring extends Construct {
  readonly apiErrorRateAlarm: Alarm;
  readonly apiLatencyAlarm: Alarm;
  readonly throttlesAlarm: Alarm;
  readonly alertDeliveryAlarm: Alarm;
  readonly probeFailuresAlarm: Alarm;
  readonly probeSamplesMissingAlarm: Alarm;
  readonly availabilityAlarm: Alarm;
  readonly reportsMissingAlarm: Alarm;
  /** Per function, when `functionAlarms`: its Errors alarm (unless it had one) and its Throttles alarm. */
  readonly functionAlarms: Alarm[] = [];
  readonly dashboard?: Dashboard;
  private readonly stage: string;

  constructor(scope: Construct, id: string, props: SlaDeskMonitoringProps) {
    super(scope, id);
    this.stage = props.stage;
    const { operations } = props;
    const api = props.api.api;
    /** An alarm to on-call; no data is healthy (a quiet metric means nothing happened). */
    const page = (
      id: string,
      description: string,
      metric: IMetric,
      threshold: number,
      options: { readonly comparison?: ComparisonOperator; readonly periods?: number; readonly datapoints?: number; readonly scope?: Construct } = {},
    ): Alarm => {
      const alarm = new Alarm(options.scope ?? this, id, {
        alarmDescription: description,
        metric,
        threshold,
        comparisonOperator: options.comparison ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: options.periods ?? 1,
        ...(options.datapoints ? { datapointsToAlarm: options.datapoints } : {}),
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      operations.notify(alarm);
      return alarm;
    };

    const errors = api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' });
    const requests = api.metricCount({ period: FIVE_MINUTES, statistic: 'Sum' });
    this.apiErrorRateAlarm = page(
      'ApiErrorRateAlarm',
      `More than ${THRESHOLDS.apiErrorRatePercent}% of API requests were answered 5xx in five minutes (of at least ${THRESHOLDS.apiErrorRateMinRequests}): a route's function fails, times out or is throttled. The dashboard shows which function's errors rose; its logs say why.`,
      new MathExpression({
        label: 'API 5xx, percent of requests',
        expression: `IF(requests >= ${THRESHOLDS.apiErrorRateMinRequests}, 100 * FILL(errors, 0) / requests, 0)`,
        usingMetrics: { errors, requests },
        period: FIVE_MINUTES,
      }),
      THRESHOLDS.apiErrorRatePercent,
      { comparison: ComparisonOperator.GREATER_THAN_THRESHOLD },
    );

    this.apiLatencyAlarm = page(
      'ApiLatencyAlarm',
      `The API's p99 latency was over ${THRESHOLDS.apiLatencyP99Ms / 1000} s in two of the last three five-minute periods: a slow dependency (DynamoDB, Cognito's keys) or a function near its timeout.`,
      api.metricLatency({ period: FIVE_MINUTES, statistic: 'p99' }),
      THRESHOLDS.apiLatencyP99Ms,
      { comparison: ComparisonOperator.GREATER_THAN_THRESHOLD, periods: 3, datapoints: 2 },
    );

    // Lambda's account-wide figure: with no reserved concurrency, a throttle anywhere is the account's limit reached.
    this.throttlesAlarm = page(
      'ThrottlesAlarm',
      "Lambda throttled an invocation in this account and region: the concurrency limit is reached. API calls get 5xx, scheduled runs are delayed. The dashboard's throttles graph shows which functions.",
      new Metric({ namespace: 'AWS/Lambda', metricName: 'Throttles', statistic: 'Sum', period: FIVE_MINUTES }),
      1,
    );

    this.alertDeliveryAlarm = page(
      'AlertDeliveryAlarm',
      `At least ${THRESHOLDS.alertDeliveryFailures} alert deliveries failed in 15 minutes (SES or SNS refused them); the relay retries them, and the backlog alarm pages if one waits 15 minutes. Check the relay logs.`,
      this.metric(METRIC.alertDeliveryFailures, 'Sum', Duration.minutes(15)),
      THRESHOLDS.alertDeliveryFailures,
    );

    this.probeFailuresAlarm = page(
      'ProbeFailuresAlarm',
      'The availability probe found a target down in two runs in a row: an incident, which counts against availability unless an announced service window covers it.',
      this.metric(METRIC.probeFailures, 'Sum', FIVE_MINUTES),
      1,
      { periods: 2, datapoints: 2 },
    );

    this.probeSamplesMissingAlarm = page(
      'ProbeSamplesMissingAlarm',
      'The availability probe could not record a sample: the slot will count as missing. Check the probe logs and the table. (A probe that does not run at all pages through its own missing-samples alarm.)',
      this.metric(METRIC.probeSamplesMissing, 'Sum', FIVE_MINUTES),
      1,
    );

    this.availabilityAlarm = page(
      'AvailabilityAlarm',
      `A measured target's availability this month to date is below the contract's ${THRESHOLDS.availabilityPercent}% (operating hours, service windows excluded).`,
      // Published once an hour: a shorter period would see gaps, read them as healthy, and page again every hour.
      this.metric(METRIC.availabilityMonthToDate, 'Minimum', Duration.hours(1)),
      THRESHOLDS.availabilityPercent,
      { comparison: ComparisonOperator.LESS_THAN_THRESHOLD },
    );

    this.reportsMissingAlarm = page(
      'MonthlyReportMissingAlarm',
      "Last month's report had not appeared by 07:00 on the 1st. Generate it with POST /reports/{YYYY-MM}, after checking the report function's logs.",
      this.metric(METRIC.monthlyReportsMissing, 'Maximum', Duration.hours(1)),
      1,
    );

    if (props.functionAlarms) {
      for (const fn of props.functions) {
        if (!operations.pagesOnErrors(fn)) this.functionAlarms.push(operations.pageOnErrors(fn, 'it failed; see its logs.'));
        this.functionAlarms.push(page('ThrottlesAlarm', `${fn.fn.node.path}: Lambda throttled it.`, fn.fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }), 1, { scope: fn }));
      }
    }

    if (props.dashboard) this.dashboard = this.buildDashboard(props);
  }

  /** A metric the functions publish (EMF). */
  metric(metricName: MetricName, statistic: string, period: Duration, label?: string): Metric {
    return publishedMetric(this.stage, metricName, statistic, period, label);
  }

  private buildDashboard(props: SlaDeskMonitoringProps): Dashboard {
    const api = props.api.api;
    const day = Duration.days(1);
    // Dashboard names are unique per account across regions (dashboards are global), so the name carries the region:
    // a stage deployed in a second region gets its own. An environment-agnostic stack's region is a token, which
    // CDK's name check (alphanumerics, dash, underscore) skips; the template joins it in.
    const dashboardName = `sla-desk-${props.stage}-${Stack.of(this).region}`;
    const dashboard = new Dashboard(this, 'Dashboard', { dashboardName, defaultInterval: Duration.days(7) });
    // cfn-lint's schema can be older than CloudFormation: releases from before dashboards took Tags (June 2026) report
    // the stack's tags here as E3002, an unknown property, though CloudFormation accepts them (cfn-lint 1.51 knows them).
    // So that one check is ignored on this one resource; every other check still runs on it.
    (dashboard.node.defaultChild as CfnDashboard).addMetadata('cfn-lint', { config: { ignore_checks: ['E3002'] } });
    const graph = (title: string, left: IMetric[], extra: Partial<ConstructorParameters<typeof GraphWidget>[0]> = {}) => new GraphWidget({ title, left, width: 12, height: 6, ...extra });
    const byFunction = (what: string, metricOf: (fn: SlaDeskFunction) => IMetric) =>
      chunks([...props.functions], 25).map((part, i, all) => graph(`Lambda ${what}, per function${all.length > 1 ? ` (${i + 1}/${all.length})` : ''}`, part.map(metricOf)));
    const label = (fn: SlaDeskFunction) => fn.node.id;

    dashboard.addWidgets(
      graph('API requests and errors', [
        api.metricCount({ period: FIVE_MINUTES, statistic: 'Sum', label: 'requests' }),
        api.metricClientError({ period: FIVE_MINUTES, statistic: 'Sum', label: '4xx' }),
        api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum', label: '5xx' }),
      ]),
      graph(
        'API latency (ms)',
        [
          api.metricLatency({ period: FIVE_MINUTES, statistic: 'p50', label: 'latency p50' }),
          api.metricLatency({ period: FIVE_MINUTES, statistic: 'p99', label: 'latency p99' }),
          api.metricIntegrationLatency({ period: FIVE_MINUTES, statistic: 'p99', label: 'integration latency p99' }),
        ],
        { leftAnnotations: [{ value: THRESHOLDS.apiLatencyP99Ms, label: 'alarm' }] },
      ),
    );
    dashboard.addWidgets(...byFunction('errors', (fn) => fn.fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum', label: label(fn) })));
    dashboard.addWidgets(...byFunction('throttles', (fn) => fn.fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum', label: label(fn) })));
    dashboard.addWidgets(
      new AlarmWidget({ title: 'Messages on dead-letter queues', alarm: props.deadLettersAlarm, width: 12, height: 6 }),
      graph('Alert delivery', [this.metric(METRIC.alertDeliveryAttempts, 'Sum', FIVE_MINUTES, 'attempts'), this.metric(METRIC.alertDeliveryFailures, 'Sum', FIVE_MINUTES, 'failures')], {
        right: [this.metric(METRIC.oldestPendingAlertAge, 'Maximum', FIVE_MINUTES, 'oldest pending (s)')],
      }),
    );
    dashboard.addWidgets(
      graph('Availability probe', [this.metric(METRIC.probeFailures, 'Sum', FIVE_MINUTES, 'target down'), this.metric(METRIC.probeSamplesMissing, 'Sum', FIVE_MINUTES, 'samples missing')]),
      graph('Availability, month to date (%)', [this.metric(METRIC.availabilityMonthToDate, 'Minimum', Duration.hours(1), 'lowest target')], {
        leftAnnotations: [{ value: THRESHOLDS.availabilityPercent, label: 'contract' }],
      }),
    );
    dashboard.addWidgets(
      graph('Monthly report', [this.metric(METRIC.reportGenerationTime, 'Maximum', day, 'generation time (ms)')], {
        right: [this.metric(METRIC.monthlyReportsMissing, 'Maximum', day, 'missing at 07:00 on the 1st')],
      }),
      graph('Tickets opened, per day', [this.metric(METRIC.ticketsOpened, 'Sum', day, 'opened')]),
    );
    dashboard.addWidgets(
      graph('First response (business minutes)', [
        this.metric(METRIC.firstResponseBusinessMinutes, 'Average', day, 'average'),
        this.metric(METRIC.firstResponseBusinessMinutes, 'Maximum', day, 'longest'),
      ]),
      graph('SLA warnings and breaches, per day', [this.metric(METRIC.slaWarnings, 'Sum', day, 'warnings'), this.metric(METRIC.slaBreaches, 'Sum', day, 'breaches')]),
    );
    return dashboard;
  }

  /** Adds the alarm status of every alarm given (called once all exist). */
  showAlarms(alarms: readonly Alarm[]): void {
    this.dashboard?.addWidgets(new AlarmStatusWidget({ title: 'Alarms', alarms: [...alarms], width: 24, height: 6 }));
  }
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
