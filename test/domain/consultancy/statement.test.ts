import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rateOf } from '#domain/consultancy/money';
import { type BillableEntry, monthTotals } from '#domain/consultancy/statement';

const entry = (customerId: string, service: BillableEntry['service'], hourly: string, currency: string, hours: number, n = 1): BillableEntry => ({
  id: `T${n}`,
  requestId: `CR-${customerId}`,
  customerId,
  service,
  rate: rateOf(hourly, currency),
  quarters: hours * 4,
  date: '2026-11-04',
  note: '',
  logged: { at: 0, by: 'agent' },
});

describe("a month's consultancy totals", () => {
  it('keeps a line per customer, service and approved rate, each rounded once (hand-computed)', () => {
    const totals = monthTotals([
      entry('GLOBEX', 'license-management', '99.99', 'EUR', 2.75),
      entry('ACME', 'crm-flows', '1250.50', 'DKK', 1.25),
      entry('ACME', 'crm-flows', '1400', 'DKK', 1),
      entry('ACME', 'crm-flows', '1250.50', 'DKK', 0.5, 2),
      entry('ACME', 'data-restore', '1250.50', 'DKK', 0.25),
      entry('INITECH', 'other', '15000', 'JPY', 0.25),
    ]);
    expect(totals.map((t) => [t.customerId, t.service, t.rate.hourly, t.rate.currency, t.quarters, t.amount])).toEqual([
      ['ACME', 'crm-flows', 125050, 'DKK', 7, 218838], // 1.75 h × 1250.50 = 2188.375 → 2188.38
      ['ACME', 'crm-flows', 140000, 'DKK', 4, 140000],
      ['ACME', 'data-restore', 125050, 'DKK', 1, 31263], // 0.25 h × 1250.50 = 312.625 → 312.63
      ['GLOBEX', 'license-management', 9999, 'EUR', 11, 27497], // 2.75 h × 99.99 = 274.9725 → 274.97
      ['INITECH', 'other', 15000, 'JPY', 1, 3750], // yen have no minor unit
    ]);
  });

  it('for any entries, the lines add up to every entry once, at its own rate, and each amount is the exact product rounded half up', () => {
    const anEntry = fc.record({
      customerId: fc.constantFrom('ACME', 'GLOBEX'),
      service: fc.constantFrom('crm-flows', 'data-restore' as const),
      hourly: fc.constantFrom(125000, 125050, 140001, 9999),
      currency: fc.constantFrom('DKK', 'EUR'),
      quarters: fc.integer({ min: 1, max: 96 }),
    });
    fc.assert(
      fc.property(fc.array(anEntry, { maxLength: 40 }), (drawn) => {
        const entries = drawn.map((d, i) => ({
          ...entry(d.customerId, d.service as BillableEntry['service'], '1', d.currency, 0.25, i),
          rate: { hourly: d.hourly, currency: d.currency },
          quarters: d.quarters,
        }));
        const totals = monthTotals(entries);
        expect(totals.reduce((sum, t) => sum + t.quarters, 0)).toBe(entries.reduce((sum, e) => sum + e.quarters, 0));
        // The oracle: group by hand, and round hourly × quarters / 4 in exact integer eighths.
        for (const line of totals) {
          const mine = entries.filter((e) => e.customerId === line.customerId && e.service === line.service && e.rate.hourly === line.rate.hourly && e.rate.currency === line.rate.currency);
          const quarters = mine.reduce((sum, e) => sum + e.quarters, 0);
          expect(line.quarters).toBe(quarters);
          expect(line.amount).toBe(Math.floor((2 * line.rate.hourly * quarters + 4) / 8));
        }
        expect(new Set(totals.map((t) => JSON.stringify([t.customerId, t.service, t.rate]))).size).toBe(totals.length);
      }),
    );
  });
});
