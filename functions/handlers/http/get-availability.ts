import { availabilityOf } from '../services';
import { READS_PROBE_TARGETS } from '../dependencies';
import { availabilityView } from '../../domain/availability/export-format';
import { httpRoute, json } from './http-route';
import { getAvailability } from './routes';

/** The month to date, counted from the probe's samples and the service windows. */
export const handler = httpRoute(
  getAvailability,
  async ({ query, deps }) => json(200, availabilityView(await availabilityOf(deps).month(query.target, query.month), deps.calendar)),
  READS_PROBE_TARGETS,
);
