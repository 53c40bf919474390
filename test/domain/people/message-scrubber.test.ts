import { describe, expect, it } from 'vitest';
import { messageScrubber } from '#domain/people/personal-data';

/* What an erasure does to an email kept: the person's address out of its recipients, their name and address out of its text. */

const scrub = messageScrubber('alice@acme.example', ['Alice Andersen', 'Alice at ACME']);
const message = (over: Partial<{ subject: string; body: string; html: string; recipients: string[] }>) => ({ subject: 'ACME-12 updated', body: 'Read it.', recipients: ['ops@acme.example'], ...over });

describe('scrubbing a kept email for an erasure', () => {
  it('drops a message for the person alone, whatever the case of the address', () => {
    expect(scrub(message({ recipients: ['Alice@ACME.example'] }))).toBe('drop');
  });

  it('takes the address out of a message for others too, and the name and address out of its text, HTML included', () => {
    expect(
      scrub(
        message({
          recipients: ['ALICE@acme.example', 'ops@acme.example'],
          subject: 'Alice Andersen replied on ACME-12',
          body: 'Alice at ACME wrote (alice@acme.example): hi',
          html: '<p>Alice Andersen</p>',
        }),
      ),
    ).toEqual({
      subject: 'Former user replied on ACME-12',
      body: 'Former user wrote ([removed on request]): hi',
      html: '<p>Former user</p>',
      recipients: ['ops@acme.example'],
    });
  });

  it('leaves a message with nothing of theirs as it is', () => {
    expect(scrub(message({ body: 'Alicia from Globex wrote.' }))).toBeUndefined();
  });

  it('reads names as text, not patterns', () => {
    expect(messageScrubber('x@y.example', ['A. (Bo) Berg*'])(message({ body: 'A. (Bo) Berg* wrote; AX (Bo) Berg did not' }))).toMatchObject({ body: 'Former user wrote; AX (Bo) Berg did not' });
  });
});
