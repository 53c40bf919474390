import { type Sample, slotOf, SLOT_MS } from '../availability/availability';
import { type ProbeTarget, type SampleStore, targetNames } from '../availability/probe';
import type { BusinessCalendar } from '../calendar/business-calendar';
import { monthOf } from '../month';
import type { AlertOutbox } from '../notifications/alert-outbox';
import type { AlertMessage, ConsoleUrl } from '../notifications/alerts';
import { writeLetter } from '../notifications/message-text';
import { timeText } from '../wording';
import type { CustomerProfile } from '../customers/customer';
import { inHypercare } from './hypercare';

/**
 * The contract's "increased monitoring" in hypercare: while any customer is in
 * hypercare, the first down sample of an incident tells the provider's
 * hypercare escalation list at once (the relay's next round), once per incident.
 * Outside hypercare it stays with the usual alarms.
 */
export class HypercareMonitoring {
  constructor(
    private readonly deps: {
      readonly samples: SampleStore;
      readonly outbox: AlertOutbox;
      readonly calendar: BusinessCalendar;
      readonly now: () => number;
      readonly probeTargets: readonly Pick<ProbeTarget, 'name'>[];
      readonly hypercareEscalation?: readonly string[];
      /** Where the console is, for the alert's link. */
      readonly consoleUrl?: ConsoleUrl;
    },
  ) {}

  /**
   * Escalates each target whose latest sample starts an incident; returns the
   * targets escalated. `customers` are those the relay watches (every customer
   * in hypercare is among them).
   */
  async escalateIncidents(customers: readonly CustomerProfile[]): Promise<string[]> {
    const { calendar, now: clock, hypercareEscalation = [] } = this.deps;
    const now = clock();
    if (hypercareEscalation.length === 0) return [];
    const inCare = customers.filter((c) => inHypercare(c, now, calendar.timeZone));
    if (inCare.length === 0) return [];
    const escalated: string[] = [];
    for (const target of targetNames(this.deps.probeTargets)) {
      const [latest, previous] = await this.deps.samples.latestSamples(target, monthOf(now, calendar.timeZone), 2);
      if (!startsIncident(latest, previous)) continue;
      await this.deps.outbox.enqueue(
        incidentMessages(
          target,
          latest.at,
          latest.error ?? `status ${latest.status ?? 'unknown'}`,
          inCare.map((c) => `${c.name} (${c.customerId})`),
          hypercareEscalation,
          calendar,
          this.deps.consoleUrl?.(),
        ),
        now,
      );
      escalated.push(target);
    }
    return escalated;
  }
}

/**
 * Whether the latest sample starts an incident: it is down, and the slot just
 * before it was not measured down (up, missing, or no sample at all). A
 * missing slot between two down samples ends the first incident, so the
 * second down sample starts another and is escalated again.
 */
export function startsIncident(latest: Sample | undefined, previous: Sample | undefined): latest is Sample {
  if (!latest || latest.ok) return false;
  return !(previous && !previous.ok && slotOf(previous.at) === slotOf(latest.at) - SLOT_MS);
}

/** The escalation of an incident that began at `at`: an email to the hypercare escalation list and an SNS message, once per incident. */
export function incidentMessages(
  target: string,
  at: number,
  why: string,
  customers: readonly string[],
  recipients: readonly string[],
  calendar: BusinessCalendar,
  consoleUrl?: string,
): AlertMessage[] {
  const since = timeText(slotOf(at), calendar.timeZone);
  const subject = `[Incident, hypercare] ${target} is down since ${since}`;
  const letter = writeLetter(
    {
      subject,
      action: `Look into ${target} now: its checks fail since ${since}, and customers in hypercare rely on it.`,
      link: { text: 'See availability', route: '#/availability' },
      facts: [
        ['First failed check', `${timeText(at, calendar.timeZone)} (${why})`],
        ['Customers in hypercare', customers.join(', ')],
      ],
    },
    consoleUrl,
  );
  const base = { kind: 'incident' as const, about: { type: 'target' as const, id: target }, hypercare: true, subject, body: letter.body };
  const occasion = new Date(slotOf(at)).toISOString();
  return [
    { ...base, id: `${target}:incident:email:${occasion}`, channel: 'email', html: letter.html, recipients: [...recipients] },
    { ...base, id: `${target}:incident:sns:${occasion}`, channel: 'sns' },
  ];
}
