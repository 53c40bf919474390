/** A customer's id: 2–16 capitals and digits, starting with a letter (it prefixes its ticket ids). */
export const CUSTOMER_ID = /^[A-Z][A-Z0-9]{1,15}$/;

/** A ticket's id: its customer's id and the customer's ticket number, e.g. ACME-42. */
export const TICKET_ID = /^[A-Z][A-Z0-9]{1,15}-[1-9]\d{0,9}$/;

export const isCustomerId = (value: unknown): value is string => typeof value === 'string' && CUSTOMER_ID.test(value);

/** A probe target's name, as samples are keyed by it: lower-case letters, digits and dashes, at most 32. */
export const TARGET_NAME = /^[a-z0-9][a-z0-9-]{0,31}$/;

/** A month, YYYY-MM, within the calendar's years. */
export const MONTH = /^(20\d{2}|2100)-(0[1-9]|1[0-2])$/;

/** The customer a ticket id belongs to: its prefix (ACME-42 is ACME's). */
export const customerOfTicket = (ticketId: string): string => ticketId.slice(0, ticketId.lastIndexOf('-'));

/** A consultancy request's id: CR- and eight hex digits, made by `newConsultancyId`. */
/** An ISO 4217 currency code's shape, e.g. DKK (whether the code exists is Intl's to say). */
export const CURRENCY = /^[A-Z]{3}$/;

export const CONSULTANCY_ID = /^CR-[0-9A-F]{8}$/;
export const newConsultancyId = (random: string) => `CR-${random.replace(/-/g, '').slice(0, 8).toUpperCase()}`;
