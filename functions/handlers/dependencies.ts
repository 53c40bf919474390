import type { Context } from 'aws-lambda';
import type { ProbeTarget, SampleStore } from '../domain/availability/probe';
import type { ServiceWindowStore } from '../domain/availability/service-windows';
import type { BusinessCalendar } from '../domain/calendar/business-calendar';
import type { ConsultancyStore } from '../domain/consultancy/consultancy-store';
import type { CustomerStore } from '../domain/customers/customer';
import type { ReportFiles, ReportRegistry, ReportRequests } from '../domain/reports/report-archive';
import type { AlertOutbox } from '../domain/notifications/alert-outbox';
import type { AlertSender, ConsoleUrl } from '../domain/notifications/alerts';
import type { TimerScheduler } from '../domain/sla/timer-scheduler';
import type { TicketStore } from '../domain/tickets/ticket-store';
import type { AudienceStore } from '../domain/tickets/ticket-service';
import type { IdempotencyStore } from '../domain/idempotency';
import type { IntegrationStore } from '../domain/integrations/integration';
import type { PersonStore } from '../domain/people/people';
import type { PersonalDataDeps, PersonalDataStore } from '../domain/people/personal-data';
import type { ResolutionTargets } from '../domain/tickets/resolution';
import type { AttachmentFiles, AttachmentStore } from '../domain/tickets/attachment-service';
import type { UploadedContent } from '../domain/tickets/attachments';
import { type Config, loadConfig } from './config';
import type { DynamoSettingsStore } from '../adapters/dynamodb/dynamo-settings-store';
import { traced } from './observability';

/** The outside world as handlers see it: AWS on Lambda, local stand-ins under `npm start`. */
interface DependencyParts {
  readonly calendar: BusinessCalendar;
  readonly now: () => number;
  readonly store: TicketStore;
  readonly idempotency: IdempotencyStore;
  readonly customers: CustomerStore & AudienceStore;
  readonly outbox: AlertOutbox;
  readonly scheduler: TimerScheduler;
  /** Present where alerts are delivered (the timer and relay functions, the local stack). */
  readonly sender?: AlertSender;
  /** Customers' systems and the keys they sign with (the admin routes; the authorizer reads them itself). */
  readonly integrations: IntegrationStore;
  /** People's records: every answer that names a person reads the name there. */
  readonly people: PersonStore;
  readonly onCall: readonly string[];
  readonly warningShare: number;
  readonly hypercareWarningShare?: number;
  /** The stage's resolution targets (the defaults without). */
  readonly resolutionTargets?: ResolutionTargets;
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
  /** Where the console is, for the links in messages. */
  readonly consoleUrl?: ConsoleUrl;
  /** Tickets' attachment records. */
  readonly attachments: AttachmentStore;
  /** A person's data, found by their acts: export and erasure. */
  readonly personalData: PersonalDataStore;
  /** The stack's own log of sent mail, which a person's erasure scrubs (the local outbox file; SES keeps none). */
  readonly sentMail?: PersonalDataDeps['sentMail'];
  /** Raw inbound emails, where the function erases people (the inbound bucket on AWS). */
  readonly rawMail?: PersonalDataDeps['rawMail'];
  /** People's accounts, where the function erases people (the local stack's; the user pool on AWS). */
  readonly accounts?: { remove(email: string): Promise<boolean> };
  /** Their bytes: S3 for the routes that upload or serve them, files under DATA_DIR locally. */
  readonly attachmentFiles?: AttachmentFiles;
  /** What bytes are by their signature, where the function stores files itself (email into tickets): the API's bundles leave `file-type` out. */
  readonly sniff?: (size: number, head: Uint8Array) => Promise<UploadedContent>;
}

/** A function's dependencies: the outside world; its use cases are built from them on first use (`./services`). */
export type Dependencies = DependencyParts;

/** What every function's dependencies share: the configuration, the table's stores and the calendar. */
interface Base {
  readonly config: Config;
  readonly parts: Omit<DependencyParts, 'scheduler' | 'sender' | 'reportFiles' | 'reportRequests' | 'probeTargets' | 'attachmentFiles' | 'accounts' | 'rawMail'>;
  /** The API's own health route, the measured target every deployment has. */
  readonly health: readonly ProbeTarget[];
  readonly settings: DynamoSettingsStore;
}

let base: Promise<Base> | undefined;
/** Each AWS client beyond DynamoDB, built once per process by the first route that needs it. */
const built = new Map<keyof Factories, Promise<unknown>>();
/** The dependencies per set of clients: one function serves several routes, each with its own. */
const assembled = new Map<string, Promise<Dependencies>>();

/** Drops a failed promise from its cache, so the next request tries again. */
function retryable<K, T>(cache: Map<K, Promise<T>>, key: K, make: () => Promise<T>): Promise<T> {
  let promise = cache.get(key);
  if (!promise) {
    promise = make().catch((error: unknown) => {
      cache.delete(key);
      throw error;
    });
    cache.set(key, promise);
  }
  return promise;
}

/**
 * Built on first use, not at import: the calendar's holiday data and the SDK
 * are the bulk of a bundle's load time, and health and openapi never need them.
 */
async function baseFromEnvironment(): Promise<Base> {
  const config = loadConfig();
  const [{ createDocumentClient }, { dynamoStores }, { danishCalendar }] = await Promise.all([
    import('../adapters/dynamodb/client'),
    import('../adapters/dynamodb/stores'),
    import('../domain/calendar/danish-calendar'),
  ]);
  const db = traced(createDocumentClient({ endpoint: config.DYNAMODB_ENDPOINT }));
  const calendar = danishCalendar();
  const { settings, ...stores } = dynamoStores(db, config.TABLE_NAME, calendar.timeZone, config.RETENTION);
  return {
    config,
    health: config.API_HEALTH_URL ? [{ name: 'api', url: config.API_HEALTH_URL, expectedStatus: 200, timeoutMs: 5_000 }] : [],
    settings,
    parts: {
      calendar,
      now: Date.now,
      ...stores,
      finance: config.FINANCE_EMAILS,
      consoleUrl: () => config.CONSOLE_URL,
      onCall: config.ONCALL_EMAILS,
      warningShare: config.WARNING_SHARE,
      hypercareWarningShare: config.HYPERCARE_WARNING_SHARE,
      resolutionTargets: config.RESOLUTION_TARGETS,
      hypercareEscalation: config.HYPERCARE_ESCALATION_EMAILS,
    },
  };
}

async function fromEnvironment(factories: Factories): Promise<Dependencies> {
  base ??= baseFromEnvironment().catch((error: unknown) => {
    base = undefined;
    throw error;
  });
  const { config, parts, health, settings } = await base;
  const client = <K extends keyof Factories>(name: K) => {
    const factory = factories[name];
    return typeof factory === 'function' ? retryable(built, name, () => factory(config) as Promise<unknown>) : Promise.resolve(undefined);
  };
  const [scheduler, sender, reportFiles, reportRequests, attachmentFiles, accounts, rawMail, targets] = await Promise.all([
    client('scheduler'),
    client('sender'),
    client('reportFiles'),
    client('reportRequests'),
    client('attachmentFiles'),
    client('accounts'),
    client('rawMail'),
    factories.probeTargets ? retryable(built, 'probeTargets', () => settings.probeTargets()) : [],
  ]);
  return {
    ...parts,
    probeTargets: [...health, ...(targets as ProbeTarget[])],
    scheduler: (scheduler as TimerScheduler | undefined) ?? NO_SCHEDULER,
    ...(sender ? { sender: sender as AlertSender } : {}),
    reportFiles: (reportFiles as ReportFiles | undefined) ?? NO_REPORT_FILES,
    ...(reportRequests ? { reportRequests: reportRequests as ReportRequests } : {}),
    ...(attachmentFiles ? { attachmentFiles: attachmentFiles as AttachmentFiles } : {}),
    ...(accounts ? { accounts: accounts as NonNullable<DependencyParts['accounts']> } : {}),
    ...(rawMail ? { rawMail: rawMail as NonNullable<DependencyParts['rawMail']> } : {}),
  };
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

/**
 * The AWS clients a function needs beyond DynamoDB, passed by its handler
 * module, so a function bundles only those: the alert sender (SES and SNS) for
 * the functions that deliver, Scheduler for those that arm timers.
 */
export interface Factories {
  readonly sender?: (config: Config) => Promise<AlertSender | undefined>;
  readonly scheduler?: (config: Config) => Promise<TimerScheduler>;
  /** Report files: the report function writes them with the S3 client; the API reads and links them with signed fetch (S3SignedReads). */
  readonly reportFiles?: (config: Config) => Promise<ReportFiles>;
  /** How the route that asks for a month's report invokes the report function (a signed POST to Lambda's Invoke API). */
  readonly reportRequests?: (config: Config) => Promise<ReportRequests>;
  /** Attachments' bytes: presigned S3 uploads and reads, for the attachment routes. */
  readonly attachmentFiles?: (config: Config) => Promise<AttachmentFiles>;
  /** Raw inbound emails in the inbound bucket, for a person's erasure. */
  readonly rawMail?: (config: Config) => Promise<NonNullable<DependencyParts['rawMail']>>;
  /** People's accounts in the user pool, for a person's erasure. */
  readonly accounts?: (config: Config) => Promise<NonNullable<DependencyParts['accounts']>>;
  /** The deployment's probe targets, for the functions that measure or report availability (read from the table once per process). */
  readonly probeTargets?: true;
}

/** What a function that measures or reports availability passes: the probe targets besides the API's own. */
export const READS_PROBE_TARGETS = { probeTargets: true } as const satisfies Factories;

/** Where the twin's dependencies ride with an invocation: Lambda's own context never carries them. */
const GIVEN = Symbol('sla-desk dependencies');

/**
 * The context the local stack invokes a handler with: its own dependencies
 * ride along, so two stacks in one process never share a handler's world.
 */
export function withDependencies<C extends object>(context: C, deps: Dependencies): C {
  return { ...context, [GIVEN]: deps };
}

/**
 * An invocation's dependencies: those the twin gave with its context, else
 * from the environment (Lambda): the table's stores once per process, each
 * client beyond DynamoDB once, when a route that uses it is first called.
 */
export function dependencies(factories: Factories = {}, context?: Partial<Context>): Promise<Dependencies> {
  const given = (context as { [GIVEN]?: Dependencies } | undefined)?.[GIVEN];
  if (given) return Promise.resolve(given);
  const key = (Object.keys(factories) as (keyof Factories)[])
    .filter((name) => factories[name])
    .sort()
    .join(',');
  return retryable(assembled, key, () => fromEnvironment(factories));
}
