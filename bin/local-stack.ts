/**
 * The local stack (`npm start`). The HTTP API over DynamoDB Local arrives with
 * the tickets capability; until then this shows what already runs here.
 */
console.log(`sla-desk local stack: the HTTP API is not built yet.

What runs today:
  npx tsx bin/sla-desk.ts deadline --priority highest --opened 2026-06-04T15:30:00+02:00
  npm test
  npm run bench`);
