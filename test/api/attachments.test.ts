import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aTicket, type Cast, castOf, startTestStack, type TestStack } from '../support/test-stack';

/* Attachments (docs/tickets.md#attachments) on the local stack: ask, upload to the signed URL, check, read. */

let stack: TestStack;
let tokens: Cast;

/** A real PNG's first bytes (signature and IHDR), then filler: what file-type reads as image/png. */
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex'), Buffer.alloc(64, 7)]);
const LOG = Buffer.from('2026-12-02 10:15:01 INFO sync started\n2026-12-02 10:15:04 ERROR Entra answered 429\n', 'utf8');

beforeAll(async () => {
  stack = await startTestStack({ clockStart: '2026-12-02T10:00:00+01:00' });
  tokens = await castOf(stack);
});
afterAll(() => stack.stop());

const open = async (token = tokens.acme) => {
  const reply = await stack.call('POST', '/tickets', { token, body: aTicket() });
  expect(reply.status, reply.text).toBe(201);
  return reply.body.id as string;
};
const ask = (id: string, body: Record<string, unknown>, token = tokens.acme) => stack.call('POST', `/tickets/${id}/attachments`, { token, body });
const put = (upload: { uploadUrl: string; uploadHeaders: Record<string, string> }, bytes: Buffer, headers: Record<string, string> = upload.uploadHeaders) =>
  fetch(upload.uploadUrl, { method: 'PUT', headers, body: bytes });
const list = async (id: string, token = tokens.acme) => {
  const reply = await stack.call('GET', `/tickets/${id}/attachments`, { token });
  expect(reply.status, reply.text).toBe(200);
  return reply.body.items as { id: string; filename: string; status: string; reason?: string; visibility: string; byName: string; size: number }[];
};

describe('attachments', () => {
  it('round trip: asked for with name, type and size, uploaded to the signed URL, checked, then read as a download of its type', async () => {
    const id = await open();
    const asked = await ask(id, { filename: 'screenshot.png', contentType: 'image/png', size: PNG.length });
    expect(asked.status, asked.text).toBe(201);
    expect(asked.body).toMatchObject({
      ticketId: id,
      filename: 'screenshot.png',
      contentType: 'image/png',
      size: PNG.length,
      visibility: 'public',
      status: 'pending',
      byName: 'Alice at ACME',
      uploadMethod: 'PUT',
      uploadHeaders: { 'content-type': 'image/png', 'if-none-match': '*' },
    });
    expect(Date.parse(asked.body.expiresAt) - Date.parse('2026-12-02T10:00:00+01:00')).toBe(600_000);
    expect((await put(asked.body, PNG)).status).toBe(200);
    expect(await list(id)).toMatchObject([{ id: asked.body.id, status: 'available' }]);
    // The URL writes once: used again within its 10 minutes, it cannot replace the checked bytes (S3's If-None-Match).
    expect((await put(asked.body, Buffer.from(PNG).fill(0, 40))).status).toBe(412);
    const read = await fetch(`${stack.url}/tickets/${id}/attachments/${asked.body.id}`, { headers: { authorization: `Bearer ${tokens.agent}` } });
    expect(read.status).toBe(200);
    expect(read.headers.get('content-type')).toBe('image/png');
    expect(read.headers.get('content-disposition')).toBe(`attachment; filename="screenshot.png"; filename*=UTF-8''screenshot.png`);
    expect(read.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await read.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it('a file whose first bytes are not its declared type is rejected, with the reason, and cannot be read', async () => {
    const id = await open();
    const asked = await ask(id, { filename: 'photo.png', contentType: 'image/png', size: LOG.length });
    expect((await put(asked.body, LOG)).status).toBe(200);
    const [rejected] = await list(id);
    expect(rejected).toMatchObject({ status: 'rejected', reason: 'The file is not a PNG image as announced' });
    expect((await stack.call('GET', `/tickets/${id}/attachments/${asked.body.id}`, { token: tokens.acme })).status).toBe(409);
    // Text declared, a PNG sent: rejected the other way round.
    const text = await ask(id, { filename: 'sync.log', contentType: 'text/plain', size: PNG.length });
    expect((await put(text.body, PNG)).status).toBe(200);
    expect((await list(id)).find((a) => a.id === text.body.id)).toMatchObject({ status: 'rejected', reason: 'The file is a PNG image, not text as announced' });
  });

  it('refuses what is too large, of a type not allowed, or empty, and an upload that is not what the URL was signed for', async () => {
    const id = await open();
    const refused = async (body: Record<string, unknown>, status: number, detail: RegExp) => {
      const reply = await ask(id, body);
      expect(reply.status, reply.text).toBe(status);
      expect(reply.headers.get('content-type')).toBe('application/problem+json');
      expect(reply.body.detail).toMatch(detail);
    };
    await refused({ filename: 'dump.zip', contentType: 'application/zip', size: 25_000_001 }, 400, /at most 25 MB/);
    await refused({ filename: 'logo.svg', contentType: 'image/svg+xml', size: 100 }, 400, /Attach images \(PNG, JPEG, GIF, WebP\)/);
    await refused({ filename: 'setup.exe', contentType: 'application/x-msdownload', size: 100 }, 400, /Attach images \(PNG, JPEG, GIF, WebP\)/);
    await refused({ filename: 'x.txt', contentType: 'text/plain', size: 0 }, 400, /size/);
    await refused({ filename: 'x.txt', contentType: 'text/plain', size: 10, status: 'available' }, 400, /status/);
    expect(await list(id)).toEqual([]);
    const asked = await ask(id, { filename: 'sync.log', contentType: 'text/plain', size: LOG.length });
    expect((await put(asked.body, LOG, { 'content-type': 'text/csv', 'if-none-match': '*' })).status).toBe(403);
    expect((await put(asked.body, LOG, { 'content-type': 'text/plain' })).status).toBe(403);
    expect((await put(asked.body, Buffer.concat([LOG, LOG]))).status).toBe(403);
    expect((await put({ ...asked.body, uploadUrl: asked.body.uploadUrl.replace(/signature=[^&]+/, 'signature=forged') }, LOG)).status).toBe(403);
    expect(await list(id)).toMatchObject([{ status: 'pending' }]);
    // The URL works for 10 minutes only.
    stack.at.set('2026-12-02T10:10:01+01:00');
    expect((await put(asked.body, LOG)).status).toBe(403);
    stack.at.set('2026-12-02T10:00:00+01:00');
  });

  it('keeps file names safe: the last path segment, no control or direction marks, no leading dots', async () => {
    const id = await open();
    const asked = await ask(id, { filename: '..\\..\\etc/.pass\u202ewd\u0007.txt', contentType: 'text/plain', size: LOG.length });
    expect(asked.body.filename).toBe('passwd.txt');
  });

  it("another customer's ticket is not found; finance attaches nothing; a closed ticket takes none", async () => {
    const id = await open();
    const asked = await ask(id, { filename: 'sync.log', contentType: 'text/plain', size: LOG.length });
    await put(asked.body, LOG);
    expect((await ask(id, { filename: 'a.txt', contentType: 'text/plain', size: 1 }, tokens.globex)).status).toBe(404);
    expect((await stack.call('GET', `/tickets/${id}/attachments`, { token: tokens.globex })).status).toBe(404);
    expect((await stack.call('GET', `/tickets/${id}/attachments/${asked.body.id}`, { token: tokens.globex })).status).toBe(404);
    expect((await ask(id, { filename: 'a.txt', contentType: 'text/plain', size: 1 }, tokens.finance)).status).toBe(403);
    expect((await stack.call('PATCH', `/tickets/${id}`, { token: tokens.agent, body: { status: 'closed' } })).status).toBe(200);
    const closed = await ask(id, { filename: 'a.txt', contentType: 'text/plain', size: 1 });
    expect([closed.status, closed.body.type]).toEqual([409, expect.stringContaining('ticket-closed')]);
  });

  it("internal attachments are agents' only: a customer cannot add one, see it or read it", async () => {
    const id = await open();
    expect((await ask(id, { filename: 'a.txt', contentType: 'text/plain', size: 1, visibility: 'internal' })).status).toBe(403);
    const internal = await ask(id, { filename: 'notes.txt', contentType: 'text/plain', size: LOG.length, visibility: 'internal' }, tokens.agent);
    expect(internal.status, internal.text).toBe(201);
    await put(internal.body, LOG);
    expect(await list(id, tokens.agent)).toMatchObject([{ filename: 'notes.txt', visibility: 'internal', status: 'available' }]);
    expect(await list(id)).toEqual([]);
    expect((await stack.call('GET', `/tickets/${id}/attachments/${internal.body.id}`, { token: tokens.acme })).status).toBe(404);
  });

  it('holds 100 per ticket; an upload never made stops counting once its time has passed', async () => {
    const id = await open();
    for (let i = 0; i < 100; i++) expect((await ask(id, { filename: `part-${i}.txt`, contentType: 'text/plain', size: 10 })).status).toBe(201);
    const full = await ask(id, { filename: 'one-more.txt', contentType: 'text/plain', size: 10 });
    expect([full.status, full.body.detail]).toEqual([409, 'a ticket holds at most 100 attachments']);
    // Ten minutes to upload, then an hour's grace: after that the pending ones are gone from the list and the count.
    stack.at.set('2026-12-02T11:10:01+01:00');
    expect(await list(id)).toEqual([]);
    expect((await ask(id, { filename: 'one-more.txt', contentType: 'text/plain', size: 10 })).status).toBe(201);
    stack.at.set('2026-12-02T10:00:00+01:00');
  });
});
