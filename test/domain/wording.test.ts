import { describe, expect, it } from 'vitest';
import { dateText, minutesText, moneyText, monthText, sizeText, timeText } from '#domain/wording';

describe('times as people write them, in Copenhagen time', () => {
  it.each([
    ['2026-12-02T09:02:41.981Z', 'Wed 2 Dec 2026, 10:02'], // winter: UTC+1, seconds dropped
    ['2026-06-08T06:30:00.000Z', 'Mon 8 Jun 2026, 08:30'], // summer: UTC+2
    ['2026-03-29T00:59:59.999Z', 'Sun 29 Mar 2026, 01:59'], // the last minute before the clocks go forward
    ['2026-03-29T01:00:00.000Z', 'Sun 29 Mar 2026, 03:00'],
  ])('%s reads "%s"', (iso, text) => expect(timeText(iso)).toBe(text));

  it('a day and a month in words', () => {
    expect(dateText(Date.parse('2026-12-31T23:30:00Z'))).toBe('Fri 1 Jan 2027');
    expect(monthText('2026-06')).toBe('June 2026');
  });
});

describe('durations in whole minutes, singular where it is one', () => {
  it.each([
    [0, '0 minutes'],
    [1, '1 minute'],
    [5, '5 minutes'],
    [29.617, '30 minutes'],
    [60, '1 hour'],
    [61, '1 hour 1 minute'],
    [65, '1 hour 5 minutes'],
    [120, '2 hours'],
    [8129.616983333333, '135 hours 30 minutes'],
  ])('%s minutes read "%s"', (minutes, text) => expect(minutesText(minutes)).toBe(text));
});

describe('file sizes, in the decimal units of the 25 MB limit', () => {
  it.each([
    [1, '1 byte'],
    [999, '999 bytes'],
    [1000, '1 KB'],
    [48_213, '48 KB'],
    [999_499, '999 KB'],
    [999_500, '1 MB'],
    [2_400_000, '2.4 MB'],
    [25_000_000, '25 MB'],
  ])('%s bytes read "%s"', (bytes, text) => expect(sizeText(bytes)).toBe(text));
});

describe('amounts with their currency, grouped in thousands', () => {
  it.each([
    ['1250.00', 'DKK', '1,250.00 DKK'],
    ['10000.00', 'DKK', '10,000.00 DKK'],
    ['990.50', 'EUR', '990.50 EUR'],
    ['1234567', 'JPY', '1,234,567 JPY'],
    ['0.00', 'DKK', '0.00 DKK'],
    ['-2500.00', 'DKK', '-2,500.00 DKK'],
  ])('%s %s reads "%s"', (amount, currency, text) => expect(moneyText(amount, currency)).toBe(text));
});
