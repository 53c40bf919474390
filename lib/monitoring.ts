import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmStatusWidget,
  AlarmWidget,
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
import { metricsNamespace, type SlaDeskFunction } from './sla-desk-function';

const FIVE_MINUTES = Duration.minutes(5);

/** What the alarms hold the service to. */
export const THRESHOLDS = {
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
  private readonly namespace: string;

  constructor(scope: Construct, id: string, props: SlaDeskMonitoringProps) {
    super(scope, id);
    this.namespace = metricsNamespace(props.stage);
    const { operations } = props;
    const api = props.api.api;
    const page = (alarm: Alarm) => {
      operations.notify(alarm);
      return alarm;
    };

    const errors = api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' });
    const requests = api.metricCount({ period: FIVE_MINUTES, statistic: 'Sum' });
    this.apiErrorRateAlarm = page(
      new Alarm(this, 'ApiErrorRateAlarm', {
        alarmDescription: `More than ${THRESHOLDS.apiErrorRatePercent}% of API requests were answered 5xx in five minutes (of at least ${THRESHOLDS.apiErrorRateMinRequests}): a route's function fails, times out or is throttled. The dashboard shows which function's errors rose; its logs say why.`,
        metric: new MathExpression({
          label: 'API 5xx, percent of requests',
          expression: `IF(requests >= ${THRESHOLDS.apiErrorRateMinRequests}, 100 * FILL(errors, 0) / requests, 0)`,
          usingMetrics: { errors, requests },
          period: FIVE_MINUTES,
        }),
        threshold: THRESHOLDS.apiErrorRatePercent,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );

    this.apiLatencyAlarm = page(
      new Alarm(this, 'ApiLatencyAlarm', {
        alarmDescription: `The API's p99 latency was over ${THRESHOLDS.apiLatencyP99Ms / 1000} s in two of the last three five-minute periods: a slow dependency (DynamoDB, Cognito's keys) or a function near its timeout.`,
        metric: api.metricLatency({ period: FIVE_MINUTES, statistic: 'p99' }),
        threshold: THRESHOLDS.apiLatencyP99Ms,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );

    // Lambda's account-wide figure: with no reserved concurrency, a throttle anywhere is the account's limit reached.
    this.throttlesAlarm = page(
      new Alarm(this, 'ThrottlesAlarm', {
        alarmDescription: "Lambda throttled an invocation in this account and region: the concurrency limit is reached. API calls get 5xx, scheduled runs are delayed. The dashboard's throttles graph shows which functions.",
        metric: new Metric({ namespace: 'AWS/Lambda', metricName: 'Throttles', statistic: 'Sum', period: FIVE_MINUTES }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );

    this.alertDeliveryAlarm = page(
      new Alarm(this, 'AlertDeliveryAlarm', {
        alarmDescription: `At least ${THRESHOLDS.alertDeliveryFailures} alert deliveries failed in 15 minutes (SES or SNS refused them); the relay retries them, and the backlog alarm pages if one waits 15 minutes. Check the relay logs.`,
        metric: this.metric('AlertDeliveryFailures', 'Sum', Duration.minutes(15)),
        threshold: THRESHOLDS.alertDeliveryFailures,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );

    this.probeFailuresAlarm = page(
      new Alarm(this, 'ProbeFailuresAlarm', {
        alarmDescription: 'The availability probe found a target down in two runs in a row: an incident that counts against availability (outside service windows).',
        metric: this.metric('ProbeFailures', 'Sum', FIVE_MINUTES),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );

    this.probeSamplesMissingAlarm = page(
      new Alarm(this, 'ProbeSamplesMissingAlarm', {
        alarmDescription: 'The availability probe could not record a sample: the slot will count as missing. Check the probe logs and the table. (A probe that does not run at all pages through its own missing-samples alarm.)',
        metric: this.metric('ProbeSamplesMissing', 'Sum', FIVE_MINUTES),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );

    this.availabilityAlarm = page(
      new Alarm(this, 'AvailabilityAlarm', {
        alarmDescription: `A measured target's availability this month to date is below the contract's ${THRESHOLDS.availabilityPercent}% (operating hours, service windows excluded).`,
        metric: this.metric('AvailabilityMonthToDate', 'Minimum', Duration.minutes(15)),
        threshold: THRESHOLDS.availabilityPercent,
        comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );

    this.reportsMissingAlarm = page(
      new Alarm(this, 'MonthlyReportMissingAlarm', {
        alarmDescription: "Last month's report had not appeared by 07:00 on the 1st. Generate it with POST /reports/{YYYY-MM}, after checking the report function's logs.",
        metric: this.metric('MonthlyReportsMissing', 'Maximum', Duration.hours(1)),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );

    if (props.functionAlarms) {
      for (const fn of props.functions) {
        if (!operations.pagesOnErrors(fn)) this.functionAlarms.push(operations.pageOnErrors(fn, 'it failed; see its logs.'));
        this.functionAlarms.push(
          page(
            new Alarm(fn, 'ThrottlesAlarm', {
              alarmDescription: `${fn.fn.node.path}: Lambda throttled it.`,
              metric: fn.fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
              threshold: 1,
              comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
              evaluationPeriods: 1,
              treatMissingData: TreatMissingData.NOT_BREACHING,
            }),
          ),
        );
      }
    }

    if (props.dashboard) this.dashboard = this.buildDashboard(props);
  }

  /** A metric the functions publish (EMF): this stage's namespace, dimension service=sla-desk. */
  metric(metricName: string, statistic: string, period: Duration, label?: string): Metric {
    return new Metric({ namespace: this.namespace, metricName, dimensionsMap: { service: 'sla-desk' }, statistic, period, label });
  }

  private buildDashboard(props: SlaDeskMonitoringProps): Dashboard {
    const api = props.api.api;
    const day = Duration.days(1);
    const dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `sla-desk-${props.stage}`, defaultInterval: Duration.days(7) });
    const graph = (title: string, left: IMetric[], extra: Partial<ConstructorParameters<typeof GraphWidget>[0]> = {}) =>
      new GraphWidget({ title, left, width: 12, height: 6, ...extra });
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
      graph(
        'Alert delivery',
        [this.metric('AlertDeliveryAttempts', 'Sum', FIVE_MINUTES, 'attempts'), this.metric('AlertDeliveryFailures', 'Sum', FIVE_MINUTES, 'failures')],
        { right: [this.metric('OldestPendingAlertAge', 'Maximum', FIVE_MINUTES, 'oldest pending (s)')] },
      ),
    );
    dashboard.addWidgets(
      graph('Availability probe', [this.metric('ProbeFailures', 'Sum', FIVE_MINUTES, 'target down'), this.metric('ProbeSamplesMissing', 'Sum', FIVE_MINUTES, 'samples missing')]),
      graph('Availability, month to date (%)', [this.metric('AvailabilityMonthToDate', 'Minimum', Duration.hours(1), 'lowest target')], {
        leftAnnotations: [{ value: THRESHOLDS.availabilityPercent, label: 'contract' }],
      }),
    );
    dashboard.addWidgets(
      graph('Monthly report', [this.metric('ReportGenerationTime', 'Maximum', day, 'generation time (ms)')], {
        right: [this.metric('MonthlyReportsMissing', 'Maximum', day, 'missing at 07:00 on the 1st')],
      }),
      graph('Tickets opened, per day', [this.metric('TicketsOpened', 'Sum', day, 'opened')]),
    );
    dashboard.addWidgets(
      graph('First response (business minutes)', [
        this.metric('FirstResponseBusinessMinutes', 'Average', day, 'average'),
        this.metric('FirstResponseBusinessMinutes', 'Maximum', day, 'longest'),
      ]),
      graph('SLA warnings and breaches, per day', [this.metric('SlaWarnings', 'Sum', day, 'warnings'), this.metric('SlaBreaches', 'Sum', day, 'breaches')]),
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
