import { z } from 'zod';
import { CATEGORIES, STATUSES } from '../../domain/tickets/ticket';
import { IMPACTS, PRIORITIES } from '../../domain/sla/sla-policy';
import { CUSTOMER_ID, TICKET_ID } from '../../domain/identifiers';

/**
 * The API's request shapes. Objects are strict: unknown fields, and fields the
 * server owns (id, customerId, status on create, deadlines, timestamps), are refused.
 */
const text = (max: number) => z.string().trim().min(1).max(max);

export const NewTicketBody = z
  .strictObject({
    title: text(200),
    description: text(20_000),
    category: z.enum(CATEGORIES),
    priority: z.enum(PRIORITIES).optional(),
    impact: z.enum(IMPACTS).optional(),
  })
  .refine((b) => (b.priority === undefined) !== (b.impact === undefined), { message: 'give either priority or impact, not both and not neither' });

export const TicketChangeBody = z
  .strictObject({
    title: text(200).optional(),
    category: z.enum(CATEGORIES).optional(),
    priority: z.enum(PRIORITIES).optional(),
    status: z.enum(STATUSES).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'change at least one field' });

export const NewCommentBody = z.strictObject({ body: text(20_000), visibility: z.enum(['public', 'internal']) });

const limit = z.coerce.number().int().min(1).max(100).default(25);
const cursor = z.string().max(2048).optional();

export const TicketListQuery = z.strictObject({
  status: z.enum(STATUSES).optional(),
  priority: z.enum(PRIORITIES).optional(),
  customerId: z.string().regex(CUSTOMER_ID).optional(),
  limit,
  cursor,
});

export const PageQuery = z.strictObject({ limit, cursor });

export const TicketIdParam = z.string().regex(TICKET_ID);

export const CustomerIdParam = z.string().regex(CUSTOMER_ID);

export const CustomerProfileBody = z.strictObject({
  name: text(200),
  alertContacts: z.array(z.email()).max(20).default([]),
  hypercareUntil: z.iso.datetime({ offset: true }).optional(),
});

const month = z.string().regex(/^(20\d{2}|2100)-(0[1-9]|1[0-2])$/, 'month must be YYYY-MM');
const targetName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/);

export const NewServiceWindowBody = z.strictObject({
  start: z.iso.datetime({ offset: true }),
  end: z.iso.datetime({ offset: true }),
  reason: text(500),
  targets: z.array(targetName).min(1).max(20).optional(),
});

export const MonthQuery = z.strictObject({ month });
export const AvailabilityQuery = z.strictObject({ month, target: targetName.default('api') });
