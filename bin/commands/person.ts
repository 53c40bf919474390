import { parseArgs } from 'node:util';
import { CliFailure, CliUsageError } from './cli-error';

export const personHelp = `Usage: sla-desk person export (--email <address> | --id <person id>) --reason <text> [--api <url>] [--token <token>]
       sla-desk person erase  (--email <address> | --id <person id>) --reason <text> [--redact-text] [--api <url>] [--token <token>]

A data subject's request (docs/privacy.md), through the API as an admin:
  export        prints everything held about the person as one JSON document
                (GET /people/{id}/data); the request is recorded with its reason
  erase         erases the person (POST /people/{id}/erasure): their account,
                contact entry and files go, their record is emptied; prints what
                was done. A second erasure changes nothing.
Options:
  --email       find the person by address (GET /people?email=); refuses when it
                names no one, or more than one (then give --id)
  --id          the person's id (their token's subject)
  --reason      why: the request this answers, kept with the record
  --redact-text erase: also replace the text of their comments
  --api         the API's URL (default SLA_DESK_API, else http://127.0.0.1:3000,
                the local stack)
  --token       an admin's bearer token (default SLA_DESK_TOKEN; locally:
                sla-desk token --role admin)`;

interface Problem {
  readonly detail?: string;
  readonly title?: string;
}

async function call(api: string, token: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${api.replace(/\/$/, '')}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  }).catch((error: unknown) => {
    throw new CliFailure(`the API at ${api} did not answer: ${(error as Error).message}`);
  });
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) throw new CliFailure(`the API refused (${response.status}): ${(parsed as Problem | undefined)?.detail ?? (parsed as Problem | undefined)?.title ?? text}`);
  return parsed;
}

/** The person's id: given, or the one person with the address. */
async function personId(api: string, token: string, values: { email?: string | undefined; id?: string | undefined }): Promise<string> {
  if (values.id) return values.id;
  const found = (await call(api, token, 'GET', `/people?email=${encodeURIComponent(values.email!)}`)) as { items: { subject: string }[] };
  if (found.items.length === 0) throw new CliFailure(`no person has the address ${values.email}`);
  if (found.items.length > 1) throw new CliFailure(`${found.items.length} people have the address ${values.email}: give --id, one of ${found.items.map((p) => p.subject).join(', ')}`);
  return found.items[0]!.subject;
}

export async function person(args: string[]): Promise<string> {
  const [action, ...rest] = args;
  if (action !== 'export' && action !== 'erase') throw new CliUsageError('say export or erase; try --help');
  const { values } = parseArgs({
    args: rest,
    options: { email: { type: 'string' }, id: { type: 'string' }, reason: { type: 'string' }, 'redact-text': { type: 'boolean' }, api: { type: 'string' }, token: { type: 'string' } },
    strict: true,
  });
  if ((values.email === undefined) === (values.id === undefined)) throw new CliUsageError('give --email or --id, one of the two');
  if (!values.reason?.trim()) throw new CliUsageError('--reason is required: the request this answers');
  if (values['redact-text'] && action === 'export') throw new CliUsageError('--redact-text is for erase');
  const api = values.api ?? process.env.SLA_DESK_API ?? 'http://127.0.0.1:3000';
  const token = values.token ?? process.env.SLA_DESK_TOKEN;
  if (!token) throw new CliUsageError("an admin's token is required: --token or SLA_DESK_TOKEN");
  const id = await personId(api, token, values);
  const answer =
    action === 'export'
      ? await call(api, token, 'GET', `/people/${encodeURIComponent(id)}/data?reason=${encodeURIComponent(values.reason)}`)
      : await call(api, token, 'POST', `/people/${encodeURIComponent(id)}/erasure`, { reason: values.reason, ...(values['redact-text'] ? { redactText: true } : {}) });
  return JSON.stringify(answer, null, 2);
}
