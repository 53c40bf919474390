import * as z from 'zod/mini';
import './zod-messages';
import { HYPERCARE_WARNING_SHARE, WARNING_SHARE } from '../domain/contract';
import { parseResolutionTargets } from '../domain/tickets/resolution';
import { parseRetention } from '../domain/retention';

const emailList = z.pipe(
  z.pipe(
    z._default(z.string(), ''),
    z.transform((text: string) =>
      text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ),
  z.array(z.email()),
);

const arn = z.optional(z.string().check(z.startsWith('arn:')));

const schema = z.object({
  TABLE_NAME: z.string().check(z.minLength(3, 'TABLE_NAME must name the DynamoDB table')),
  /** Only the local stack sets this, to DynamoDB Local. */
  DYNAMODB_ENDPOINT: z.optional(z.url()),
  /** SLA timers on EventBridge Scheduler. */
  SCHEDULE_GROUP: z.optional(z.string()),
  TIMER_TARGET_ARN: arn,
  SCHEDULER_ROLE_ARN: arn,
  TIMER_DLQ_ARN: arn,
  WARNING_SHARE: z._default(z.pipe(z.coerce.number(), z.number().check(z.gt(0), z.lt(1))), WARNING_SHARE),
  /** The provider's on-call list for breach and warning emails, comma-separated. */
  ONCALL_EMAILS: emailList,
  /** Also told of heightened tickets' alerts (Highest and High opened in hypercare), comma-separated. */
  HYPERCARE_ESCALATION_EMAILS: emailList,
  HYPERCARE_WARNING_SHARE: z._default(z.pipe(z.coerce.number(), z.number().check(z.gt(0), z.lt(1))), HYPERCARE_WARNING_SHARE),
  /** Resolution targets in business days, `highest=1,high=3,…`; each priority left out keeps its default (docs/tickets.md). */
  RESOLUTION_TARGETS: z.pipe(
    z._default(z.string(), ''),
    z.transform((text: string, ctx) => {
      try {
        return parseResolutionTargets(text);
      } catch (error) {
        ctx.issues.push({ code: 'custom', message: (error as Error).message, input: text });
        return z.NEVER;
      }
    }),
  ),
  /** How long each kind of data is kept, `closedTickets=5y,attachments=1y,deliveredOutbox=90d`; each left out keeps its default (docs/privacy.md). */
  RETENTION: z.pipe(
    z._default(z.string(), ''),
    z.transform((text: string, ctx) => {
      try {
        return parseRetention(text);
      } catch (error) {
        ctx.issues.push({ code: 'custom', message: (error as Error).message, input: text });
        return z.NEVER;
      }
    }),
  ),
  /** The provider's finance list, told when a monthly report is ready, comma-separated. */
  FINANCE_EMAILS: emailList,
  /** The report bucket (S3), and the report function the API asks for a month's report. */
  REPORT_BUCKET: z.optional(z.string().check(z.minLength(3))),
  REPORT_FUNCTION: z.optional(z.string().check(z.minLength(1))),
  /** The user pool, where a person's erasure deletes their account. */
  USER_POOL_ID: z.optional(z.string().check(z.minLength(1))),
  /** Tickets' attachments: the bucket their bytes are uploaded to and read from. */
  ATTACHMENT_BUCKET: z.optional(z.string().check(z.minLength(3))),
  /** The console's address (its origin), for the links in emails; without it messages go without links. */
  CONSOLE_URL: z.optional(z.url()),
  /** The API's own health route, the default probe target. */
  API_HEALTH_URL: z.optional(z.url()),
  /** Alert delivery; only the functions that deliver are given these. */
  BREACH_TOPIC_ARN: arn,
  ALERT_FROM_EMAIL: z.optional(z.email()),
  /** Email into tickets: the inbound domain, the bucket and prefix SES stores messages under, and the reply-address secret. */
  INBOUND_DOMAIN: z.optional(z.string().check(z.minLength(3))),
  INBOUND_BUCKET: z.optional(z.string().check(z.minLength(3))),
  INBOUND_PREFIX: z._default(z.string(), 'inbound/'),
  INBOUND_SECRET_ARN: arn,
});

export type Config = z.infer<typeof schema>;

/** The variables the configuration reads: the CDK app sets a function's environment by these names. */
export type ConfigVariable = keyof z.input<typeof schema>;

/** Parsed once at cold start; a bad setting stops the function with a clear message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new Error(`sla-desk configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** A setting a function needs for what it was asked to do. */
export function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`sla-desk configuration: ${name} is required here`);
  return value;
}
