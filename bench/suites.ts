import type { Suite } from './suite';
import { slaSuite } from './sla';
import { apiSuite } from './api';
import { availabilitySuite } from './availability';
import { reportsSuite } from './reports';
import { consoleSuite } from './console';
import { loadSuite } from './load';
import { crashSuite } from './crash';
import { inboundSuite } from './inbound';
import { privacySuite } from './privacy';

/** Every suite `npm run bench` knows, in the order they run. Add one line per suite. */
export const SUITES: readonly Suite[] = [slaSuite, apiSuite, availabilitySuite, reportsSuite, consoleSuite, inboundSuite, privacySuite, loadSuite, crashSuite];
