import { WARNING_SHARE } from '#domain/contract';
import { join, resolve } from 'node:path';
import { createDocumentClient } from '#adapters/dynamodb/client';
import { dynamoStores } from '#adapters/dynamodb/stores';
import { danishCalendar } from '#domain/calendar/danish-calendar';
import type { ProbeTarget } from '#domain/availability/probe';
import { LocalOutboxFile } from '#adapters/notifier/local-outbox-file';
import { AddressedSender } from '#adapters/notifier/addressed-sender';
import { hmacSha256 } from '#adapters/inbound/hmac';
import { LOCAL_INBOUND_DOMAIN, localReplySecret } from './reply-secret';
import type { AlertSender } from '#domain/notifications/alerts';
import { LocalReportFiles } from '#adapters/reports/local-report-files';
import { LocalTimerScheduler } from '#adapters/scheduler/local-timer-scheduler';
import type { Dependencies } from '#handlers/dependencies';
import { attachmentsOf, inboundTicketsOf, reportsOf } from '#handlers/services';
import { LocalAttachmentFiles } from '#adapters/attachments/local-attachment-files';
import { uploadedContent } from '#adapters/attachments/content-type';
import { HEAD_BYTES } from '#domain/tickets/attachments';
import { ForbiddenError } from '#domain/errors';
import { RequestError } from '#handlers/http/problem';
import { randomUUID } from 'node:crypto';
import { ContactDirectory } from '#adapters/inbound/contact-directory';
import { DynamoInboundClaims } from '#adapters/inbound/dynamo-inbound-claims';
import type { InboundIngestDeps } from '#domain/inbound/inbound-ingest';
import { ingestRaw } from '#handlers/inbound/ingest-raw';
import type { Verdicts } from '#domain/inbound/inbound-message';
import { InboxWatcher } from './inbox';
import { probedPath } from '#handlers/http/routes';
import { RECURRING } from '#domain/recurrence';
import { RecurringLoop } from './recurring-loop';
import { TimerLoop } from './timer-loop';
import { ensureConsole } from './console';
import { type DynamoDbLocal, ensureTable, startDynamoDbLocal } from './dynamodb-local';
import { startLocalApi } from './local-api';
import { LocalClock } from './local-clock';
import { demoIntegrationKey, LOCAL_AUDIENCE, LOCAL_DEMO_CUSTOMER, LOCAL_DEMO_INTEGRATION, LOCAL_ISSUER, LOCAL_WEB_CLIENT, signingKey } from './local-tokens';
import { authorizer } from '#handlers/auth/authorizer';
import { INTEGRATION_CACHE_SECONDS } from '#handlers/auth/integration-assertions';
import type { IntegrationStore } from '#domain/integrations/integration';
import { registeredKey } from '#domain/integrations/public-key';
import { LocalUserDirectory } from '#adapters/identity/local-user-directory';

export const LOCAL_TABLE = 'sla-desk';
export { DEFAULT_DATA_DIR } from './data-dir';

export interface LocalStackOptions {
  readonly dataDir: string;
  readonly port: number;
  /** An already running DynamoDB Local (tests share one); otherwise one is started on disk under dataDir. */
  readonly dynamoEndpoint?: string;
  readonly tableName?: string;
  readonly clockStart?: number;
  /** Tests freeze the clock so instants are exact; people get a running one. */
  readonly clockFrozen?: boolean;
  /** The provider's on-call list for alert emails. */
  readonly onCall?: readonly string[];
  /** The provider's hypercare escalation list. */
  readonly hypercareEscalation?: readonly string[];
  /** The provider's finance list for report notices. */
  readonly finance?: readonly string[];
  /** The monthly report on its schedule (the 1st, 06:00); tests that do not look at reports leave it off. */
  readonly monthlyReports?: boolean;
  /** How often timers are checked on the wall clock, in ms (clock jumps check at once). */
  readonly timerIntervalMs?: number;
  /** Probe every this many ms of real time (demonstrations) instead of once per 5-minute slot of the stack clock. */
  readonly probeIntervalMs?: number;
  /** False in tests, which run the probe themselves. */
  readonly probe?: boolean;
  readonly probeTargets?: readonly ProbeTarget[];
  /** Request lines and refused tokens. @default console.log */
  readonly log?: (line: string) => void;
  /** Whether to build the console if it is not built (false serves the API alone, and `/` says the console is not built). @default true */
  readonly console?: boolean;
  /** Where alerts go instead of DATA_DIR/outbox.jsonl (tests hand in failing channels). */
  readonly alertSender?: AlertSender;
  /** How long the authorizer trusts its read of a person's record: an erased person's tokens are refused after at most this. @default 30, as on AWS */
  readonly recordCacheSeconds?: number;
}

export interface LocalStack {
  readonly url: string;
  readonly clock: LocalClock;
  readonly dataDir: string;
  /** Where its data lives: DynamoDB Local's endpoint and the table. */
  readonly dynamoEndpoint: string;
  readonly tableName: string;
  /** What its functions are invoked with: its table's stores, its clock, its outbox. */
  readonly dependencies: Dependencies;
  /** Runs everything due now: the timers that came due, then the relay whatever its minute (tests use it instead of waiting). */
  runTimers(): Promise<void>;
  /** Runs the probe once now. */
  runProbe(): Promise<void>;
  /** Ingests the `.eml` files in `DATA_DIR/inbox/` now (otherwise every 2 seconds). */
  checkInbox(): Promise<void>;
  stop(): Promise<void>;
}

/** Everything `npm start` runs, so tests can run exactly the same thing. */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const dataDir = resolve(options.dataDir);
  let dynamo: DynamoDbLocal | undefined;
  const endpoint = options.dynamoEndpoint ?? (dynamo = await startDynamoDbLocal({ dataDir: join(dataDir, 'dynamodb') })).endpoint;
  const tableName = options.tableName ?? LOCAL_TABLE;
  try {
    await ensureTable(endpoint, tableName);
    // Metrics are CloudWatch's (EMF on Lambda's stdout); locally they would only drown the console.
    process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
    const clock = new LocalClock(options.clockStart, options.clockFrozen);
    const db = createDocumentClient({ endpoint });
    const scheduler = new LocalTimerScheduler(db, tableName);
    const calendar = danishCalendar();
    const mac = hmacSha256(await localReplySecret(dataDir));
    // The API's own health route joins the targets once the server has its port.
    const probeTargets: ProbeTarget[] = [...(options.probeTargets ?? [])];
    // The console is the stack's own origin, known for certain once the server listens (a port of 0 picks one).
    let consoleUrl = options.port ? `http://127.0.0.1:${options.port}` : undefined;
    // Locally a month's report is made there and then; on AWS the report function makes it.
    const stores = dynamoStores(db, tableName, calendar.timeZone);
    // What SES would send, kept as a file: a person's erasure scrubs it too.
    const sentMail = new LocalOutboxFile(join(dataDir, 'outbox.jsonl'), (line) => console.log(line), clock.now);
    // The local user pool: accounts the CLI makes, which a person's erasure deletes.
    const accounts = new LocalUserDirectory(dataDir);
    // As S3 does on AWS: upload URLs signed for one object, type and length, the bytes checked once stored.
    const attachmentFiles = new LocalAttachmentFiles(
      join(dataDir, 'attachments'),
      () => consoleUrl,
      (text) => Buffer.from(mac(text)).toString('base64url'),
      clock.now,
    );
    const deps: Dependencies = {
      calendar,
      now: clock.now,
      ...stores,
      scheduler,
      // As on AWS, each email goes out with its Message-ID, and a ticket's with its signed Reply-To.
      sender: new AddressedSender(options.alertSender ?? sentMail, {
        domain: LOCAL_INBOUND_DOMAIN,
        inbound: { mac, addresses: { domain: LOCAL_INBOUND_DOMAIN } },
      }),
      onCall: options.onCall ?? ['oncall@sla-desk.local'],
      warningShare: WARNING_SHARE,
      hypercareEscalation: options.hypercareEscalation ?? ['escalation@sla-desk.local'],
      probeTargets,
      reportFiles: new LocalReportFiles(join(dataDir, 'reports')),
      reportRequests: { request: async (month, by, reason) => void (await reportsOf(deps).generate(month, by, reason)) },
      finance: options.finance ?? ['finance@sla-desk.local'],
      consoleUrl: () => consoleUrl,
      attachments: stores.attachments,
      attachmentFiles,
      sniff: uploadedContent,
      accounts,
      sentMail,
    };
    // Email into tickets, as the ingest function does it on AWS: claims in the table, the contacts as they are now.
    const inbound: InboundIngestDeps = {
      claims: new DynamoInboundClaims(db, tableName),
      tickets: inboundTicketsOf(deps),
      directory: new ContactDirectory(deps.customers, deps.people, Date.now, 0),
      mac,
      addresses: { domain: LOCAL_INBOUND_DOMAIN },
      now: clock.now,
      timeZone: calendar.timeZone,
      leaseMs: 10 * 60_000,
    };
    const receive = async (raw: Buffer, verdicts: Verdicts) => {
      const { outcome, repeated } = await ingestRaw(inbound, raw, { id: randomUUID(), receivedAt: clock.now(), verdicts });
      return { ...outcome, repeated };
    };
    const inbox = new InboxWatcher(join(dataDir, 'inbox'), receive, options.log ?? ((line) => console.log(line)));
    const timers = new TimerLoop(scheduler, deps);
    // Timers that came due while the stack was down fire now, and the relay has its first round.
    await timers.runDue();
    timers.start(options.timerIntervalMs);
    const key = await signingKey(dataDir);
    await registerDemoIntegration(deps.integrations, await demoIntegrationKey(dataDir), clock.now());
    const log = options.log ?? ((line: string) => console.log(line));
    const report = new RecurringLoop('report', RECURRING.report, () => import('#handlers/timer/monthly-report').then((m) => m.handler as never), deps);
    // The check that the report appeared, an hour later; after a clock jump or a start it waits for the report's own run.
    const reportCheck = new RecurringLoop(
      'report-check',
      RECURRING.reportCheck,
      () =>
        import('#handlers/timer/report-check').then((m) => async (event: object, context: object) => {
          await report.runIfDue();
          return m.handler(event, context as never);
        }),
      deps,
    );
    const probe = new RecurringLoop('probe', RECURRING.probe, () => import('#handlers/probe/probe').then((m) => m.handler as never), deps);
    if (options.console !== false) await ensureConsole(options.log);
    const api = await startLocalApi({
      port: options.port,
      key,
      // The same authorizer as on AWS, given the stack's issuer, key and table. It reads an integration afresh
      // on every request (no cache), so a revocation is refused at once here; on AWS within a minute.
      authorizer: authorizer({
        people: { issuer: LOCAL_ISSUER, clientId: LOCAL_WEB_CLIENT, keys: key.publicKey, algorithms: ['ES256'] },
        integrations: { audience: LOCAL_AUDIENCE, store: deps.integrations, cacheSeconds: 0 },
        records: deps.people,
        erased: { store: deps.people, cacheSeconds: options.recordCacheSeconds ?? INTEGRATION_CACHE_SECONDS },
        // Tokens are minted on the wall clock, whatever the stack's clock says.
        now: Date.now,
        // Said on the console, not to the caller: a token signed with another DATA_DIR's key is the usual cause.
        refused: (reason) => log(`local api: refused a token: ${reason}`),
      }),
      users: accounts,
      dependencies: deps,
      inboundEmail: receive,
      upload: async (ticketId, attachmentId, upload) => {
        const attachment = await deps.attachments.attachment(ticketId, attachmentId);
        if (!attachment) throw new ForbiddenError('the upload URL is not valid');
        if ((await attachmentFiles.receive(attachment, upload)) === 'exists') throw new RequestError(412, 'precondition-failed', 'Precondition Failed', 'this attachment was uploaded already');
        await attachmentsOf(deps).check(ticketId, attachmentId, () => uploadedContent(upload.body.byteLength, upload.body.subarray(0, HEAD_BYTES)));
      },
      clock,
      years: calendar.config.years,
      ...(options.log ? { log: options.log } : {}),
      afterClockJump: async () => {
        await timers.runDue('now');
        if (options.probe !== false) await probe.runIfDue();
        if (options.monthlyReports !== false) {
          await report.runIfDue();
          await reportCheck.runIfDue();
        }
      },
    });
    consoleUrl = api.url;
    // The stack measures its own health as `api`, unless a target of that name was given.
    if (!probeTargets.some((t) => t.name === 'api')) probeTargets.unshift({ name: 'api', url: `${api.url}/${probedPath()}`, expectedStatus: 200, timeoutMs: 5_000 });
    await inbox.start();
    if (options.probe !== false) probe.start(options.probeIntervalMs);
    if (options.monthlyReports !== false) {
      report.start();
      reportCheck.start();
    }
    return {
      url: api.url,
      clock,
      dataDir,
      dynamoEndpoint: endpoint,
      tableName,
      dependencies: deps,
      runTimers: () => timers.runDue('now'),
      runProbe: () => probe.runNow(),
      checkInbox: () => inbox.check(),
      async stop() {
        await inbox.stop();
        await probe.stop();
        await reportCheck.stop();
        await report.stop();
        await api.close();
        await timers.stop();
        db.destroy();
        await dynamo?.stop();
      },
    };
  } catch (error) {
    await dynamo?.stop();
    throw error;
  }
}

/** The demo integration of customer DEMO, registered with the key under DATA_DIR on the stack's first start. */
async function registerDemoIntegration(integrations: IntegrationStore, key: Awaited<ReturnType<typeof demoIntegrationKey>>, now: number): Promise<void> {
  if (await integrations.getIntegration(LOCAL_DEMO_INTEGRATION)) return;
  await integrations.addIntegration({
    integrationId: LOCAL_DEMO_INTEGRATION,
    customerId: LOCAL_DEMO_CUSTOMER,
    ...registeredKey(key.publicJwk),
    registeredAt: now,
    registeredBy: 'local-stack',
  });
}
