import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium, as `.ci/run` installs it; CHROMIUM_PATH points elsewhere. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The one way the browser tests start Chromium: headless, without the sandbox a container lacks, plus any flags a test needs. */
export const launchBrowser = (...args: string[]): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', ...args] });
