import { NotFoundError } from '../../domain/errors';

/** The n of `/increase/{n}`: a small positive integer, or the increase does not exist. */
export function increaseOf(params: Readonly<Record<string, string>>): number {
  const n = params.n ?? '';
  if (!/^[1-9]\d{0,3}$/.test(n)) throw new NotFoundError(`consultancy request ${params.id ?? ''} has no increase ${n}`);
  return Number(n);
}

export const consultancyLocation = (id: string) => ({ location: `/consultancy/${id}` });
