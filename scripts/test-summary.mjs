// Prints vitest's JSON report as the one line CI reads: "N passed, N failed[, N skipped]".
import fs from 'node:fs';

const file = process.argv[2] ?? '.tmp/vitest-report.json';
let report;
try {
  report = JSON.parse(fs.readFileSync(file, 'utf8'));
} catch {
  console.log('0 passed, 1 failed'); // the runner died before writing its report
  process.exit(0);
}
const skipped = report.numPendingTests + report.numTodoTests;
// A file that failed to load counts as a failure even though none of its tests ran.
const brokenFiles = report.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
const line = `${report.numPassedTests} passed, ${report.numFailedTests + brokenFiles} failed`;
console.log(skipped ? `${line}, ${skipped} skipped` : line);
