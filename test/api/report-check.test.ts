import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDependencies } from '#handlers/dependencies';
import { handler, MonthlyReportMissingError } from '#handlers/timer/report-check';
import { previousMonth } from '#domain/month';
import { type Cast, castOf, startTestStack, type TestStack } from '../support/test-stack';
import { captureOutput, emfOf } from '../handlers/captured-output';

let stack: TestStack;
let tokens: Cast;

beforeAll(async () => {
  // The local stack keeps metrics quiet unless told otherwise; this test reads them.
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  // The report's own schedule off: the check must see the month without a report first.
  stack = await startTestStack({ clockStart: '2026-12-01T07:00:00+01:00' });
  tokens = await castOf(stack);
});
afterAll(() => stack.stop());

/** Runs the check as its schedule does, and reads the MonthlyReportsMissing value it published (EMF on stdout). */
async function check(): Promise<{ missing: number | undefined; error: unknown }> {
  const output = captureOutput();
  let error: unknown;
  try {
    await handler({}, withDependencies({}, stack.dependencies) as never);
  } catch (e) {
    error = e;
  } finally {
    output.stop();
  }
  const values = emfOf(output.json()).values('MonthlyReportsMissing');
  expect(values).toHaveLength(1);
  return { missing: values[0], error };
}

describe("the check that last month's report appeared by 07:00 on the 1st", () => {
  it('fails and publishes 1 while November has no report, then 0 once finance generated it', async () => {
    const before = await check();
    expect(before.error).toBeInstanceOf(MonthlyReportMissingError);
    expect((before.error as Error).message).toContain('2026-11');
    expect(before.missing).toBe(1);

    expect((await stack.call('POST', '/reports/2026-11', { token: tokens.finance, body: { reason: 'the schedule did not run' } })).status).toBe(202);
    const after = await check();
    expect(after.error).toBeUndefined();
    expect(after.missing).toBe(0);
  });
});

describe('on the local stack', () => {
  it('runs after the report, an hour later: a clock jump past 07:00 on the 1st makes the report, then finds it', async () => {
    const twin = await startTestStack({ clockStart: '2026-12-15T10:00:00+01:00', monthlyReports: true });
    try {
      const admin = await twin.token('admin');
      const output = captureOutput();
      try {
        expect((await twin.call('POST', '/_dev/clock', { token: admin, body: { now: '2027-01-01T07:30:00+01:00' } })).status).toBe(200);
      } finally {
        output.stop();
      }
      const messages = output.json().map((line) => line.message as string);
      expect(messages.filter((m) => m === 'monthly report' || m === 'monthly report present' || m === 'monthly report missing')).toEqual(['monthly report', 'monthly report present']);
      const finance = await twin.token('finance');
      expect((await twin.call('GET', '/reports/2026-12', { token: finance })).body.versions).toHaveLength(1);
    } finally {
      await twin.stop();
    }
  });
});

describe('the month just ended', () => {
  it.each([
    ['2026-12-01T07:00:00+01:00', '2026-11'],
    // Local midnight of the 1st belongs to the new month; a minute before, to the old one.
    ['2026-12-01T00:00:00+01:00', '2026-11'],
    ['2026-11-30T23:59:00+01:00', '2026-10'],
    // Across the year and a daylight-saving month.
    ['2027-01-01T06:00:00+01:00', '2026-12'],
    ['2026-04-01T00:30:00+02:00', '2026-03'],
  ])('at %s is %s', (at, month) => {
    expect(previousMonth(Date.parse(at), 'Europe/Copenhagen')).toBe(month);
  });
});
