import { describe, expect, it } from 'vitest';
import { messageScrubber } from '#domain/people/personal-data';

/* What an erasure does to an email kept: the person's address out of its recipients, their name and address out of its text. */

const scrub = messageScrubber('alice@acme.example', ['Alice Andersen', 'Alice at ACME']);
const message = (over: Partial<{ subject: string; body: string; html: string; recipients: string[] }>) => ({ subject: 'ACME-12 updated', body: 'Read it.', recipients: ['ops@acme.example'], ...over });

describe('scrubbing a kept email for an erasure', () => {
  it('leaves a message for the person alone with no recipients, whatever the case of the address (the store withdraws it)', () => {
    expect(scrub(message({ recipients: ['Alice@ACME.example'] }))).toEqual(message({ recipients: [] }));
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

  it('takes the name out of the HTML part as it is escaped there', () => {
    expect(messageScrubber('ob@acme.example', ["Ó'Brien & Co"])(message({ body: "Ó'Brien & Co wrote", html: '<p>Ó&#39;Brien &#38; Co wrote</p>' }))).toMatchObject({
      body: 'Former user wrote',
      html: '<p>Former user wrote</p>',
    });
  });

  it('takes a name only where it stands as a word, in any case: a short name leaves longer words be', () => {
    expect(messageScrubber('al@acme.example', ['Al'])(message({ body: 'Also AL wrote; al@acme.example too; Alan did not' }))).toMatchObject({
      body: 'Also Former user wrote; [removed on request] too; Alan did not',
    });
  });

  it('takes out what they wrote, when it is redacted, as a letter quotes it: a paragraph at a time, the HTML part escaped', () => {
    const written = messageScrubber('bo@acme.example', ['Bo Berg'], ['The sync stopped at 09:40.\n\nOur "main" <db> & the cache\nboth.']);
    expect(
      written(
        message({
          body: 'Bo Berg wrote:\nThe sync stopped at 09:40.\n\nOur "main" <db> & the cache\nboth.\n\nReply in the console.',
          html: '<blockquote><p>The sync stopped at 09:40.</p><p>Our &#34;main&#34; &#60;db&#62; &#38; the cache<br>both.</p></blockquote>',
        }),
      ),
    ).toMatchObject({
      body: 'Former user wrote:\n[removed on request]\n\n[removed on request]\n\nReply in the console.',
      html: '<blockquote><p>[removed on request]</p><p>[removed on request]</p></blockquote>',
    });
  });

  it('reads names as text, not patterns', () => {
    expect(messageScrubber('x@y.example', ['A. (Bo) Berg*'])(message({ body: 'A. (Bo) Berg* wrote; AX (Bo) Berg did not' }))).toMatchObject({ body: 'Former user wrote; AX (Bo) Berg did not' });
  });
});
