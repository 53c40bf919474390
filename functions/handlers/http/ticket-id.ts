import { NotFoundError } from '../../domain/errors';
import { TicketIdParam } from './schemas';

/** A path id that could never exist is simply not found. */
export function ticketIdOf(params: Readonly<Record<string, string>>): string {
  const parsed = TicketIdParam.safeParse(params.id);
  if (!parsed.success) throw new NotFoundError(`ticket ${String(params.id)} not found`);
  return parsed.data;
}
