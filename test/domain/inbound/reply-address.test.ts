import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hmacSha256 } from '#adapters/inbound/hmac';
import { contactSubject, readAddress, replyAddress, replySignature, SIGNATURE_LENGTH, supportAddress } from '#domain/inbound/reply-address';

const mac = hmacSha256('test-reply-secret-of-at-least-32-characters');
const otherStage = hmacSha256('another-stage-secret-of-at-least-32-chars');
const addresses = { domain: 'inbound.example' };

const ticketId = fc.tuple(fc.stringMatching(/^[A-Z][A-Z0-9]{1,15}$/), fc.integer({ min: 1, max: 9_999_999_999 })).map(([customer, n]) => `${customer}-${n}`);
/** A mail system may deliver a local part in any case: each letter up or down at random. */
const recased = (text: string, flips: readonly boolean[]) => [...text].map((c, i) => (flips[i % flips.length] ? c.toUpperCase() : c.toLowerCase())).join('');

describe('reply addresses', () => {
  it('reads as support+ACME-12.<16 base32 characters>@<inbound domain>, within the 64 characters a local part may have', () => {
    const address = replyAddress('ACME-12', mac, addresses);
    expect(address).toMatch(/^support\+ACME-12\.[a-z2-7]{16}@inbound\.example$/);
    expect(SIGNATURE_LENGTH).toBe(16);
    expect(replyAddress('ABCDEFGHIJKLMNOP-9999999999', mac, addresses).split('@')[0]!.length).toBeLessThanOrEqual(64);
    expect(supportAddress(addresses)).toBe('support@inbound.example');
  });

  it('sign then verify names the ticket, in whatever case the address arrives', () => {
    fc.assert(
      fc.property(ticketId, fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), (id, flips) => {
        expect(readAddress(recased(replyAddress(id, mac, addresses), flips), mac, addresses)).toEqual({ to: 'ticket', ticketId: id });
      }),
    );
  });

  it('any other ticket id under a signature is forged', () => {
    fc.assert(
      fc.property(ticketId, ticketId, (id, other) => {
        fc.pre(id !== other);
        const forged = `support+${other}.${replySignature(id, mac)}@inbound.example`;
        expect(readAddress(forged, mac, addresses)).toEqual({ to: 'forged', ticketId: other });
      }),
    );
  });

  it('any change to the signature is forged: a character replaced, one dropped, one added', () => {
    fc.assert(
      fc.property(ticketId, fc.nat(SIGNATURE_LENGTH - 1), fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz234567'), fc.constantFrom('replace', 'drop', 'add'), (id, at, letter, change) => {
        const signature = replySignature(id, mac);
        const changed =
          change === 'replace'
            ? signature.slice(0, at) + letter + signature.slice(at + 1)
            : change === 'drop'
              ? signature.slice(0, at) + signature.slice(at + 1)
              : signature.slice(0, at) + letter + signature.slice(at);
        fc.pre(changed !== signature);
        expect(readAddress(`support+${id}.${changed}@inbound.example`, mac, addresses).to).toBe('forged');
      }),
    );
  });

  it("another stage's signature is forged here", () => {
    fc.assert(
      fc.property(ticketId, (id) => {
        expect(readAddress(replyAddress(id, otherStage, addresses), mac, addresses).to).toBe('forged');
      }),
    );
  });

  it.each([
    ['support@inbound.example', { to: 'support' }],
    ['Support@Inbound.Example', { to: 'support' }],
    ['support@elsewhere.example', { to: 'elsewhere' }],
    ['billing@inbound.example', { to: 'elsewhere' }],
    ['support+ACME-12@inbound.example', { to: 'forged' }],
    ['support+not-a-ticket.abcdefghijklmnop@inbound.example', { to: 'forged' }],
    ['support+ACME-0.abcdefghijklmnop@inbound.example', { to: 'forged' }],
  ] as const)('%s is %o', (address, meaning) => {
    expect(readAddress(address, mac, addresses)).toEqual(meaning);
  });

  it('refuses a secret too short to resist guessing', () => {
    expect(() => hmacSha256('short')).toThrow(/at least 32 characters/);
  });
});

describe("a contact's pseudonym", () => {
  it('is one per address, in any case, keyed by the stage, and never carries the address', () => {
    fc.assert(
      fc.property(fc.emailAddress(), fc.emailAddress(), (a, b) => {
        const subject = contactSubject(a, mac);
        expect(subject).toMatch(/^contact:[a-z2-7]{26}$/);
        expect(contactSubject(a.toUpperCase(), mac)).toBe(subject);
        expect(contactSubject(a, otherStage)).not.toBe(subject);
        if (a.toLowerCase() !== b.toLowerCase()) expect(contactSubject(b, mac)).not.toBe(subject);
      }),
    );
  });
});
