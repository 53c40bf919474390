/**
 * The contract's fixed terms, each written once. Business hours, service
 * windows, reports and recurring jobs all keep Copenhagen time; availability
 * is sampled once per slot; on-call is warned part way through a first-response window.
 */

/** The time zone of the contract's operating hours, and of every date people read. */
export const CONTRACT_ZONE = 'Europe/Copenhagen';

/** Availability is measured once per slot of this many minutes: one sample, one slot. */
export const SLOT_MINUTES = 5;

/** The pre-breach warning goes out when this share of the business-time window is used. */
export const WARNING_SHARE = 0.75;

/** Heightened tickets (Highest and High opened in hypercare) are warned at half the window. */
export const HYPERCARE_WARNING_SHARE = 0.5;
