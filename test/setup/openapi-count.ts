import { recordValidatedCount } from '../helpers/openapi-validator';

// After each test file: how many responses it held to the OpenAPI documents, for the run's summary line.
afterAll(() => {
  recordValidatedCount(expect.getState().testPath ?? 'unknown');
});
