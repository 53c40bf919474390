/**
 * `npm start`: the deployment's twin on one machine. DynamoDB Local (data under
 * DATA_DIR), the HTTP API on PORT feeding the same handlers Lambda runs, local
 * JWTs, and a clock that SLA_DESK_CLOCK can start anywhere. SLA_DESK_CONSOLE=off
 * serves the API alone, without building the console.
 */
import { DateTime } from 'luxon';
import { CONTRACT_ZONE } from '../functions/domain/contract';
import { parseInstant } from '../functions/domain/instant';
import { DEFAULT_DATA_DIR, type LocalStack, startLocalStack } from './local/stack';

const dataDir = process.env.DATA_DIR ?? DEFAULT_DATA_DIR;
const port = Number(process.env.PORT ?? 3000);
const clockStart = process.env.SLA_DESK_CLOCK ? parseInstant(process.env.SLA_DESK_CLOCK) : undefined;

const probeIntervalMs = process.env.PROBE_INTERVAL_MS ? Number(process.env.PROBE_INTERVAL_MS) : undefined;
const withConsole = process.env.SLA_DESK_CONSOLE !== 'off';
// Signals are handled from the first moment, so a stop during start-up still stops DynamoDB Local.
let stack: LocalStack | undefined;
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping sla-desk and DynamoDB Local…`);
    const stopped = stack ? stack.stop() : starting.then((s) => s.stop());
    stopped.then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}

// If whatever started us dies without passing the signal on (npm does not forward SIGTERM), stop too.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.emit('SIGTERM');
}, 1_000).unref();

const starting = startLocalStack({ dataDir, port, console: withConsole, ...(clockStart === undefined ? {} : { clockStart }), ...(probeIntervalMs ? { probeIntervalMs } : {}) });
try {
  stack = await starting;
} catch (error) {
  console.error(`sla-desk could not start: ${(error as Error).message}`);
  process.exit(1);
}

const clock = DateTime.fromMillis(stack.clock.now(), { zone: CONTRACT_ZONE }).toFormat("ccc d LLL yyyy HH:mm:ss 'Copenhagen time'");
console.log(`sla-desk is running at ${stack.url}  (data in ${stack.dataDir}; clock ${clock})

Tokens (with the same DATA_DIR):
  DATA_DIR=${dataDir} npx tsx bin/sla-desk.ts token --role customer --customer ACME
  DATA_DIR=${dataDir} npx tsx bin/sla-desk.ts token --role agent

Try:
  TOKEN=$(DATA_DIR=${dataDir} npx tsx bin/sla-desk.ts token --role customer --customer ACME | tail -1)
  curl -s ${stack.url}/tickets -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\
    -d '{"title":"Sync stopped","description":"No users since 08:00","category":"synchronization","priority":"high"}'

OpenAPI: ${stack.url}/openapi.json    Stop: Ctrl-C`);
