import { NotFoundError } from '../../domain/errors';
import type { Actor } from '../../domain/actor';
import { CustomerIdParam } from './schemas';

/** A customer's profile is visible to the provider and to that customer only; anyone else gets 404. */
export function customerIdOf(params: Readonly<Record<string, string>>, actor: Actor): string {
  const parsed = CustomerIdParam.safeParse(params.id);
  if (!parsed.success || (actor.role === 'customer' && actor.customerId !== parsed.data)) throw new NotFoundError(`customer ${String(params.id)} not found`);
  return parsed.data;
}
