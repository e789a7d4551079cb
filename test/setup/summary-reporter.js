const { readdirSync, readFileSync, rmSync } = require('node:fs');
const { join } = require('node:path');

/** Responses held to the committed OpenAPI documents (test/helpers/openapi-validator.ts), over all test files. */
function validatedResponses() {
  const folder = process.env.TEST_OPENAPI_COUNT_DIR;
  if (!folder) return { responses: 0, files: 0 };
  let responses = 0;
  const files = new Set();
  try {
    for (const name of readdirSync(folder)) {
      for (const line of readFileSync(join(folder, name), 'utf8').split('\n')) {
        if (!line) continue;
        const entry = JSON.parse(line);
        responses += entry.validated;
        files.add(entry.file);
      }
    }
    rmSync(folder, { recursive: true, force: true });
  } catch {
    // No test file validated anything (or the folder is gone): nothing to add.
  }
  return { responses, files: files.size };
}

// Prints one plain closing line that CI tools read: "jest: N passed, N failed, N skipped", and the count of
// responses checked against the OpenAPI documents.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const { responses, files } = validatedResponses();
    process.stdout.write(`\nopenapi: ${responses} responses validated against openapi/*.json in ${files} test files\n`);
    process.stdout.write(`jest: ${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
module.exports = SummaryReporter;
