import { capabilityHandler } from '../capability';
import { handler as createServiceWindow } from '../create-service-window';
import { handler as listServiceWindows } from '../list-service-windows';
import { handler as cancelServiceWindow } from '../cancel-service-window';
import { handler as getAvailability } from '../get-availability';
import { handler as getAvailabilitySamples } from '../get-availability-samples';

/** Availability: measured figures, samples and service windows. */
export const handler = capabilityHandler('availability', [createServiceWindow, listServiceWindows, cancelServiceWindow, getAvailability, getAvailabilitySamples]);
