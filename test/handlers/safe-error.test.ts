import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { withCorrelationId } from '#adapters/correlation';
import { logger, redact, safeError } from '#handlers/observability';
import { captureOutput } from './captured-output';

describe('what an error may show in the logs', () => {
  it('an SDK error loses the item it carries; name, message, stack and request id stay', () => {
    const error = new ConditionalCheckFailedException({
      message: 'The conditional request failed',
      $metadata: { httpStatusCode: 400, requestId: 'REQ123' },
      Item: { description: { S: 'Salaries of the Zeta team ZX-ITEM-1' } },
    });
    const shown = safeError(error);
    expect(shown).toMatchObject({ name: 'ConditionalCheckFailedException', message: 'The conditional request failed', aws: { status: 400, requestId: 'REQ123' } });
    expect(JSON.stringify(shown)).not.toContain('ZX-ITEM-1');
    expect(shown.stack).toEqual(expect.arrayContaining([expect.stringMatching(/^at /)]));
  });

  it('messages and causes are redacted and clipped', () => {
    const shown = safeError(new Error(`rejected for ops.lead@customer.example ${'x'.repeat(400)}`, { cause: new Error('Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln refused') }));
    expect(shown.message).toMatch(/^rejected for …@customer\.example x+$/);
    expect(String(shown.message).length).toBe(300);
    expect((shown.cause as { message: string }).message).toBe('Bearer … refused');
  });

  it('follows causes a few deep, and survives a cycle of them', () => {
    const first = new Error('outer');
    const second = new Error('inner', { cause: first });
    (first as { cause?: unknown }).cause = second;
    const logged = safeError(first);
    let depth = 0;
    for (let e: Record<string, unknown> | undefined = logged; e; e = e.cause as Record<string, unknown> | undefined) depth++;
    expect(depth).toBe(4);
  });

  it('redacts tokens alone, and addresses down to their domain', () => {
    expect(redact('token eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln for a.b+c@mail.acme.example, d@x.io')).toBe('token … for …@mail.acme.example, …@x.io');
    expect(redact('to иван@почта.рф, olga@shop.xn--p1ai and søren@kontor.dk')).toBe('to …@почта.рф, …@shop.xn--p1ai and …@kontor.dk');
  });

  it('the logger redacts whatever it is given, and names the correlation id', () => {
    const output = captureOutput();
    try {
      withCorrelationId('req-42', () => logger.warn('send refused', { to: 'cfo@acme.example', header: 'Bearer abc.def.ghi', error: new Error('no cfo@acme.example') }));
      logger.info('outside any request');
    } finally {
      output.stop();
    }
    const [refused, outside] = output.json();
    expect(refused).toMatchObject({ level: 'WARN', message: 'send refused', correlation_id: 'req-42', to: '…@acme.example', header: 'Bearer …', error: { message: 'no …@acme.example' } });
    expect(outside).not.toHaveProperty('correlation_id');
    expect(output.lines.join('\n')).not.toContain('cfo@');
  });
});
