import { describe, expect, it } from 'vitest';
import { inHypercare } from '../../../functions/domain/customers/customer';

const profile = (hypercareUntil?: number) => ({ customerId: 'ACME', name: 'Acme', alertContacts: [], updatedAt: 0, version: 1, ...(hypercareUntil === undefined ? {} : { hypercareUntil }) });

describe('hypercare flag on alerts', () => {
  it.each<[string, ReturnType<typeof profile> | undefined, number, boolean]>([
    ['no profile', undefined, 1_000, false],
    ['no hypercare agreed', profile(), 1_000, false],
    ['within the period', profile(2_000), 1_999, true],
    ['at its end the period is over', profile(2_000), 2_000, false],
  ])('%s', (_, p, now, expected) => {
    expect(inHypercare(p, now)).toBe(expected);
  });
});
