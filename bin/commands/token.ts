import { parseArgs } from 'node:util';
import { type Role } from '../../functions/domain/actor';
import { CUSTOMER_ID } from '../../functions/domain/identifiers';
import { issueMachineToken, issueToken, NoSigningKeyError, signingKey } from '../local/local-tokens';
import { DEFAULT_DATA_DIR } from '../local/stack';
import { LOCAL_MACHINE_CLIENT } from '../local/stack';
import { CliUsageError } from './cli-error';

export const tokenHelp = `Usage: sla-desk token --role <customer|agent|finance|admin> [--customer <id>] [--machine] [--expires-in <span>]

Prints a bearer token for the local stack on its last line, signed with the key
the stack made under DATA_DIR (default .data, as for \`npm start\`). Set the same
DATA_DIR the stack runs with; with no stack's key there, it refuses.

Options:
  --role        customer, agent, finance or admin
  --customer    the customer id (required for customer), e.g. ACME
  --machine     a client-credentials token of the local machine client (customer DEMO)
  --expires-in  e.g. 15m, 12h (default 12h)`;

const ROLES: readonly Exclude<Role, 'system'>[] = ['customer', 'agent', 'finance', 'admin'];

export async function token(args: string[]): Promise<string> {
  const { values } = parseArgs({
    args,
    options: { role: { type: 'string' }, customer: { type: 'string' }, machine: { type: 'boolean' }, 'expires-in': { type: 'string' } },
    strict: true,
  });
  // The arguments first: a usage mistake is said as such, whatever DATA_DIR holds.
  const key = () =>
    signingKey(process.env.DATA_DIR ?? DEFAULT_DATA_DIR, { create: false }).catch((error: unknown) => {
      throw error instanceof NoSigningKeyError ? new CliUsageError(error.message) : error;
    });
  if (values.machine) {
    if (values.role || values.customer) throw new CliUsageError('--machine takes no --role or --customer: it is the local machine client of customer DEMO');
    return issueMachineToken(await key(), LOCAL_MACHINE_CLIENT);
  }
  const role = values.role as Exclude<Role, 'system'>;
  if (!ROLES.includes(role)) throw new CliUsageError('--role must be customer, agent, finance or admin');
  if (role === 'customer' && !(values.customer && CUSTOMER_ID.test(values.customer))) {
    throw new CliUsageError('--customer is required for customers: 2–16 capitals and digits, starting with a letter, e.g. ACME');
  }
  if (role !== 'customer' && values.customer) throw new CliUsageError('--customer is only for the customer role');
  if (values['expires-in'] !== undefined && !/^([1-9]\d{0,4}[smh]|[1-9]\d?d)$/.test(values['expires-in'])) throw new CliUsageError('--expires-in must look like 15m or 12h (at most 99d)');
  return issueToken(await key(), { role, ...(values.customer ? { customerId: values.customer } : {}), ...(values['expires-in'] ? { expiresIn: values['expires-in'] } : {}) });
}
