import { describe, expect, it } from 'vitest';
import { attachmentExpiry, closedTicketExpiry, DEFAULT_RETENTION, deliveredExpiry, parseRetention, retentionText } from '#domain/retention';

const seconds = (iso: string) => Date.parse(iso) / 1000;

describe('retention periods', () => {
  it('by default: a closed ticket 5 years, its attachments 1 year, both from the closing; a delivered message 90 days from delivery', () => {
    const closedAt = Date.parse('2026-06-10T14:30:00Z');
    expect(closedTicketExpiry(DEFAULT_RETENTION, closedAt)).toBe(seconds('2031-06-10T14:30:00Z'));
    expect(attachmentExpiry(DEFAULT_RETENTION, closedAt)).toBe(seconds('2027-06-10T14:30:00Z'));
    expect(deliveredExpiry(DEFAULT_RETENTION, 'breach', closedAt)).toBe(seconds('2026-09-08T14:30:00Z'));
  });

  it('counts calendar years (29 February to 1 March) and rounds a part second up, never expiring early', () => {
    expect(closedTicketExpiry(DEFAULT_RETENTION, Date.parse('2028-02-29T12:00:00Z'))).toBe(seconds('2033-03-01T12:00:00Z'));
    expect(attachmentExpiry(DEFAULT_RETENTION, Date.parse('2026-01-01T00:00:00.001Z'))).toBe(seconds('2027-01-01T00:00:01Z'));
  });

  it('keeps a delivered hypercare digest, which the monthly report counts', () => {
    expect(deliveredExpiry(DEFAULT_RETENTION, 'hypercare-digest', Date.parse('2026-06-10T00:00:00Z'))).toBeUndefined();
  });

  it("reads a stage's periods, each left out keeping its default, and writes them out in full", () => {
    const retention = parseRetention('closedTickets=7y, deliveredOutbox=30d');
    expect(retentionText(retention)).toBe('closedTickets=7y,attachments=1y,deliveredOutbox=30d');
    expect(parseRetention(retentionText(retention))).toEqual(retention);
    expect(closedTicketExpiry(retention, Date.parse('2026-06-10T00:00:00Z'))).toBe(seconds('2033-06-10T00:00:00Z'));
    expect(deliveredExpiry(retention, 'ticket-reply', Date.parse('2026-06-10T00:00:00Z'))).toBe(seconds('2026-07-10T00:00:00Z'));
    expect(parseRetention('')).toEqual(DEFAULT_RETENTION);
  });

  it.each(['tickets=5y', 'closedTickets=5', 'closedTickets=0y', 'closedTickets=5m', 'attachments=1.5y', 'attachments=1y=2'])('refuses %s', (text) => {
    expect(() => parseRetention(text)).toThrow(/retention is kind=period/);
  });

  it('keeps no attachment longer than its ticket', () => {
    expect(() => parseRetention('closedTickets=1y,attachments=400d')).toThrow(/attachments may not be longer than of closed tickets/);
    expect(parseRetention('closedTickets=1y,attachments=365d').attachments).toEqual({ amount: 365, unit: 'd' });
  });
});
