import { type Criterion, type HypercareRecord, hypercareState } from '../../domain/hypercare/hypercare';

/** A customer's hypercare as the API shows it: instants in ISO 8601 with the calendar's offset. */
export function hypercareView(customerId: string, record: HypercareRecord, now: number, calendar: { iso(t: number): string; timeZone: string }) {
  const iso = (t: number) => calendar.iso(t);
  const state = hypercareState(record, now, calendar.timeZone);
  const criterion = (c: Criterion) => ({ met: c.met, ...(c.at !== undefined ? { at: iso(c.at) } : {}), ...(c.by ? { by: c.by } : {}) });
  return {
    customerId,
    status: state.status,
    goLiveAt: iso(record.goLiveAt),
    weeks: record.weeks,
    plannedEndAt: iso(state.plannedEndAt),
    extensions: record.extensions.map((e) => ({ weeks: e.weeks, reason: e.reason, at: iso(e.at), by: e.by })),
    criteria: {
      operationalTwoWeeks: criterion(state.criteria.operationalTwoWeeks),
      customerSignoff: criterion(state.criteria.customerSignoff),
      providerSignoff: criterion(state.criteria.providerSignoff),
      transition: { ...criterion(state.criteria.transition), ...(state.criteria.transition.met && record.transition?.note ? { note: record.transition.note } : {}) },
    },
    ...(state.concludedAt !== undefined ? { concludedAt: iso(state.concludedAt) } : {}),
    overdue: state.overdue,
  };
}
