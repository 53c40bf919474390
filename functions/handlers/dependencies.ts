import type { ProbeTarget, SampleStore } from '../domain/availability/probe';
import type { ServiceWindowStore } from '../domain/availability/service-windows';
import type { BusinessCalendar } from '../domain/calendar/business-calendar';
import type { ConsultancyStore } from '../domain/consultancy/consultancy-store';
import { CustomerService, type CustomerStore } from '../domain/customers/customer';
import type { ReportFiles, ReportRegistry, ReportRequests } from '../domain/reports/report-archive';
import { HypercareDigestService } from '../domain/customers/digest';
import { HypercareMonitoring } from '../domain/customers/monitoring';
import { AvailabilityService } from '../domain/availability/availability-service';
import { ServiceWindowService } from '../domain/availability/service-window-service';
import { AlertDelivery } from '../domain/sla/alert-delivery';
import type { AlertOutbox } from '../domain/sla/alert-outbox';
import type { AlertSender } from '../domain/sla/alerts';
import { SlaTimerService } from '../domain/sla/sla-timer-service';
import type { TimerScheduler } from '../domain/sla/timer-scheduler';
import { TicketService } from '../domain/tickets/ticket-service';
import type { TicketStore } from '../domain/tickets/ticket-store';
import type { IdempotencyStore } from '../domain/idempotency';
import { IntegrationService, type IntegrationStore } from '../domain/integrations/integration';
import { type Config, loadConfig } from './config';
import { logger, observedSender, safeError, traced } from './observability';

/** The outside world as handlers see it: AWS on Lambda, local stand-ins under `npm start`. */
export interface DependencyParts {
  readonly calendar: BusinessCalendar;
  readonly now: () => number;
  readonly store: TicketStore;
  readonly idempotency: IdempotencyStore;
  readonly customers: CustomerStore;
  readonly outbox: AlertOutbox;
  readonly scheduler: TimerScheduler;
  /** Present where alerts are delivered (the timer and relay functions, the local stack). */
  readonly sender?: AlertSender;
  /** Customers' systems and the keys they sign with (the admin routes; the authorizer reads them itself). */
  readonly integrations: IntegrationStore;
  readonly onCall: readonly string[];
  readonly warningShare: number;
  readonly hypercareWarningShare?: number;
  readonly hypercareEscalation?: readonly string[];
  readonly samples: SampleStore;
  readonly probeTargets: readonly ProbeTarget[];
  readonly windows: ServiceWindowStore;
  readonly consultancy: ConsultancyStore;
  readonly reportRegistry: ReportRegistry;
  readonly reportFiles: ReportFiles;
  /** How the API asks for a month's report (the report function on AWS); absent, it is made at once (the local stack). */
  readonly reportRequests?: ReportRequests;
  readonly finance?: readonly string[];
}

export interface Dependencies extends DependencyParts {
  readonly tickets: TicketService;
  readonly serviceWindows: ServiceWindowService;
  readonly availability: AvailabilityService;
  readonly customerService: CustomerService;
  readonly integrationService: IntegrationService;
  readonly digests: HypercareDigestService;
  readonly monitoring: HypercareMonitoring;
  readonly timers: SlaTimerService;
  readonly delivery?: AlertDelivery;
}

let current: Promise<Dependencies> | undefined;

/**
 * Built on first use, not at import: the calendar's holiday data and the SDK
 * are the bulk of a bundle's load time, and health and openapi never need them.
 */
async function fromEnvironment(factories: Factories): Promise<Dependencies> {
  const config = loadConfig();
  const [{ createDocumentClient }, { dynamoStores }, { danishCalendar }, scheduler, sender, reportFiles, reportRequests] = await Promise.all([
    import('../adapters/dynamodb/client'),
    import('../adapters/dynamodb/stores'),
    import('../domain/calendar/danish-calendar'),
    factories.scheduler?.(config) ?? NO_SCHEDULER,
    factories.sender?.(config),
    factories.reportFiles?.(config) ?? NO_REPORT_FILES,
    factories.reportRequests?.(config),
  ]);
  const db = traced(createDocumentClient({ endpoint: config.DYNAMODB_ENDPOINT }));
  const calendar = danishCalendar();
  const health = config.API_HEALTH_URL ? [{ name: 'api', url: config.API_HEALTH_URL, expectedStatus: 200, timeoutMs: 5_000 }] : [];
  return assemble({
    calendar,
    now: Date.now,
    ...dynamoStores(db, config.TABLE_NAME, calendar.timeZone),
    scheduler,
    ...(sender ? { sender } : {}),
    reportFiles,
    ...(reportRequests ? { reportRequests } : {}),
    finance: config.FINANCE_EMAILS,
    onCall: config.ONCALL_EMAILS,
    warningShare: config.WARNING_SHARE,
    hypercareWarningShare: config.HYPERCARE_WARNING_SHARE,
    hypercareEscalation: config.HYPERCARE_ESCALATION_EMAILS,
    probeTargets: [...health, ...config.PROBE_TARGETS],
  });
}

/** The scheduler of a function that arms no timers: using it is a wiring mistake, never silent. */
const NO_SCHEDULER: TimerScheduler = {
  schedule: () => Promise.reject(new Error('this function arms no SLA timers: its handler passes no scheduler')),
  cancel: () => Promise.reject(new Error('this function arms no SLA timers: its handler passes no scheduler')),
};

/** The report files of a function that reads or writes none: using them is a wiring mistake. */
const NO_REPORT_FILES: ReportFiles = {
  put: () => Promise.reject(new Error('this function writes no report files: its handler passes no report store')),
  get: () => Promise.reject(new Error('this function reads no report files: its handler passes no report store')),
};

function assemble(parts: DependencyParts): Dependencies {
  // Every delivery attempt is counted and logged under the correlation id of what raised the alert.
  const delivery = parts.sender ? new AlertDelivery({ outbox: parts.outbox, sender: observedSender(parts.sender), now: parts.now }) : undefined;
  const timers = new SlaTimerService({
    ...parts,
    ...(delivery ? { delivery } : {}),
    onSweepFailure: (ticketId, error) => logger.error('the sweep could not check a ticket', { ticketId, error: safeError(error) }),
  });
  const tickets = new TicketService({
    ...parts,
    timers,
    onTimerFailure: (error) => logger.warn('timer work after a committed change failed; the sweep covers breaches', { error: safeError(error) }),
  });
  const serviceWindows = new ServiceWindowService(parts);
  const availability = new AvailabilityService(parts);
  const digests = new HypercareDigestService({ ...parts, availability });
  const monitoring = new HypercareMonitoring(parts);
  return {
    ...parts,
    timers,
    ...(delivery ? { delivery } : {}),
    tickets,
    serviceWindows,
    availability,
    customerService: new CustomerService(parts),
    integrationService: new IntegrationService(parts),
    digests,
    monitoring,
  };
}

/**
 * The AWS clients a function needs beyond DynamoDB, passed by its handler
 * module, so a function bundles only those: the alert sender (SES and SNS) for
 * the functions that deliver, Scheduler for those that arm timers.
 */
export interface Factories {
  readonly sender?: (config: Config) => Promise<AlertSender | undefined>;
  readonly scheduler?: (config: Config) => Promise<TimerScheduler>;
  /** S3, for the functions that write or serve report files. */
  readonly reportFiles?: (config: Config) => Promise<ReportFiles>;
  /** Lambda, for the route that asks the report function for a month's report. */
  readonly reportRequests?: (config: Config) => Promise<ReportRequests>;
}

/** The process's dependencies, built once from the environment. */
export function dependencies(factories: Factories = {}): Promise<Dependencies> {
  current ??= fromEnvironment(factories).catch((error: unknown) => {
    current = undefined;
    throw error;
  });
  return current;
}

/** The local stack wires its own parts (its DynamoDB Local, its clock, its timer loop and outbox file). */
export function useDependencies(parts: DependencyParts): Dependencies {
  const assembled = assemble(parts);
  current = Promise.resolve(assembled);
  return assembled;
}
