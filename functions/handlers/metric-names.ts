/**
 * The metrics the functions publish (EMF) and the alarms and dashboard read:
 * one list, so a renamed metric cannot leave an alarm watching nothing.
 */
export const METRIC = {
  ticketsOpened: 'TicketsOpened',
  firstResponseBusinessMinutes: 'FirstResponseBusinessMinutes',
  slaWarnings: 'SlaWarnings',
  slaBreaches: 'SlaBreaches',
  sweptBreaches: 'SweptBreaches',
  sweepFailures: 'SweepFailures',
  alertDeliveryAttempts: 'AlertDeliveryAttempts',
  alertDeliveryFailures: 'AlertDeliveryFailures',
  oldestPendingAlertAge: 'OldestPendingAlertAge',
  /** A step of the relay's round that failed, with the step's name as dimension `step`. */
  relayStepFailures: 'RelayStepFailures',
  probeFailures: 'ProbeFailures',
  probeSamplesMissing: 'ProbeSamplesMissing',
  availabilityMonthToDate: 'AvailabilityMonthToDate',
  reportGenerationTime: 'ReportGenerationTime',
  monthlyReportsMissing: 'MonthlyReportsMissing',
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/** The service name of every function's logs, traces and metrics (the metrics' one dimension). */
export const SERVICE = 'sla-desk';

/** Where a stage's functions publish their metrics. */
export const metricsNamespace = (stage: string) => `sla-desk/${stage}`;
