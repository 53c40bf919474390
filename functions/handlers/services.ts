import { inHypercare } from '../domain/hypercare/hypercare';
import { HypercareService } from '../domain/hypercare/hypercare-service';
import { AvailabilityService } from '../domain/availability/availability-service';
import { ServiceWindowService } from '../domain/availability/service-window-service';
import { ConsultancyWorkflow } from '../domain/consultancy/consultancy-workflow';
import { CustomerService } from '../domain/customers/customer';
import { HypercareDigestService } from '../domain/hypercare/digest';
import { HypercareMonitoring } from '../domain/hypercare/monitoring';
import { IntegrationService } from '../domain/integrations/integration';
import { ReportService } from '../domain/reports/report-service';
import { PersonalDataService } from '../domain/people/personal-data';
import { AlertDelivery } from '../domain/notifications/alert-delivery';
import { SlaTimerService } from '../domain/sla/sla-timer-service';
import { TicketService } from '../domain/tickets/ticket-service';
import { InboundTicketService } from '../domain/tickets/inbound-tickets';
import { AttachmentService } from '../domain/tickets/attachment-service';
import type { Dependencies } from './dependencies';
import { logger, observedSender, safeError } from './observability';

/**
 * A use case, built on first use from a function's dependencies and kept for
 * them. Each accessor is pure, so a function bundles (and loads) only the use
 * cases its handlers call: the tickets function carries no report rendering,
 * health carries none at all.
 */
function service<T>(make: (deps: Dependencies) => T): (deps: Dependencies) => T {
  const built = new WeakMap<Dependencies, T>();
  return (deps) => {
    let value = built.get(deps);
    if (value === undefined) built.set(deps, (value = make(deps)));
    return value;
  };
}

/** Alert delivery, where the function has a sender: every attempt counted and logged under the correlation id of what raised the alert. */
export const deliveryOf = /* @__PURE__ */ service((deps) => (deps.sender ? new AlertDelivery({ outbox: deps.outbox, sender: observedSender(deps.sender), now: deps.now }) : undefined));

export const timersOf = /* @__PURE__ */ service((deps) => {
  const delivery = deliveryOf(deps);
  return new SlaTimerService({
    ...deps,
    ...(delivery ? { delivery } : {}),
    onSweepFailure: (ticketId, error) => logger.error('the sweep could not check a ticket', { ticketId, error: safeError(error) }),
  });
});

export const ticketsOf = /* @__PURE__ */ service(
  (deps) =>
    new TicketService({
      ...deps,
      timers: timersOf(deps),
      inHypercare: (profile, at) => inHypercare(profile, at, deps.calendar.timeZone),
      onTimerFailure: (error) => logger.warn('timer work after a committed change failed; the sweep covers breaches', { error: safeError(error) }),
    }),
);

export const customersOf = /* @__PURE__ */ service((deps) => new CustomerService(deps));
export const hypercareOf = /* @__PURE__ */ service((deps) => new HypercareService({ ...deps, timeZone: deps.calendar.timeZone }));
export const integrationsOf = /* @__PURE__ */ service((deps) => new IntegrationService(deps));
export const serviceWindowsOf = /* @__PURE__ */ service((deps) => new ServiceWindowService(deps));
export const availabilityOf = /* @__PURE__ */ service((deps) => new AvailabilityService(deps));
export const digestsOf = /* @__PURE__ */ service((deps) => new HypercareDigestService({ ...deps, availability: availabilityOf(deps) }));
export const monitoringOf = /* @__PURE__ */ service((deps) => new HypercareMonitoring(deps));
export const consultancyOf = /* @__PURE__ */ service((deps) => new ConsultancyWorkflow(deps));
export const personalDataOf = /* @__PURE__ */ service((deps) => new PersonalDataService(deps));
export const reportsOf = /* @__PURE__ */ service((deps) => new ReportService(deps));

export const attachmentsOf = /* @__PURE__ */ service(
  (deps) =>
    new AttachmentService({
      tickets: ticketsOf(deps),
      attachments: deps.attachments,
      ...(deps.attachmentFiles ? { files: deps.attachmentFiles } : {}),
      now: deps.now,
      ...(deps.sniff ? { sniff: deps.sniff } : {}),
    }),
);

/** Email into tickets: the ingest's decisions taken by the ticket use cases, refusals logged. */
export const inboundTicketsOf = /* @__PURE__ */ service(
  (deps) =>
    new InboundTicketService({
      ...deps,
      tickets: ticketsOf(deps),
      attachments: attachmentsOf(deps),
      log: (message, fields) => logger.info(message, fields),
    }),
);
