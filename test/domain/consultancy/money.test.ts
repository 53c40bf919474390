import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quartersOf } from '#domain/consultancy/hours';
import { amountFor, formatAmount, minorDigits, rateOf } from '#domain/consultancy/money';

describe('consultancy money, in minor units', () => {
  it.each([
    ['DKK', 2],
    ['EUR', 2],
    ['JPY', 0],
    ['KWD', 3],
  ])('%s has %i minor digits', (currency, digits) => expect(minorDigits(currency)).toBe(digits));

  it.each(['dkk', 'XYZ', 'DK', ''])('refuses %j as a currency', (currency) => expect(() => minorDigits(currency)).toThrow(/is not a currency code/));

  it.each<[string | number, string, number]>([
    ['1250', 'DKK', 125000],
    ['1250.5', 'DKK', 125050],
    [1250.55, 'DKK', 125055],
    ['12000', 'JPY', 12000],
    ['45.125', 'KWD', 45125],
  ])('reads %j %s as %i minor units', (hourly, currency, minor) => expect(rateOf(hourly, currency)).toEqual({ hourly: minor, currency }));

  it.each<[string | number, string]>([
    ['12.345', 'DKK'],
    ['100.5', 'JPY'],
    [-1, 'DKK'],
    [0.1 + 0.2, 'DKK'],
    ['1e3', 'DKK'],
    [Number.NaN, 'DKK'],
  ])('refuses %j %s as a rate', (hourly, currency) => expect(() => rateOf(hourly, currency)).toThrow());

  it.each<[string, string, number, string]>([
    // 1,250.00 DKK an hour: 3 h.
    ['1250', 'DKK', 12, '3750.00'],
    // 999.99 DKK × 0.25 h = 249.9975 → 250.00 (half up, once).
    ['999.99', 'DKK', 1, '250.00'],
    // 999.98 DKK × 0.25 h = 249.995 → 250.00; 999.97 → 249.9925 → 249.99.
    ['999.98', 'DKK', 1, '250.00'],
    ['999.97', 'DKK', 1, '249.99'],
    ['12001', 'JPY', 1, '3000'],
    ['12002', 'JPY', 1, '3001'],
    ['45.125', 'KWD', 6, '67.688'],
  ])('%s %s for %i quarter-hours is %s', (hourly, currency, quarters, amount) => expect(formatAmount(amountFor(rateOf(hourly, currency), quarters), currency)).toBe(amount));

  it('matches exact rational arithmetic for any rate and quarters', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 100_000 }), (hourly, quarters) => {
        // Oracle: round(hourly × quarters / 4) half up, with BigInt fractions written out.
        const numerator = BigInt(hourly) * BigInt(quarters) * 2n + 4n;
        expect(amountFor({ hourly, currency: 'DKK' }, quarters)).toBe(Number(numerator / 8n));
      }),
    );
  });

  it.each<[number, number | RegExp]>([
    [0.25, 1],
    [1.75, 7],
    [24, 96],
    [0, /positive multiple of 0.25/],
    [0.1, /positive multiple of 0.25/],
    [24.25, /at most 24/],
    [-1, /positive multiple/],
    [Number.POSITIVE_INFINITY, /positive multiple/],
  ])('%d hours are %s quarter-hours', (hours, expected) => {
    if (typeof expected === 'number') expect(quartersOf(hours)).toBe(expected);
    else expect(() => quartersOf(hours)).toThrow(expected);
  });
});
