import { z } from 'zod';

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
        return z.record(z.string(), z.string().regex(/^[A-Z][A-Z0-9]{1,15}$/)).parse(JSON.parse(text));
      } catch {
        ctx.addIssue({ code: 'custom', message: 'MACHINE_CLIENTS must be a JSON object of client id to customer id' });
        return z.NEVER;
      }
    }),
});

export type Config = z.infer<typeof schema>;

/** Parsed once at cold start; a bad setting stops the function with a clear message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new Error(`sla-desk configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
