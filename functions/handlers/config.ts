import { z } from 'zod';
import { CUSTOMER_ID } from '../domain/identifiers';

const list = z
  .string()
  .default('')
  .transform((text) => text.split(',').map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.email()));

const schema = z.object({
  TABLE_NAME: z.string().min(3, 'TABLE_NAME must name the DynamoDB table'),
  /** Only the local stack sets this, to DynamoDB Local. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  /** Machine clients (client-credentials) of customers: {"<app client id>": "<customer id>"}. */
  MACHINE_CLIENTS: z
    .string()
    .default('{}')
    .transform((text, ctx) => {
      try {
        return z.record(z.string(), z.string().regex(CUSTOMER_ID)).parse(JSON.parse(text));
      } catch {
        ctx.addIssue({ code: 'custom', message: 'MACHINE_CLIENTS must be a JSON object of client id to customer id' });
        return z.NEVER;
      }
    }),
  /** SLA timers on EventBridge Scheduler. */
  SCHEDULE_GROUP: z.string().optional(),
  TIMER_TARGET_ARN: z.string().startsWith('arn:').optional(),
  SCHEDULER_ROLE_ARN: z.string().startsWith('arn:').optional(),
  TIMER_DLQ_ARN: z.string().startsWith('arn:').optional(),
  WARNING_SHARE: z.coerce.number().gt(0).lt(1).default(0.75),
  /** The provider's on-call list for breach and warning emails, comma-separated. */
  ONCALL_EMAILS: list,
  /** The API's own health route, the default probe target. */
  API_HEALTH_URL: z.url().optional(),
  /** More probe targets: [{"name","url","expectedStatus"?,"timeoutMs"?}]. */
  PROBE_TARGETS: z
    .string()
    .default('[]')
    .transform((text, ctx) => {
      try {
        return z
          .array(z.strictObject({ name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/), url: z.url(), expectedStatus: z.number().int().default(200), timeoutMs: z.number().int().min(100).max(30_000).default(5_000) }))
          .parse(JSON.parse(text));
      } catch {
        ctx.addIssue({ code: 'custom', message: 'PROBE_TARGETS must be a JSON array of {name, url, expectedStatus?, timeoutMs?}' });
        return z.NEVER;
      }
    }),
  /** Alert delivery; only the functions that deliver are given these. */
  BREACH_TOPIC_ARN: z.string().startsWith('arn:').optional(),
  ALERT_FROM_EMAIL: z.email().optional(),
});

export type Config = z.infer<typeof schema>;

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
