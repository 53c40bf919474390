import { RequestError } from './problem';

/** A resource's version as its ETag: "3". */
export const etagOf = (version: number) => `"${version}"`;

/** If-Match carries the version the caller saw, as the ETag gave it: "3" (W/ allowed); `*` matches any existing version. */
export function versionOf(ifMatch: string | undefined): number | '*' | undefined {
  if (ifMatch === undefined) return undefined;
  if (ifMatch.trim() === '*') return '*';
  const match = /^(?:W\/)?"(\d{1,9})"$/.exec(ifMatch.trim());
  if (!match) throw new RequestError(400, 'invalid-if-match', 'Bad Request', 'If-Match must be an ETag this API gave out, such as "3"');
  return Number(match[1]);
}
