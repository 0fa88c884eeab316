// `npm run doctor`: checks, in plain words, what a first run needs and exits
// non-zero when something is missing. See lib/doctor-checks.mjs.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAllChecks } from './lib/doctor-checks.mjs';

const LABEL = { ok: 'ok     ', missing: 'MISSING', note: 'note   ' };
const projectDir = join(fileURLToPath(import.meta.url), '../..');

const results = runAllChecks(projectDir);
for (const result of results) console.log(`${LABEL[result.status]} ${result.name}: ${result.text}`);
const missing = results
  .filter((result) => result.status === 'missing')
  .map((result) => result.name);
console.log(
  missing.length === 0
    ? 'Everything a first run needs is here.'
    : `Missing: ${missing.join(', ')}. Fix ${missing.length === 1 ? 'it' : 'them'} and run \`npm run doctor\` again.`,
);
process.exit(missing.length === 0 ? 0 : 1);
