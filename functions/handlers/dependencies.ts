import { createDocumentClient } from '../adapters/dynamodb/client';
import { DynamoTicketStore } from '../adapters/dynamodb/dynamo-ticket-store';
import type { BusinessCalendar } from '../domain/calendar/business-calendar';
import { danishCalendar } from '../domain/calendar/danish-calendar';
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

let current: Dependencies | undefined;

function fromEnvironment(): Dependencies {
  const config = loadConfig();
  const store = new DynamoTicketStore(createDocumentClient({ endpoint: config.DYNAMODB_ENDPOINT }), config.TABLE_NAME);
  return assemble({ calendar: danishCalendar(), now: Date.now, store, machineClients: config.MACHINE_CLIENTS });
}

function assemble(parts: Omit<Dependencies, 'tickets'>): Dependencies {
  return { ...parts, tickets: new TicketService(parts) };
}

/** The process's dependencies, built on first use from the environment. */
export function dependencies(): Dependencies {
  current ??= fromEnvironment();
  return current;
}

/** Swaps parts (the local stack's clock, say); the services are rebuilt around them. */
export function useDependencies(parts: Partial<Omit<Dependencies, 'tickets'>>): Dependencies {
  const base = current ?? fromEnvironment();
  current = assemble({ calendar: base.calendar, now: base.now, store: base.store, machineClients: base.machineClients, ...parts });
  return current;
}
