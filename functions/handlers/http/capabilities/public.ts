import { capabilityHandler } from '../capability';
import { handler as health } from '../health';
import { handler as openapi } from '../openapi';
import { handler as noRoute } from '../no-route';

/** The public routes (health, the OpenAPI document) and what no route takes. */
export const handler = capabilityHandler('public', [health, openapi], noRoute);
