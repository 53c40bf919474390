import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_RAW_BYTES, parseMime } from '#adapters/inbound/mime-parser';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/email/${name}`, import.meta.url));

describe('reading raw messages', () => {
  it('a plain reply: its own text without the quote or the signature, the addresses in lower case, the thread ids bare', async () => {
    const message = await parseMime(fixture('plain-reply.eml'));
    expect(message).toMatchObject({
      messageId: 'CAF=reply-1@mail.acme.example',
      inReplyTo: 'ticket-ACME-12-reply-3@sla-desk.example',
      references: ['ticket-ACME-12@sla-desk.example', 'ticket-ACME-12-reply-3@sla-desk.example'],
      from: { address: 'alice@acme.example', name: 'Alice Andersen' },
      recipients: ['support+acme-12.6gdrzehtmwjo4ar6@inbound.example'],
      subject: 'Re: [ACME-12] Nobody can sign in',
      reply: 'Thanks, signing in works again for everyone.',
      attachments: [],
      automatic: false,
    });
    if ('refused' in message) throw new Error('read');
    expect(message.text).toContain('> We changed the sign-in setting.');
    expect(message.body).not.toContain('+45 12 34 56 78');
  });

  it('an HTML-only message reads as text', async () => {
    expect(await parseMime(fixture('html-only.eml'))).toMatchObject({
      text: 'Hello,\nThe nightly synchronization to Salesforce stopped at 02:00 and has not run since.\nBob',
      body: 'Hello,\nThe nightly synchronization to Salesforce stopped at 02:00 and has not run since.\nBob',
    });
  });

  it('an attachment by name, type and decoded size', async () => {
    expect(await parseMime(fixture('with-attachment.eml'))).toMatchObject({
      body: 'The import stops at row 1200. The log is attached.',
      attachments: [{ filename: 'import.log', contentType: 'text/plain', size: Buffer.byteLength('row 1199 ok\nrow 1200 failed: missing account id\n') }],
    });
  });

  it('a forwarded message keeps what it forwards as the body of a new ticket', async () => {
    const message = await parseMime(fixture('forwarded.eml'));
    if ('refused' in message) throw new Error('read');
    expect(message.body).toMatch(/^Please look at the errors below[\s\S]*3 records failed validation: ACC-1, ACC-2, ACC-3\.$/);
  });

  it('ISO-8859-1 text, name and subject read as the characters they are', async () => {
    expect(await parseMime(fixture('latin1.eml'))).toMatchObject({
      from: { address: 'soren@acme.example', name: 'Søren Ærløse' },
      subject: 'Fejl i lønkørsel',
      body: 'Lønkørslen for december står stille efter trin 3. Ændringer er ikke gemt.',
    });
  });

  it('an automatic answer is marked so, and never answered', async () => {
    const raw = Buffer.from(fixture('html-only.eml').toString('latin1').replace('MIME-Version', 'Auto-Submitted: auto-replied\r\nMIME-Version'), 'latin1');
    expect(await parseMime(raw)).toMatchObject({ automatic: true });
  });

  it('refuses a message larger than the cap, unread', async () => {
    expect(await parseMime(new Uint8Array(MAX_RAW_BYTES + 1))).toEqual({ refused: 'too-large', detail: `${MAX_RAW_BYTES + 1} bytes, more than the ${MAX_RAW_BYTES} read` });
  });
});
