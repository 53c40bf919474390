import { capabilityHandler } from '../capability';
import { handler as exportPersonData } from '../export-person-data';
import { handler as putCustomer } from '../put-customer';
import { handler as getCustomer } from '../get-customer';
import { handler as listCustomers } from '../list-customers';
import { handler as getHypercare } from '../get-hypercare';
import { handler as signOffHypercare } from '../sign-off-hypercare';
import { handler as withdrawHypercareSignoff } from '../withdraw-hypercare-signoff';
import { handler as extendHypercare } from '../extend-hypercare';
import { handler as transitionHypercare } from '../transition-hypercare';
import { handler as listCustomerEvents } from '../list-customer-events';
import { handler as getIntegration } from '../get-integration';
import { handler as registerIntegration } from '../register-integration';
import { handler as revokeIntegration } from '../revoke-integration';

/** Customers: their records, audit trails and hypercare; and a person's data, which admins export. */
export const handler = capabilityHandler('customers', [
  exportPersonData,
  putCustomer,
  getCustomer,
  listCustomers,
  getHypercare,
  signOffHypercare,
  withdrawHypercareSignoff,
  extendHypercare,
  transitionHypercare,
  listCustomerEvents,
  getIntegration,
  registerIntegration,
  revokeIntegration,
]);
