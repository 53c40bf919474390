import { ensureConsole } from '../../bin/local/console';

/**
 * Builds the console from the sources as they are, once, before the browser
 * tests: they never see an older build, and stacks starting at once never race to build it.
 */
export default async function setup() {
  await ensureConsole(() => undefined, { rebuild: true });
}
