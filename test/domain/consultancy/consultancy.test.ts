import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  approve,
  approvedQuarters,
  billableAmount,
  cancel,
  complete,
  type ConsultancyRequest,
  type ConsultancyStatus,
  decideIncrease,
  loggedQuarters,
  logTime,
  propose,
  reject,
  REQUEST_LIMITS,
  requestIncrease,
  type Side,
} from '#domain/consultancy/consultancy';
import { InvalidHoursError } from '#domain/consultancy/hours';
import { rateOf } from '#domain/consultancy/money';

const ZONE = 'Europe/Copenhagen';
const at = (iso: string) => Date.parse(iso);
const DKK = rateOf('1250', 'DKK');
const customer = (iso: string) => ({ at: at(iso), by: 'pm@acme' });
const agent = (iso: string) => ({ at: at(iso), by: 'agent-1' });

const proposed = () => propose({ id: 'C-1', customerId: 'ACME', service: 'crm-flows', description: 'Lead routing flow', estimateHours: 4, proposed: agent('2026-11-02T09:00:00+01:00') });
const approved = () => approve(proposed(), 'customer', customer('2026-11-03T10:00:00+01:00'), DKK);
const entry = (hours: number, date = '2026-11-04', id = `E-${hours}-${date}`) => ({ id, hours, date, note: 'work' });
/** A refused move, in words: where the request stands by its status's name, and what it can no longer be. */
const REFUSED = /^this request (?:is waiting for approval|was (?:approved|rejected|completed|cancelled)); it (?:cannot be \w+ again|cannot be \w+ before it is approved|can no longer be \w+)$/;

describe('a consultancy request', () => {
  it("needs the customer's prior approval before any time is logged, and keeps the rate then in force", () => {
    expect(() => logTime(proposed(), 'provider', entry(1), agent('2026-11-04T12:00:00+01:00'), ZONE)).toThrow(/not approved this consultancy yet/);
    const request = approved();
    expect(request).toMatchObject({ status: 'approved', approval: { by: 'pm@acme', quarters: 16, rate: { hourly: 125000, currency: 'DKK' } } });
    const logged = logTime(request, 'provider', entry(3), agent('2026-11-04T12:00:00+01:00'), ZONE);
    expect([loggedQuarters(logged), billableAmount(logged)]).toEqual([12, 375000]);
  });

  it.each<[string, (r: ConsultancyRequest) => ConsultancyRequest, ConsultancyStatus[], RegExp]>([
    ['approve', (r) => approve(r, 'customer', customer('2026-11-05T09:00:00+01:00'), DKK), ['approved', 'rejected', 'completed', 'cancelled'], REFUSED],
    ['reject', (r) => reject(r, 'customer', customer('2026-11-05T09:00:00+01:00')), ['approved', 'rejected', 'completed', 'cancelled'], REFUSED],
    ['complete', (r) => complete(r, 'provider', agent('2026-11-05T09:00:00+01:00')), ['proposed', 'rejected', 'completed', 'cancelled'], REFUSED],
    ['cancel (provider)', (r) => cancel(r, 'provider', agent('2026-11-05T09:00:00+01:00')), ['rejected', 'completed', 'cancelled'], REFUSED],
    ['cancel (customer)', (r) => cancel(r, 'customer', customer('2026-11-05T09:00:00+01:00')), ['approved', 'rejected', 'completed', 'cancelled'], REFUSED],
    [
      'log time',
      (r) => logTime(r, 'provider', entry(1, '2026-11-05'), agent('2026-11-05T12:00:00+01:00'), ZONE),
      ['proposed', 'rejected', 'completed', 'cancelled'],
      /not approved|takes no more time/,
    ],
    ['ask for more hours', (r) => requestIncrease(r, 'provider', agent('2026-11-05T09:00:00+01:00'), 2, 'more'), ['proposed', 'rejected', 'completed', 'cancelled'], /on approved work/],
  ])('%s is refused from every status it cannot come from', (_, act, from, why) => {
    const inStatus: Record<ConsultancyStatus, () => ConsultancyRequest> = {
      proposed,
      approved,
      rejected: () => reject(proposed(), 'customer', customer('2026-11-03T10:00:00+01:00'), 'not now'),
      completed: () => complete(approved(), 'provider', agent('2026-11-04T10:00:00+01:00')),
      cancelled: () => cancel(proposed(), 'provider', agent('2026-11-03T10:00:00+01:00')),
    };
    for (const status of from) expect(() => act(inStatus[status]()), status).toThrow(why);
  });

  it("says a refused move in words, never by the API's status values", () => {
    const cancelled = cancel(proposed(), 'provider', agent('2026-11-03T10:00:00+01:00'));
    expect(() => approve(cancelled, 'customer', customer('2026-11-05T09:00:00+01:00'), DKK)).toThrow('this request was cancelled; it can no longer be approved');
    expect(() => complete(proposed(), 'provider', agent('2026-11-05T09:00:00+01:00'))).toThrow('this request is waiting for approval; it cannot be completed before it is approved');
    expect(() => requestIncrease(proposed(), 'provider', agent('2026-11-05T09:00:00+01:00'), 2, 'more')).toThrow('more hours are asked for on approved work; this request is waiting for approval');
    const decided = decideIncrease(requestIncrease(approved(), 'provider', agent('2026-11-04T10:00:00+01:00'), 2, 'x'), 'customer', customer('2026-11-04T11:00:00+01:00'), 1, true);
    expect(() => decideIncrease(decided, 'customer', customer('2026-11-04T12:00:00+01:00'), 1, false)).toThrow('increase 1 was already approved');
  });

  it.each<[string, (side: Side) => unknown, Side]>([
    ['approve', (side) => approve(proposed(), side, agent('2026-11-03T10:00:00+01:00'), DKK), 'provider'],
    ['reject', (side) => reject(proposed(), side, agent('2026-11-03T10:00:00+01:00')), 'provider'],
    [
      'approve an increase',
      (side) => decideIncrease(requestIncrease(approved(), 'provider', agent('2026-11-04T10:00:00+01:00'), 2, 'x'), side, agent('2026-11-04T11:00:00+01:00'), 1, true),
      'provider',
    ],
    ['log time', (side) => logTime(approved(), side, entry(1), customer('2026-11-04T12:00:00+01:00'), ZONE), 'customer'],
    ['complete', (side) => complete(approved(), side, customer('2026-11-04T12:00:00+01:00')), 'customer'],
    ['ask for more hours', (side) => requestIncrease(approved(), side, customer('2026-11-04T12:00:00+01:00'), 1, 'x'), 'customer'],
  ])('%s is not for the %s side', (_, act, side) => expect(() => act(side)).toThrow(/only the/));

  it('refuses time beyond the approved hours until the customer approves an increase', () => {
    let request = logTime(approved(), 'provider', entry(3.5), agent('2026-11-04T12:00:00+01:00'), ZONE);
    expect(() => logTime(request, 'provider', entry(0.75), agent('2026-11-04T12:00:00+01:00'), ZONE)).toThrow(
      '0.75 h would exceed the approved hours: 0.5 h are left; ask the customer to approve more hours for this request first',
    );
    request = requestIncrease(request, 'provider', agent('2026-11-04T13:00:00+01:00'), 2, 'Second flow');
    expect(approvedQuarters(request)).toBe(16);
    expect(() => decideIncrease(request, 'customer', customer('2026-11-04T14:00:00+01:00'), 2, true)).toThrow(/no increase 2/);
    request = decideIncrease(request, 'customer', customer('2026-11-04T14:00:00+01:00'), 1, true);
    expect(approvedQuarters(request)).toBe(24);
    expect(() => decideIncrease(request, 'customer', customer('2026-11-04T14:00:00+01:00'), 1, false)).toThrow(/already approved/);
    expect(loggedQuarters(logTime(request, 'provider', entry(2.5), agent('2026-11-04T15:00:00+01:00'), ZONE))).toBe(24);
  });

  it.each<[string, string, RegExp]>([
    ['a day that does not exist', '2026-02-30', /calendar day/],
    ['not a date', '4 Nov', /calendar day/],
    ['the future, by the clock in Copenhagen', '2026-11-05', /in the future/],
    ['before the approval', '2026-11-02', /before the approval on 2026-11-03/],
  ])('refuses a date that is %s', (_, date, why) => {
    // 23:30 UTC on 4 Nov is already 5 Nov in Copenhagen: then the 5th is today, not the future.
    expect(() => logTime(approved(), 'provider', entry(1, date), agent('2026-11-04T22:30:00Z'), ZONE)).toThrow(why);
    if (date === '2026-11-05') expect(loggedQuarters(logTime(approved(), 'provider', entry(1, date), agent('2026-11-04T23:30:00Z'), ZONE))).toBe(4);
  });

  it('approval at 00:30 Copenhagen: time logged on the previous calendar day is refused', () => {
    // 00:30 on 4 November in Copenhagen is still 3 November in UTC; the approval day is Copenhagen's.
    const request = approve(proposed(), 'customer', customer('2026-11-04T00:30:00+01:00'), DKK);
    expect(() => logTime(request, 'provider', entry(1, '2026-11-03'), agent('2026-11-04T12:00:00+01:00'), ZONE)).toThrow(/2026-11-03 is before the approval on 2026-11-04/);
    expect(loggedQuarters(logTime(request, 'provider', entry(1, '2026-11-04'), agent('2026-11-04T12:00:00+01:00'), ZONE))).toBe(4);
  });

  it('an increase still open when the work is completed can no longer be decided: the approved hours stay as they were', () => {
    const asked = requestIncrease(approved(), 'provider', agent('2026-11-04T10:00:00+01:00'), 2, 'Second flow');
    const done = complete(asked, 'provider', agent('2026-11-04T16:00:00+01:00'));
    let after = done;
    expect(() => (after = decideIncrease(done, 'customer', customer('2026-11-05T09:00:00+01:00'), 1, true))).toThrow(/this request was completed: its hours no longer change/);
    expect(() => (after = decideIncrease(done, 'customer', customer('2026-11-05T09:00:00+01:00'), 1, false))).toThrow(/this request was completed/);
    expect(approvedQuarters(after)).toBe(16);
    expect(after.increases.map((i) => i.status)).toEqual(['proposed']);
  });

  it('refuses an approval while no rate is agreed, and "other" work without a description', () => {
    expect(() => approve(proposed(), 'customer', customer('2026-11-03T10:00:00+01:00'), undefined)).toThrow(/no consultancy rate/);
    expect(() => propose({ id: 'C-2', customerId: 'ACME', service: 'other', description: ' ', estimateHours: 1, proposed: agent('2026-11-02T09:00:00+01:00') })).toThrow(/needs a description/);
  });

  it('for any sequence of increases and entries, the billable total is the sum of the accepted entries and never exceeds the approved hours', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('log' as const), quarters: fc.integer({ min: 1, max: 40 }) }),
      fc.record({ kind: fc.constant('increase' as const), quarters: fc.integer({ min: 1, max: 20 }), approve: fc.boolean() }),
      fc.record({ kind: fc.constant('complete' as const) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.array(step, { maxLength: 30 }), (estimate, steps) => {
        let request = approve(
          propose({ id: 'C-9', customerId: 'ACME', service: 'crm-flows', description: 'x', estimateHours: estimate / 4, proposed: agent('2026-11-02T09:00:00+01:00') }),
          'customer',
          customer('2026-11-03T10:00:00+01:00'),
          rateOf('999.99', 'DKK'),
        );
        // The oracle: counters kept by hand.
        let allowed = estimate;
        let accepted = 0;
        let open = true;
        for (const [i, s] of steps.entries()) {
          const when = agent('2026-11-04T12:00:00+01:00');
          // What the contract says should happen: work is taken while open and within the approved hours.
          const expected = open && (s.kind !== 'log' || accepted + s.quarters <= allowed);
          let taken = true;
          try {
            if (s.kind === 'log') request = logTime(request, 'provider', { id: `E${i}`, hours: s.quarters / 4, date: '2026-11-04', note: '' }, when, ZONE);
            else if (s.kind === 'complete') request = complete(request, 'provider', when);
            else {
              request = requestIncrease(request, 'provider', when, s.quarters / 4, 'more');
              request = decideIncrease(request, 'customer', customer('2026-11-04T12:00:00+01:00'), request.increases.length, s.approve);
            }
          } catch {
            taken = false;
          }
          expect(taken).toBe(expected);
          if (!taken) continue;
          if (s.kind === 'log') accepted += s.quarters;
          if (s.kind === 'complete') open = false;
          if (s.kind === 'increase' && s.approve) allowed += s.quarters;
        }
        expect(accepted).toBeLessThanOrEqual(allowed);
        expect(approvedQuarters(request)).toBe(allowed);
        expect(loggedQuarters(request)).toBe(accepted);
        expect(billableAmount(request)).toBe(Math.floor((99_999 * accepted + 2) / 4));
        expect(request.status).toBe(open ? 'approved' : 'completed');
      }),
      { numRuns: 300 },
    );
  });
});

describe('what one request keeps (its record is one DynamoDB item)', () => {
  const big = () =>
    approve(
      propose({ id: 'C-L', customerId: 'ACME', service: 'crm-flows', description: 'x', estimateHours: 100, proposed: agent('2026-11-02T09:00:00+01:00') }),
      'customer',
      customer('2026-11-03T10:00:00+01:00'),
      DKK,
    );

  it('takes at most 200 time entries, then says to open a new request', () => {
    let request = big();
    for (let i = 0; i < REQUEST_LIMITS.entries; i++) request = logTime(request, 'provider', entry(0.25, '2026-11-04', `E${i}`), agent('2026-11-04T12:00:00+01:00'), ZONE);
    expect(request.entries).toHaveLength(200);
    expect(() => logTime(request, 'provider', entry(0.25, '2026-11-04', 'E-one-more'), agent('2026-11-04T12:00:00+01:00'), ZONE)).toThrow(/200 time entries, the most one request keeps/);
  });

  it('takes at most 20 increases, and no estimate or increase beyond 10,000 hours', () => {
    let request = big();
    for (let i = 0; i < REQUEST_LIMITS.increases; i++) request = requestIncrease(request, 'provider', agent('2026-11-04T12:00:00+01:00'), 1, 'more');
    expect(() => requestIncrease(request, 'provider', agent('2026-11-04T12:00:00+01:00'), 1, 'more')).toThrow(/20 increases/);
    expect(() => requestIncrease(big(), 'provider', agent('2026-11-04T12:00:00+01:00'), 10_000.25, 'more')).toThrow(InvalidHoursError);
    expect(() => propose({ id: 'C-H', customerId: 'ACME', service: 'crm-flows', description: 'x', estimateHours: 1e15, proposed: agent('2026-11-02T09:00:00+01:00') })).toThrow(InvalidHoursError);
  });
});
