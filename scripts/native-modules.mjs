// `node scripts/native-modules.mjs node|electron`: make keytar and
// better-sqlite3 load in that runtime (see lib/native-builds.mjs for how).
// `npm test` and postinstall use `node`; `npm start` and `npm run dev` use `electron`.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareNativeModules, runtimeTarget } from './lib/native-builds.mjs';

const projectDir = join(fileURLToPath(import.meta.url), '../..');
const runtime = process.argv[2];
if (runtime !== 'node' && runtime !== 'electron') {
  console.error(`usage: node scripts/native-modules.mjs node|electron (got "${runtime ?? ''}")`);
  process.exit(2);
}
const result = prepareNativeModules(projectDir, runtimeTarget(projectDir, runtime));
for (const action of result.actions) console.log(action);
if (result.error) {
  console.error(result.error);
  process.exit(1);
}
