import type { Config } from 'jest';

/**
 * Test tiers, one Jest project each (`npm run test:<tier>` runs one, `npm test` all of them):
 * - unit: beside the code (`libs/**` and `apps/**` `*.spec.ts`), no database and no database set-up;
 * - medium: services against real PostgreSQL, no HTTP (`test/*.medium-spec.ts`);
 * - e2e: the apps over HTTP, the fuzz, crash and fault tests included (`test/*.e2e-spec.ts`);
 * - property: generated operation sequences against the ledger's invariants (`test/*.property-spec.ts`);
 * - browser: the back-office pages in Chromium (`test/*.browser-spec.ts`).
 */
type Project = NonNullable<Config['projects']>[number] & object;

const shared: Project = {
  rootDir: '.',
  moduleFileExtensions: ['ts', 'js', 'json'],
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      {
        tsconfig: 'tsconfig.json',
        // Types are checked once by `npm run typecheck`; here only the swagger plugin needs the program.
        diagnostics: { ignoreCodes: [151002], exclude: ['**'] },
        astTransformers: { before: ['<rootDir>/test/setup/swagger-transformer.js'] },
      },
    ],
  },
  moduleNameMapper: {
    '^@app/([a-z-]+)$': '<rootDir>/libs/$1/src',
  },
  setupFilesAfterEnv: ['<rootDir>/test/setup/openapi-count.ts'],
};

/** The tiers that need PostgreSQL: the run's server and template database, set up once for all of them. */
const withDatabase: Project = {
  ...shared,
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
};

const config: Config = {
  projects: [
    { ...shared, displayName: 'unit', testRegex: ['(apps|libs)/.*\\.spec\\.ts$'] },
    { ...withDatabase, displayName: 'medium', testRegex: ['test/.*\\.medium-spec\\.ts$'] },
    { ...withDatabase, displayName: 'e2e', testRegex: ['test/.*\\.e2e-spec\\.ts$'] },
    { ...withDatabase, displayName: 'property', testRegex: ['test/.*\\.property-spec\\.ts$'] },
    { ...withDatabase, displayName: 'browser', testRegex: ['test/.*\\.browser-spec\\.ts$'] },
  ],
  testTimeout: 60_000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/setup/summary-reporter.js'],
};

export default config;
