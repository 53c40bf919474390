import type { BusinessCalendar } from '../domain/calendar/business-calendar';
import type { TicketStore } from '../domain/tickets/ticket-store';
import { TicketService } from '../domain/tickets/ticket-service';
import { loadConfig } from './config';

/** Everything a handler needs from the outside world. */
export interface Dependencies {
  readonly calendar: BusinessCalendar;
  readonly now: () => number;
  readonly store: TicketStore;
  readonly tickets: TicketService;
  readonly machineClients: Readonly<Record<string, string>>;
}

export type DependencyParts = Omit<Dependencies, 'tickets'>;

let current: Promise<Dependencies> | undefined;

/**
 * Built on first use, not at import: the calendar's holiday data and the SDK
 * are the bulk of a bundle's load time, and health and openapi never need them.
 */
async function fromEnvironment(): Promise<Dependencies> {
  const config = loadConfig();
  const [{ createDocumentClient }, { DynamoTicketStore }, { danishCalendar }] = await Promise.all([
    import('../adapters/dynamodb/client'),
    import('../adapters/dynamodb/dynamo-ticket-store'),
    import('../domain/calendar/danish-calendar'),
  ]);
  const store = new DynamoTicketStore(createDocumentClient({ endpoint: config.DYNAMODB_ENDPOINT }), config.TABLE_NAME);
  return assemble({ calendar: danishCalendar(), now: Date.now, store, machineClients: config.MACHINE_CLIENTS });
}

function assemble(parts: DependencyParts): Dependencies {
  return { ...parts, tickets: new TicketService(parts) };
}

/** The process's dependencies, built once from the environment. */
export function dependencies(): Promise<Dependencies> {
  current ??= fromEnvironment().catch((error: unknown) => {
    current = undefined;
    throw error;
  });
  return current;
}

/** The local stack wires its own parts (its DynamoDB Local, its clock). */
export function useDependencies(parts: DependencyParts): Dependencies {
  const assembled = assemble(parts);
  current = Promise.resolve(assembled);
  return assembled;
}
