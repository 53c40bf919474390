import { defineConfig } from 'vitest/config';

/** Pure rules, request-level AWS tests and route wiring: no Java, no engine, no console build. */
const UNIT = [
  'test/domain/**/*.test.ts',
  'test/adapters/notifier/**/*.test.ts',
  'test/adapters/reports/**/*.test.ts',
  'test/adapters/inbound/{mime-parser,s3-raw-deletes}.test.ts',
  'test/adapters/attachments/**/*.test.ts',
  'test/adapters/identity/**/*.test.ts',
  'test/handlers/{capabilities,no-route,pre-token,safe-error}.test.ts',
  'test/api/{console-types,identity,openapi}.test.ts',
  'test/web/**/*.test.ts',
];
/** The CDK app synthesized: templates, limits, cfn-lint and cdk-nag. */
const INFRA = ['test/infra/**/*.test.ts'];
/** Chromium against the built console (and the deployed console's policies). */
const BROWSER = ['test/browser/**/*.test.ts', 'test/api/local-console.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    setupFiles: ['test/support/quiet-output.ts'],
    // What a test prints (the functions' logs included) is shown only when it fails.
    silent: 'passed-only',
    // Most integration files wait on DynamoDB Local, child processes or a browser, not on a core.
    maxWorkers: 3,
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT } },
      { extends: true, test: { name: 'infra', include: INFRA } },
      {
        extends: true,
        test: { name: 'integration', include: ['test/**/*.test.ts'], exclude: [...UNIT, ...INFRA, ...BROWSER], globalSetup: ['test/support/engine-setup.ts'] },
      },
      { extends: true, test: { name: 'browser', include: BROWSER, globalSetup: ['test/support/engine-setup.ts', 'test/support/console-setup.ts'] } },
    ],
  },
});
