import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { counted } from '../domain/wording';

// zod's mini flavour says only "Invalid input" until it is given a locale: configuration errors read by operators use it.
z.config(en());

/**
 * How one request field is named and asked for in words. The API's callers are
 * people at a form as often as programs: each validation message is a sentence
 * about the field, never zod's wording, a pattern or a type name.
 */
interface FieldWords {
  /** The field inside a sentence: "the title", "who is affected". */
  readonly label: string;
  /** Said when it is missing or empty: "Give the ticket a title". */
  readonly missing?: string;
  /** Said when it has the wrong form (a pattern, a union, a JSON shape): "Customer ids are upper case…". */
  readonly form?: string;
  /** The allowed values as people name them, listed when another value is sent. */
  readonly names?: Readonly<Record<string, string>>;
}

/** A request schema's fields by path, list indexes left out: `title`, `contacts.email`. */
export type SchemaWords = Readonly<Record<string, FieldWords>>;

const wordsOf = new WeakMap<object, SchemaWords>();

/** Declares how a request schema's fields are named in messages; returns the schema itself. */
export function worded<S extends z.ZodMiniType>(schema: S, words: SchemaWords): S {
  wordsOf.set(schema, words);
  return schema;
}

/** Fields the server sets, with what they are, for the message refusing them. */
const SET_BY_SLA_DESK: Readonly<Record<string, string>> = {
  id: 'id',
  customerId: 'The customer',
  customer: 'The customer',
  status: 'The status',
  version: 'The version',
  openedAt: 'The time it was opened',
  openedBy: 'Who opened it',
  updatedAt: 'The time it was last changed',
  createdAt: 'The time it was made',
  closedAt: 'The time it was closed',
  author: 'The author',
  firstResponseDueAt: 'The first-response deadline',
  firstRespondedAt: 'The time of the first response',
  breachedAt: 'The time of a breach',
  warningSentAt: 'The time of a warning',
  hypercare: 'Whether it came in during hypercare',
};

const clipped = (text: string) => (text.length > 40 ? `${text.slice(0, 40)}…` : text);
const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The message refusing a field the body may not carry. */
function unknownFieldMessage(key: string): string {
  const owned = Object.hasOwn(SET_BY_SLA_DESK, key) ? SET_BY_SLA_DESK[key] : undefined;
  return owned ? `${owned} is set by sla-desk and cannot be sent` : `"${clipped(key)}" is not something you can send here: leave it out`;
}

/** The words for a path: declared, else made from its last name ("goLiveAt" → "the go live at"). */
function wordsFor(path: readonly PropertyKey[], words: SchemaWords): FieldWords {
  const names = path.filter((p) => typeof p === 'string');
  const declared = Object.hasOwn(words, names.join('.')) ? words[names.join('.')] : undefined;
  if (declared) return declared;
  const last = names.at(-1);
  return { label: last ? `the ${clipped(last.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase())}` : 'the request' };
}

const EXAMPLES: Readonly<Record<string, string>> = {
  datetime: 'a date and time, for example 2026-12-10T18:00:00+01:00',
  email: 'an email address, for example ops@acme.example',
};

/** A field holding an instant (ISO 8601 with an offset), whatever is wrong with it. */
export const dateTimeField = (label: string): FieldWords => ({ label, form: `Give ${label} as ${EXAMPLES.datetime}` });

const TYPES: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a group of fields',
};

/** Whether the request left the field out: a query's coerced value is no longer undefined, what was sent still is. */
function leftOut(sent: unknown, path: readonly PropertyKey[]): boolean {
  let value = sent;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return true;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value === undefined;
}

/** An issue in a sentence about its field, from the field's words, what kind of issue it is and what was sent. */
function plainMessage(issue: z.core.$ZodRawIssue, words: SchemaWords, sent: unknown): string {
  const path = issue.path ?? [];
  const field = wordsFor(path, words);
  const label = capital(field.label);
  const missing = field.missing ?? `${field.names ? 'Choose' : 'Give'} ${field.label}`;
  const absent = path.length > 0 && (issue.input === undefined || leftOut(sent, path));
  switch (issue.code) {
    case 'invalid_type': {
      if (absent) return missing;
      if (!path.length) return 'Send the fields as a JSON object';
      if (field.names) return `Choose one of: ${Object.values(field.names).join(', ')}`;
      return field.form ?? `${label} must be ${TYPES[issue.expected] ?? 'of another kind'}`;
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? missing : `${label} needs at least ${counted(min, 'character')}`;
      if (issue.origin === 'array' || issue.origin === 'set') return min <= 1 ? missing : `${label} needs at least ${counted(min, 'entry', 'entries')}`;
      return issue.inclusive ? `${label} must be at least ${min}` : `${label} must be more than ${min}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return field.form ?? `Keep ${field.label} to ${counted(max, 'character')} or fewer`;
      if (issue.origin === 'array' || issue.origin === 'set') return `${label} can have at most ${counted(max, 'entry', 'entries')}`;
      return issue.inclusive ? `${label} can be at most ${max}` : `${label} must be less than ${max}`;
    }
    case 'invalid_format': {
      if (field.form) return field.form;
      const example = EXAMPLES[issue.format];
      return example ? `Give ${field.label} as ${example}` : `${label} is not written the way it should be`;
    }
    case 'invalid_value':
      if (absent) return missing;
      return `Choose one of: ${issue.values.map((v) => field.names?.[String(v)] ?? String(v)).join(', ')}`;
    case 'not_multiple_of':
      return `${label} must be a multiple of ${String(issue.divisor)}`;
    case 'unrecognized_keys':
      return issue.keys.map(unknownFieldMessage).join('; ');
    default:
      return field.form ?? `Check ${field.label}`;
  }
}

type Issues = { path: string; message: string }[];

/** Parses a request part; refused, its problems come one per field, as the API sends them: `{ path: 'body.title', message }`. */
export function parsePlainly<S extends z.ZodMiniType>(schema: S, value: unknown, prefix: 'body' | 'query'): { data: z.infer<S> } | { issues: Issues } {
  const words = wordsOf.get(schema) ?? {};
  const parsed = schema.safeParse(value, { error: (issue) => plainMessage(issue, words, value) });
  if (parsed.success) return { data: parsed.data };
  const issues = parsed.error.issues.flatMap((issue) => {
    const at = [prefix, ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ path: [...at, key].join('.'), message: unknownFieldMessage(key) }));
    return [{ path: at.join('.'), message: issue.message }];
  });
  // One problem per field, the first zod found (a list sent as text is not also too long), so each is shown where it belongs.
  return { issues: issues.filter((issue, i) => issues.findIndex((other) => other.path === issue.path) === i) };
}

/** The problem's detail: the messages, short, as sentences. */
export function problemSummary(issues: Issues, prefix: 'body' | 'query'): string {
  const sentences = [...new Set(issues.map((i) => (i.message.endsWith('.') ? i.message : `${i.message}.`)))];
  const shown = sentences.length > 5 ? [...sentences.slice(0, 4), `And ${sentences.length - 4} more.`] : sentences;
  const fields = prefix === 'body' && issues.some((i) => i.path !== prefix);
  return `${fields ? 'Check the fields marked: ' : ''}${shown.join(' ')}`;
}
