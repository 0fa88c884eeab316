// Sums the vitest and Playwright JSON reports and the failed gates into one
// plain line "N passed, N failed, N skipped". A skipped test is never a pass.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, ...failedGates] = process.argv.slice(2);
let passed = 0;
let failed = failedGates.length;
let skipped = 0;

const vitestFile = join(dir, 'vitest.json');
if (existsSync(vitestFile)) {
  const report = JSON.parse(readFileSync(vitestFile, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  // A suite that failed to load has no tests to count but is a failure.
  failed += report.testResults.filter(
    (file) => file.status === 'failed' && file.assertionResults.length === 0,
  ).length;
} else {
  console.error('vitest report missing');
  failed += 1;
}

const playwrightFile = join(dir, 'playwright.json');
if (existsSync(playwrightFile)) {
  const stats = JSON.parse(readFileSync(playwrightFile, 'utf8')).stats;
  passed += stats.expected;
  failed += stats.unexpected + stats.flaky;
  skipped += stats.skipped;
} else {
  console.error('playwright report missing');
  failed += 1;
}

for (const gate of failedGates) console.error(`gate failed: ${gate}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
