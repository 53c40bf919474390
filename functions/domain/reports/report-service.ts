import type { Actor } from '../actor';
import { measuredTarget, type ProbeTarget, type SampleStore, targetNames } from '../availability/probe';
import type { ServiceWindowStore } from '../availability/service-windows';
import type { BusinessCalendar } from '../calendar/business-calendar';
import type { ConsultancyRequest } from '../consultancy/consultancy';
import type { ConsultancyStore } from '../consultancy/consultancy-store';
import { contactsFor, type CustomerProfile, type CustomerStore } from '../customers/customer';
import { digestId } from '../hypercare/digest';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { type LocalMonth, monthBounds, previousMonth } from '../month';
import type { AlertOutbox } from '../notifications/alert-outbox';
import type { AlertMessage, ConsoleUrl } from '../notifications/alerts';
import { writeLetter } from '../notifications/message-text';
import { namesOf, type PersonStore } from '../people/people';
import { monthText, timeText } from '../wording';
import type { TicketStore } from '../tickets/ticket-store';
import { buildReport, type MonthlyReport, sliceFor } from './monthly-report';
import { reportReadyAbout } from './report-archive';
import type { ReportFiles, ReportRegistry, ReportVersion } from './report-archive';
import { ALL_CUSTOMER_FILES, CONTENT_TYPES, type ReportFile, renderFile, reportPage, STORED_FILES } from './report-files';
import { ComplianceTally, outcomeAsOf } from './sla-compliance';
import { resolutionAsOf, ResolutionTally } from './resolution-figures';
import type { ResolutionTargets } from '../tickets/resolution';
import type { StoredFile } from './report-formats';

/** Who generated a report on the schedule. */
const SCHEDULED = 'schedule';

/** The monthly reports: generated from the month's own partitions, stored as immutable versions, served by role. */
export class ReportService {
  constructor(
    private readonly deps: {
      readonly store: TicketStore;
      readonly samples: SampleStore;
      readonly windows: ServiceWindowStore;
      readonly consultancy: ConsultancyStore;
      readonly customers: CustomerStore;
      /** Where the page reads the names of the people a report names by id. */
      readonly people: Pick<PersonStore, 'people'>;
      readonly outbox: AlertOutbox;
      readonly reportFiles: ReportFiles;
      readonly reportRegistry: ReportRegistry;
      readonly calendar: BusinessCalendar;
      readonly now: () => number;
      readonly probeTargets: readonly Pick<ProbeTarget, 'name'>[];
      /** The stage's resolution targets (the defaults without). */
      readonly resolutionTargets?: ResolutionTargets;
      /** The provider's finance list: told when a report is ready. */
      readonly finance?: readonly string[];
      /** Where the console is, for the notices' links. */
      readonly consoleUrl?: ConsoleUrl;
    },
  ) {}

  /** The month just ended, as the schedule sees it at `now`. */
  previousMonth(now = this.deps.now()): LocalMonth {
    return previousMonth(now, this.deps.calendar.timeZone);
  }

  /**
   * The schedule's run: last month's report, unless the schedule made it
   * already. A retried or repeated run adds no version, but queues the ready
   * notices again (each is queued once by its id), in case the run that made
   * the version failed before it could.
   */
  async runScheduled(request?: string): Promise<ReportVersion | undefined> {
    const month = this.previousMonth();
    const made = (await this.deps.reportRegistry.versions(month)).find((v) => v.by === SCHEDULED);
    if (made) {
      await this.notify(made);
      return undefined;
    }
    return this.generate(month, SCHEDULED, 'the monthly schedule', request);
  }

  /**
   * Reads what the month holds (its partitions only, never a Scan), builds the
   * report, writes its files under the next version, then records the version;
   * two generations racing take different versions. The reports contacts and
   * finance are told once it is recorded.
   */
  async generate(month: LocalMonth, by: string, reason: string, request?: string): Promise<ReportVersion> {
    const { calendar } = this.deps;
    // A redelivered request (Lambda retries an asynchronous invoke that failed) finishes what it began instead of making another version.
    const earlier = request === undefined ? undefined : (await this.deps.reportRegistry.versions(month)).find((v) => v.request === request);
    if (earlier) {
      await this.notify(earlier);
      return earlier;
    }
    const generatedAt = this.deps.now();
    const [start, end] = monthBounds(month, calendar.timeZone);
    const tally = new ComplianceTally();
    const resolution = new ResolutionTally(this.deps.resolutionTargets);
    let ticketsRead = 0;
    for await (const page of this.deps.store.openedIn(month)) {
      ticketsRead += page.length;
      for (const ticket of page) {
        tally.add(outcomeAsOf(ticket, end, calendar));
        resolution.add(resolutionAsOf(ticket, end, calendar, this.deps.resolutionTargets));
      }
    }
    const targets = targetNames(this.deps.probeTargets);
    const [samples, windows, entries, customers] = await Promise.all([
      Promise.all(targets.map(async (target) => ({ target, samples: await this.deps.samples.samples(measuredTarget(target, this.deps.probeTargets), month) }))),
      this.deps.windows.windowsOverlapping(start, end),
      this.deps.consultancy.entriesInMonth(month),
      this.deps.customers.allCustomers(),
    ]);
    const requests = new Map<string, ConsultancyRequest>();
    await Promise.all([...new Set(entries.map((e) => e.requestId))].map(async (id) => requests.set(id, (await this.deps.consultancy.get(id))!)));
    const inHypercare = customers.filter((c) => c.hypercare && c.hypercare.goLiveAt < end);
    const digests = new Map(await Promise.all(inHypercare.map(async (c) => [c.customerId, await this.deps.outbox.queuedFor(c.customerId, digestId(c.customerId, ''))] as const)));

    for (let attempt = 1; attempt <= 5; attempt++) {
      const version = ((await this.deps.reportRegistry.versions(month)).at(-1)?.version ?? 0) + 1;
      const report = buildReport(calendar, {
        month,
        version,
        generatedAt,
        generatedBy: by,
        reason,
        samples,
        windows,
        compliance: tally.result(),
        resolution: resolution.result(),
        ticketsRead,
        entries,
        requests,
        customers,
        digests,
      });
      // One file at a time: only one rendering is held in memory at once.
      let taken = false;
      for (const file of STORED_FILES) {
        if ((await this.deps.reportFiles.put(month, version, file, renderFile(report, file), CONTENT_TYPES[file])) === 'exists') taken = true;
        // Files of a version someone else is writing: take the next number.
        if (taken) break;
      }
      if (taken) continue;
      const record: ReportVersion = { month, version, createdAt: generatedAt, by, reason, ...(request === undefined ? {} : { request }) };
      if (!(await this.deps.reportRegistry.record(record))) continue;
      await this.deps.outbox.enqueue(this.readyMessages(record, customers), generatedAt);
      return record;
    }
    throw new ConflictError(`the report of ${month} is being generated by another request; try again shortly`);
  }

  /** Queues the version's ready notices; those queued before stay as they are. */
  private async notify(version: ReportVersion): Promise<void> {
    await this.deps.outbox.enqueue(this.readyMessages(version, await this.deps.customers.allCustomers()), this.deps.now());
  }

  /** A year's months, each with its latest version (who may read them is the routes' to say). */
  async months(year: number) {
    const byMonth = new Map<string, ReportVersion>();
    for (const version of await this.deps.reportRegistry.year(year)) byMonth.set(version.month, version);
    return [...byMonth.values()];
  }

  async versions(month: LocalMonth): Promise<ReportVersion[]> {
    const versions = await this.deps.reportRegistry.versions(month);
    if (versions.length === 0) throw new NotFoundError(`no report of ${month} yet`);
    return versions;
  }

  /**
   * A file of a version (the latest by default): the whole report for the
   * provider, its own slice for a customer. The page is rendered as it is
   * read, with the names of the people it names.
   */
  async file(actor: Actor, month: LocalMonth, file: ReportFile, version?: number): Promise<{ body: string; contentType: string; version: number } | { link: string; version: number }> {
    if (actor.role === 'customer' && ALL_CUSTOMER_FILES.includes(file)) throw new ForbiddenError(`${file} lists every customer; a customer's figures are in report.json and report.html`);
    const versions = await this.versions(month);
    const chosen = version === undefined ? versions.at(-1)! : versions.find((v) => v.version === version);
    if (!chosen) throw new NotFoundError(`the report of ${month} has no version ${version}`);
    const served = (body: string) => ({ body, contentType: CONTENT_TYPES[file], version: chosen.version });
    if (file === 'report.html') {
      const report = await this.readReport(actor, month, chosen.version);
      const name = await namesOf(
        this.deps.people,
        report.consultancy.approvals.map((a) => a.approvedBy),
        actor,
      );
      // Approvals are the customer's to give: a person without a record reads as "Customer".
      return served(reportPage(report, (subject) => name(subject, 'customer')));
    }
    if (actor.role !== 'customer' && isStored(file)) {
      // On AWS the stored file comes straight from the bucket: no size limit of a function's answer.
      if (this.deps.reportFiles.link) return { link: await this.deps.reportFiles.link(month, chosen.version, file, CONTENT_TYPES[file]), version: chosen.version };
      const body = await this.deps.reportFiles.get(month, chosen.version, file);
      if (body === undefined) throw new NotFoundError(`${file} of ${month} version ${chosen.version} is missing`);
      return served(body);
    }
    // A customer's slice is cut from the stored report and rendered the same way.
    return served(renderFile(await this.readReport(actor, month, chosen.version), file));
  }

  /** The stored report.json of a version: the whole report for the provider, its own slice for a customer. */
  private async readReport(actor: Actor, month: LocalMonth, version: number): Promise<MonthlyReport> {
    const stored = await this.deps.reportFiles.get(month, version, 'report.json');
    if (stored === undefined) throw new NotFoundError(`the report of ${month} version ${version} is missing`);
    const report = JSON.parse(stored) as MonthlyReport;
    return actor.role === 'customer' ? sliceFor(report, actor.customerId!) : report;
  }

  private readyMessages(version: ReportVersion, customers: readonly CustomerProfile[]): AlertMessage[] {
    return reportReadyMessages(version, customers, { finance: this.deps.finance ?? [], timeZone: this.deps.calendar.timeZone, consoleUrl: this.deps.consoleUrl?.() });
  }
}

/** A file the version stores, rather than one made from its report.json when read. */
const isStored = (file: ReportFile): file is StoredFile => (STORED_FILES as readonly string[]).includes(file);

/** The report is ready: finance and each customer's reports contacts by email, and the breach topic's subscribers by SNS. */
export function reportReadyMessages(
  version: ReportVersion,
  customers: readonly CustomerProfile[],
  to: { readonly finance: readonly string[]; readonly timeZone: string; readonly consoleUrl?: string | undefined },
): AlertMessage[] {
  const month = monthText(version.month);
  const subject = `[Monthly report] ${month}${version.version > 1 ? `, version ${version.version},` : ''} is ready`;
  const letter = (forWhom: string) =>
    writeLetter(
      {
        subject,
        action: `Read the ${month} report (${forWhom}) on the console's reports page: it opens as a page, with its spreadsheets beside it.`,
        link: { text: 'Open reports', route: '#/reports' },
        facts: [
          ['Month', month],
          ['Version', String(version.version)],
          ['Made', timeText(version.createdAt, to.timeZone)],
          ['Why', version.reason],
        ],
      },
      to.consoleUrl,
    );
  const occasion = `report:${version.month}:v${version.version}`;
  const base = { kind: 'report-ready' as const, about: reportReadyAbout(version), hypercare: false, subject };
  const all = letter('all customers');
  return [
    ...(to.finance.length ? [{ ...base, id: `${occasion}:email:finance`, channel: 'email' as const, body: all.body, html: all.html, recipients: [...to.finance] }] : []),
    ...customers.flatMap((c) => {
      const recipients = contactsFor(c, 'reports');
      const own = letter(c.name);
      return recipients.length ? [{ ...base, id: `${occasion}:email:${c.customerId}`, channel: 'email' as const, customerId: c.customerId, body: own.body, html: own.html, recipients }] : [];
    }),
    { ...base, id: `${occasion}:sns`, channel: 'sns' as const, body: all.body },
  ];
}
