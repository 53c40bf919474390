import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Actor } from '#domain/actor';
import {
  ATTACHMENT_LIMITS,
  ATTACHMENT_TYPES,
  type Attachment,
  AttachmentLimitError,
  AttachmentRefusedError,
  attachmentDisposition,
  attachmentKindsText,
  attachmentRulesText,
  checkNewAttachment,
  contentMismatch,
  isActive,
  maySeeAttachment,
  pendingAttachment,
  sanitiseFilename,
  TicketClosedError,
} from '#domain/tickets/attachments';
import { ForbiddenError } from '#domain/errors';

const customer: Actor = { subject: 'alice', role: 'customer', customerId: 'ACME' };
const agent: Actor = { subject: 'agent-1', role: 'agent' };
const open = { status: 'open' as const };
const at = Date.parse('2026-12-02T09:00:00Z');
const bytes = (text: string) => new TextEncoder().encode(text);

describe('what may be attached', () => {
  it.each([
    ['a PNG of 25 MB exactly', customer, open, { filename: 'a.png', contentType: 'image/png', size: 25_000_000 }, 0, undefined],
    ['a type with parameters, in any case', customer, open, { filename: 'a.txt', contentType: 'Text/Plain; charset=utf-8', size: 10 }, 0, undefined],
    ['one byte over 25 MB', customer, open, { filename: 'a.zip', contentType: 'application/zip', size: 25_000_001 }, 0, AttachmentRefusedError],
    ['an empty file', customer, open, { filename: 'a.txt', contentType: 'text/plain', size: 0 }, 0, AttachmentRefusedError],
    ['SVG, which can carry script', customer, open, { filename: 'a.svg', contentType: 'image/svg+xml', size: 10 }, 0, AttachmentRefusedError],
    ['HTML', customer, open, { filename: 'a.html', contentType: 'text/html', size: 10 }, 0, AttachmentRefusedError],
    ['a program', customer, open, { filename: 'a.exe', contentType: 'application/x-msdownload', size: 10 }, 0, AttachmentRefusedError],
    ['the 100th', customer, open, { filename: 'a.txt', contentType: 'text/plain', size: 10 }, 99, undefined],
    ['the 101st', customer, open, { filename: 'a.txt', contentType: 'text/plain', size: 10 }, 100, AttachmentLimitError],
    ['to a closed ticket', agent, { status: 'closed' as const }, { filename: 'a.txt', contentType: 'text/plain', size: 10 }, 0, TicketClosedError],
    ['to a resolved ticket', customer, { status: 'resolved' as const }, { filename: 'a.txt', contentType: 'text/plain', size: 10 }, 0, undefined],
    ['an internal one, by a customer', customer, open, { filename: 'a.txt', contentType: 'text/plain', size: 10, visibility: 'internal' as const }, 0, ForbiddenError],
    ['an internal one, by an agent', agent, open, { filename: 'a.txt', contentType: 'text/plain', size: 10, visibility: 'internal' as const }, 0, undefined],
  ])('%s', (_, actor, ticket, input, active, refused) => {
    const check = () => checkNewAttachment(actor, ticket, input, active);
    if (refused) expect(check).toThrow(refused);
    else expect(check).not.toThrow();
  });

  it('a refusal names the limit in plain words', () => {
    expect(() => checkNewAttachment(customer, open, { filename: 'a.zip', contentType: 'application/zip', size: 31_400_000 }, 0)).toThrow('A file may be at most 25 MB; this one is 31.4 MB');
  });
});

describe('what may be attached, in words made from the allowlist and the limits', () => {
  it.each(['images (PNG, JPEG, GIF, WebP)', 'PDF', 'ZIP', 'text', 'log', 'CSV', 'JSON', 'XML', 'email', 'up to 25 MB each'])('names %s', (kind) => expect(attachmentRulesText()).toContain(kind));

  it('reads as one list, each kind once, and shows no media type', () => {
    expect(attachmentRulesText()).toBe('images (PNG, JPEG, GIF, WebP), PDF, ZIP, text, log, CSV, JSON, XML or email files, up to 25 MB each');
    expect(attachmentRulesText()).not.toMatch(/\w\/\w/);
  });

  it('follows a change to the limit or the allowlist', () => {
    expect(attachmentRulesText({ ...ATTACHMENT_LIMITS, maxBytes: 10_000_000 })).toMatch(/, up to 10 MB each$/);
    const withAvif = { ...ATTACHMENT_TYPES, 'image/avif': { signature: ['image/avif'], name: 'an AVIF image' } };
    expect(attachmentKindsText(withAvif)).toMatch(/^images \(PNG, JPEG, GIF, WebP, AVIF\), /);
    expect(attachmentKindsText({ 'application/pdf': ATTACHMENT_TYPES['application/pdf']! })).toBe('PDF');
    expect(attachmentKindsText({ 'image/png': ATTACHMENT_TYPES['image/png']!, 'application/zip': ATTACHMENT_TYPES['application/zip']! })).toBe('PNG or ZIP');
  });

  it('a refused type is told the same kinds', () => {
    expect(() => checkNewAttachment(customer, open, { filename: 'a.svg', contentType: 'image/svg+xml', size: 10 }, 0)).toThrow(`Attach ${attachmentKindsText()} files`);
  });
});

describe('whether the bytes are what was declared', () => {
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  it.each([
    ['a PNG declared as PNG', 'image/png', { size: 8, head: png, detected: 'image/png' }, undefined],
    ['text declared as PNG', 'image/png', { size: 8, head: bytes('hello!!!'), detected: undefined }, 'The file is not a PNG image as announced'],
    ['a JPEG declared as PNG', 'image/png', { size: 8, head: png, detected: 'image/jpeg' }, 'The file is a JPEG image, not a PNG image as announced'],
    ['a log declared as text', 'text/plain', { size: 8, head: bytes('INFO ok\n'), detected: undefined }, undefined],
    [
      'a program declared as PNG: a kind the allowlist does not name is not named',
      'image/png',
      { size: 8, head: png, detected: 'application/x-msdownload' },
      'The file is not a PNG image as announced',
    ],
    ['a PNG declared as text', 'text/plain', { size: 8, head: png, detected: 'image/png' }, 'The file is a PNG image, not text as announced'],
    ['NUL bytes declared as CSV', 'text/csv', { size: 8, head: Uint8Array.from([97, 0, 98, 0, 99, 0, 100, 0]), detected: undefined }, 'The file is not text as announced'],
    ['Latin-1 declared as text', 'text/plain', { size: 8, head: Uint8Array.from([0x41, 0xe6, 0x42, 0xf8, 0x43, 0xe5, 0x44, 0x45]), detected: undefined }, 'The file is not text as announced'],
    ['UTF-8 cut inside a character', 'text/plain', { size: 8, head: Uint8Array.from([...bytes('Ærø '), 0xc3]), detected: undefined }, undefined],
    ['XML by its declaration', 'application/xml', { size: 8, head: bytes('<?xml ?>'), detected: 'application/xml' }, undefined],
    ['a ZIP declared as ZIP', 'application/zip', { size: 8, head: Uint8Array.from([0x50, 0x4b, 3, 4, 0, 0, 0, 0]), detected: 'application/zip' }, undefined],
    ['fewer bytes than announced', 'text/plain', { size: 7, head: bytes('INFO ok'), detected: undefined }, 'The upload was 7 bytes, not the 8 bytes announced'],
  ])('%s', (_, contentType, content, reason) => {
    expect(contentMismatch({ contentType, size: 8 }, content)).toBe(reason);
  });
});

describe('file names', () => {
  it.each([
    ['report.pdf', 'report.pdf'],
    ['C:\\Users\\alice\\Desktop\\sync.log', 'sync.log'],
    ['../../etc/passwd', 'passwd'],
    ['.htaccess', 'htaccess'],
    ['invoice\u202egpj.exe', 'invoicegpj.exe'],
    ['a\u0000b\u0007c.txt', 'abc.txt'],
    ['half\ud800.txt', 'half.txt'],
    ['what?*<>|":.txt', 'what.txt'],
    ['  spaced   out  .txt  ', 'spaced out .txt'],
    ['...', 'attachment'],
    ['', 'attachment'],
    [`${'x'.repeat(200)}.log`, `${'x'.repeat(116)}.log`],
  ])('%j is kept as %j', (given, kept) => {
    expect(sanitiseFilename(given)).toBe(kept);
  });

  it('are never empty, never longer than 120 characters, carry no path, control or direction character, and stay as they are when cleaned again', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (name) => {
        const kept = sanitiseFilename(name);
        expect(kept.length).toBeGreaterThan(0);
        expect([...kept].length).toBeLessThanOrEqual(120);
        expect(kept).not.toMatch(/[/\\\p{Cc}\u202a-\u202e\u2066-\u2069<>:"|?*;]/u);
        expect(kept).not.toMatch(/^\./);
        expect(sanitiseFilename(kept)).toBe(kept);
        expect(() => attachmentDisposition(kept)).not.toThrow();
      }),
    );
  });

  it('go back in Content-Disposition as a download: ASCII for old clients, the name itself in filename* (RFC 6266)', () => {
    expect(attachmentDisposition('Ærø log.txt')).toBe(`attachment; filename="_r_ log.txt"; filename*=UTF-8''%C3%86r%C3%B8%20log.txt`);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (name) => {
        const kept = sanitiseFilename(name);
        const header = attachmentDisposition(kept);
        expect(decodeURIComponent(header.split("filename*=UTF-8''")[1]!)).toBe(kept);
        expect(header).toMatch(/^attachment; filename="[\x20-\x7e]*"; filename\*=UTF-8''[A-Za-z0-9%!._~-]*$/);
      }),
    );
  });
});

describe('pending attachments and who sees them', () => {
  const pending: Attachment = pendingAttachment(customer, { id: 'ACME-1', customerId: 'ACME' }, { filename: 'a.txt', contentType: 'text/plain', size: 3 }, 'abcdefghijklmnopqrst', at);

  it('may be uploaded for 10 minutes, and count for an hour after that', () => {
    expect(pending).toMatchObject({ status: 'pending', visibility: 'public', uploadBy: at + 600_000, by: 'alice', customerId: 'ACME' });
    expect(isActive(pending, at + 600_000 + 3_600_000 - 1)).toBe(true);
    expect(isActive(pending, at + 600_000 + 3_600_000)).toBe(false);
    expect(isActive({ ...pending, status: 'available' }, at + 10 * 365 * 86_400_000)).toBe(true);
    expect(isActive({ ...pending, status: 'rejected' }, at)).toBe(false);
  });

  it("internal ones are the desk's", () => {
    expect(maySeeAttachment(customer, { visibility: 'internal' })).toBe(false);
    expect(maySeeAttachment({ subject: 'f', role: 'finance' }, { visibility: 'internal' })).toBe(false);
    expect(maySeeAttachment(agent, { visibility: 'internal' })).toBe(true);
    expect(maySeeAttachment(customer, { visibility: 'public' })).toBe(true);
  });
});
