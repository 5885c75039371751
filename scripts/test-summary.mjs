// Prints vitest's JSON reports as the one line CI reads: "N passed, N failed[, N skipped]",
// summed over every report given (the whole suite on SQLite, the integration pass on
// PostgreSQL), after a line per report.
import fs from 'node:fs';

const files = process.argv.length > 2 ? process.argv.slice(2) : ['.tmp/vitest-report.json'];

function count(file) {
  let report;
  try {
    report = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return { passed: 0, failed: 1, skipped: 0 }; // the runner died before writing its report
  }
  // A file that failed to load counts as a failure even though none of its tests ran.
  const brokenFiles = report.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests + brokenFiles,
    skipped: report.numPendingTests + report.numTodoTests,
  };
}

const line = ({ passed, failed, skipped }) => `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
const counts = files.map(count);
if (files.length > 1) files.forEach((f, i) => console.log(`${f}: ${line(counts[i])}`));
console.log(line(counts.reduce((a, c) => ({ passed: a.passed + c.passed, failed: a.failed + c.failed, skipped: a.skipped + c.skipped }))));
