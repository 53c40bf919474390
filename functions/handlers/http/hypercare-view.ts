import type { Actor } from '../../domain/actor';
import { type Criterion, type HypercareRecord, hypercareState } from '../../domain/hypercare/hypercare';
import { namesOf, type PersonStore } from '../../domain/people/people';

/**
 * A customer's hypercare as `reader` is shown it: instants in ISO 8601 with the
 * calendar's offset, and who signed off, extended or transitioned it by name.
 */
export async function hypercareView(
  customerId: string,
  record: HypercareRecord,
  reader: Pick<Actor, 'role'>,
  deps: { now(): number; readonly calendar: { iso(t: number): string; timeZone: string }; readonly people: Pick<PersonStore, 'people'> },
) {
  const { calendar } = deps;
  const iso = (t: number) => calendar.iso(t);
  const state = hypercareState(record, deps.now(), calendar.timeZone);
  const acts = [record.customerSignoff, record.providerSignoff, record.transition, ...record.extensions];
  const name = await namesOf(
    deps.people,
    acts.flatMap((act) => (act ? [act.by] : [])),
    reader,
  );
  const criterion = (c: Criterion) => ({ met: c.met, ...(c.at !== undefined ? { at: iso(c.at) } : {}), ...(c.by ? { by: c.by, byName: name(c.by) } : {}) });
  return {
    customerId,
    status: state.status,
    goLiveAt: iso(record.goLiveAt),
    weeks: record.weeks,
    plannedEndAt: iso(state.plannedEndAt),
    extensions: record.extensions.map((e) => ({ weeks: e.weeks, reason: e.reason, at: iso(e.at), by: e.by, byName: name(e.by) })),
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
