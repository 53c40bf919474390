import { join, resolve } from 'node:path';
import { createDocumentClient } from '../../functions/adapters/dynamodb/client';
import { DynamoTicketStore } from '../../functions/adapters/dynamodb/dynamo-ticket-store';
import { danishCalendar } from '../../functions/domain/calendar/danish-calendar';
import { useDependencies } from '../../functions/handlers/dependencies';
import { type DynamoDbLocal, ensureTable, startDynamoDbLocal } from './dynamodb-local';
import { startLocalApi } from './local-api';
import { LocalClock } from './local-clock';
import { LOCAL_WEB_CLIENT, signingKey } from './local-tokens';

export const LOCAL_TABLE = 'sla-desk';
/** The local machine client, registered to the demo customer, for client-credentials tokens. */
export const LOCAL_MACHINE_CLIENT = 'local-machine-client';

export interface LocalStackOptions {
  readonly dataDir: string;
  readonly port: number;
  /** An already running DynamoDB Local (tests share one); otherwise one is started on disk under dataDir. */
  readonly dynamoEndpoint?: string;
  readonly tableName?: string;
  readonly clockStart?: number;
  /** Tests freeze the clock so instants are exact; people get a running one. */
  readonly clockFrozen?: boolean;
  readonly machineClients?: Readonly<Record<string, string>>;
}

export interface LocalStack {
  readonly url: string;
  readonly clock: LocalClock;
  readonly dataDir: string;
  stop(): Promise<void>;
}

/** Everything `npm start` runs, so tests can run exactly the same thing. */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const dataDir = resolve(options.dataDir);
  let dynamo: DynamoDbLocal | undefined;
  const endpoint = options.dynamoEndpoint ?? (dynamo = await startDynamoDbLocal({ dataDir: join(dataDir, 'dynamodb') })).endpoint;
  const tableName = options.tableName ?? LOCAL_TABLE;
  try {
    await ensureTable(endpoint, tableName);
    const clock = new LocalClock(options.clockStart, options.clockFrozen);
    const db = createDocumentClient({ endpoint });
    useDependencies({
      calendar: danishCalendar(),
      now: clock.now,
      store: new DynamoTicketStore(db, tableName),
      machineClients: options.machineClients ?? { [LOCAL_MACHINE_CLIENT]: 'DEMO' },
    });
    const key = await signingKey(dataDir);
    const api = await startLocalApi({ port: options.port, key, clients: [LOCAL_WEB_CLIENT, LOCAL_MACHINE_CLIENT], clock });
    return {
      url: api.url,
      clock,
      dataDir,
      async stop() {
        await api.close();
        db.destroy();
        await dynamo?.stop();
      },
    };
  } catch (error) {
    await dynamo?.stop();
    throw error;
  }
}
