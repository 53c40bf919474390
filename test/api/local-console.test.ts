import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/test-stack';

/* What a person running `npm start` sees and may do that AWS has no counterpart for. */

let stack: TestStack;
let admin: string;
beforeAll(async () => {
  stack = await startTestStack({ clockStart: '2026-06-10T09:00:00+02:00' });
  admin = await stack.token('admin');
});
afterAll(() => stack.stop());

const jump = (body: object) => stack.call('POST', '/_dev/clock', { token: admin, body });

describe('the dev clock', () => {
  it('moves forward, and refuses to move back unless asked for in so many words, then warns', async () => {
    expect((await jump({ now: '2026-06-11T09:00:00+02:00' })).status).toBe(200);
    const back = await jump({ now: '2026-06-01T09:00:00+02:00' });
    expect(back.status).toBe(409);
    expect(back.body).toMatchObject({ type: '/problems/clock-backwards' });
    expect(back.body.detail).toMatch(/"backwards": true/);
    expect(new Date(stack.clock.now()).toISOString()).toBe('2026-06-11T07:00:00.000Z');

    const forced = await jump({ now: '2026-06-01T09:00:00+02:00', backwards: true });
    expect(forced.status).toBe(200);
    expect(forced.body.warning).toMatch(/moved back from 2026-06-11T07:00:00.000Z/);
    expect(stack.logs.some((line) => line.includes('warning: the clock moved back'))).toBe(true);
  });

  it('says the time in Copenhagen as people write it, next to the instant', async () => {
    expect((await jump({ now: '2026-12-02T09:02:30Z' })).body).toEqual({ now: '2026-12-02T09:02:30.000Z', copenhagen: 'Wed 2 Dec 2026, 10:02' });
    expect((await stack.call('GET', '/_dev/clock', { token: admin })).body).toEqual({ now: '2026-12-02T09:02:30.000Z', copenhagen: 'Wed 2 Dec 2026, 10:02' });
    expect((await jump({ now: '2026-12-01T09:00:00+01:00' })).body.detail).toMatch(/^the clock is at Wed 2 Dec 2026, 10:02 in Copenhagen;/);
  });
});

describe('the local server log', () => {
  it('has one line per request: method, path, status and milliseconds', async () => {
    stack.logs.length = 0;
    await stack.call('GET', '/health');
    await stack.call('GET', '/tickets/ACME-1?x=1');
    expect(stack.logs).toEqual([expect.stringMatching(/^GET \/health 200 \d+ ms$/), expect.stringMatching(/^GET \/tickets\/ACME-1\?x=1 401 \d+ ms$/)]);
  });

  it('says why it refused a token', async () => {
    stack.logs.length = 0;
    const token = await stack.token('agent');
    const [header, payload] = token.split('.');
    await stack.call('GET', '/tickets', { token: `${header}.${payload}.AAAA` });
    expect(stack.logs[0]).toMatch(/^local api: refused a token: .*signature/);
  });
});

describe("the console's local sign-in", () => {
  const post = (headers: Record<string, string>, body: string) =>
    new Promise<number>((done, fail) => {
      const url = new URL('/_dev/token', stack.url);
      const request = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers }, (response) => {
        response.resume();
        done(response.statusCode!);
      });
      request.on('error', fail);
      request.end(body);
    });

  it('mints a token for a local identity, on localhost only and only from a JSON body', async () => {
    const wanted = JSON.stringify({ role: 'agent' });
    expect(await post({ 'content-type': 'application/json', host: new URL(stack.url).host }, wanted)).toBe(200);
    expect(await post({ 'content-type': 'application/json', host: 'rebound.example:80' }, wanted)).toBe(403);
    expect(await post({ 'content-type': 'text/plain', host: new URL(stack.url).host }, wanted)).toBe(415);
    expect(await post({ 'content-type': 'application/json', host: new URL(stack.url).host }, JSON.stringify({ role: 'customer' }))).toBe(400);
  });
});
