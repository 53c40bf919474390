import { Logger } from '@aws-lambda-powertools/logger';
import type { ProbeTarget, SampleStore } from '../domain/availability/probe';
import type { ServiceWindowStore } from '../domain/availability/service-windows';
import type { BusinessCalendar } from '../domain/calendar/business-calendar';
import type { CustomerStore } from '../domain/customers/customer';
import { AlertDelivery } from '../domain/sla/alert-delivery';
import type { AlertOutbox } from '../domain/sla/alert-outbox';
import type { AlertSender } from '../domain/sla/alerts';
import { SlaTimerService } from '../domain/sla/sla-timer-service';
import type { TimerScheduler } from '../domain/sla/timer-scheduler';
import { TicketService } from '../domain/tickets/ticket-service';
import type { TicketStore } from '../domain/tickets/ticket-store';
import { type Config, loadConfig, required } from './config';

const logger = new Logger({ serviceName: 'sla-desk' });

/** The outside world as handlers see it: AWS on Lambda, local stand-ins under `npm start`. */
export interface DependencyParts {
  readonly calendar: BusinessCalendar;
  readonly now: () => number;
  readonly store: TicketStore;
  readonly customers: CustomerStore;
  readonly outbox: AlertOutbox;
  readonly scheduler: TimerScheduler;
  /** Present where alerts are delivered (the timer and relay functions, the local stack). */
  readonly sender?: AlertSender;
  readonly machineClients: Readonly<Record<string, string>>;
  readonly onCall: readonly string[];
  readonly warningShare: number;
  readonly samples: SampleStore;
  readonly probeTargets: readonly ProbeTarget[];
  readonly windows: ServiceWindowStore;
}

export interface Dependencies extends DependencyParts {
  readonly tickets: TicketService;
  readonly timers: SlaTimerService;
  readonly delivery?: AlertDelivery;
}

let current: Promise<Dependencies> | undefined;

/**
 * Built on first use, not at import: the calendar's holiday data and the SDK
 * are the bulk of a bundle's load time, and health and openapi never need them.
 */
async function fromEnvironment(senderFrom?: SenderFactory): Promise<Dependencies> {
  const config = loadConfig();
  const [{ createDocumentClient }, { DynamoTicketStore }, { DynamoCustomerStore }, { DynamoAlertOutbox }, { DynamoSampleStore }, { DynamoServiceWindowStore }, { danishCalendar }, scheduler, sender] = await Promise.all([
    import('../adapters/dynamodb/client'),
    import('../adapters/dynamodb/dynamo-ticket-store'),
    import('../adapters/dynamodb/dynamo-customer-store'),
    import('../adapters/dynamodb/dynamo-alert-outbox'),
    import('../adapters/dynamodb/dynamo-sample-store'),
    import('../adapters/dynamodb/dynamo-service-window-store'),
    import('../domain/calendar/danish-calendar'),
    awsScheduler(config),
    senderFrom?.(config),
  ]);
  const db = createDocumentClient({ endpoint: config.DYNAMODB_ENDPOINT });
  const calendar = danishCalendar();
  const health = config.API_HEALTH_URL ? [{ name: 'api', url: config.API_HEALTH_URL, expectedStatus: 200, timeoutMs: 5_000 }] : [];
  return assemble({
    calendar,
    now: Date.now,
    store: new DynamoTicketStore(db, config.TABLE_NAME),
    customers: new DynamoCustomerStore(db, config.TABLE_NAME),
    outbox: new DynamoAlertOutbox(db, config.TABLE_NAME),
    scheduler,
    ...(sender ? { sender } : {}),
    machineClients: config.MACHINE_CLIENTS,
    onCall: config.ONCALL_EMAILS,
    warningShare: config.WARNING_SHARE,
    samples: new DynamoSampleStore(db, config.TABLE_NAME, calendar.timeZone),
    probeTargets: [...health, ...config.PROBE_TARGETS],
    windows: new DynamoServiceWindowStore(db, config.TABLE_NAME),
  });
}

/** EventBridge Scheduler; every function gets its settings, only the writers may use it. */
async function awsScheduler(config: Config): Promise<TimerScheduler> {
  const [{ SchedulerClient }, { EventBridgeTimerScheduler }] = await Promise.all([import('@aws-sdk/client-scheduler'), import('../adapters/scheduler/eventbridge-timer-scheduler')]);
  return new EventBridgeTimerScheduler(new SchedulerClient({}), {
    groupName: required(config.SCHEDULE_GROUP, 'SCHEDULE_GROUP'),
    targetArn: required(config.TIMER_TARGET_ARN, 'TIMER_TARGET_ARN'),
    roleArn: required(config.SCHEDULER_ROLE_ARN, 'SCHEDULER_ROLE_ARN'),
    deadLetterQueueArn: required(config.TIMER_DLQ_ARN, 'TIMER_DLQ_ARN'),
  });
}

function assemble(parts: DependencyParts): Dependencies {
  const delivery = parts.sender ? new AlertDelivery({ outbox: parts.outbox, sender: parts.sender, now: parts.now }) : undefined;
  const timers = new SlaTimerService({
    ...parts,
    ...(delivery ? { delivery } : {}),
    onSweepFailure: (ticketId, error) => logger.error('the sweep could not check a ticket', { ticketId, error: error as Error }),
  });
  const tickets = new TicketService({
    ...parts,
    timers,
    onTimerFailure: (error) => logger.warn('timer work after a committed change failed; the sweep covers breaches', { error: error as Error }),
  });
  return { ...parts, timers, ...(delivery ? { delivery } : {}), tickets };
}

/** Builds the alert sender; only the functions that deliver pass one, so the others bundle no SES or SNS client. */
export type SenderFactory = (config: Config) => Promise<AlertSender | undefined>;

/** The process's dependencies, built once from the environment. */
export function dependencies(senderFrom?: SenderFactory): Promise<Dependencies> {
  current ??= fromEnvironment(senderFrom).catch((error: unknown) => {
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
