// keytar and better-sqlite3 are native: Electron and Node need builds for
// different ABIs. `npm start` builds them for Electron, `npm test` for Node;
// each checks first and rebuilds only when the current build does not load.
import { execSync } from 'node:child_process';

const target = process.argv[2];
const modules = ['better-sqlite3', 'keytar'];

function loadsUnderNode() {
  try {
    execSync(`node -e "require('better-sqlite3'); require('keytar')"`, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

if (target === 'node') {
  if (!loadsUnderNode()) {
    console.log('Rebuilding native modules for Node…');
    execSync(`npm rebuild ${modules.join(' ')}`, { stdio: 'inherit' });
  }
} else if (target === 'electron') {
  console.log('Building native modules for Electron…');
  execSync('npx electron-builder install-app-deps', { stdio: 'inherit' });
} else {
  console.error('usage: native-modules.mjs node|electron');
  process.exit(2);
}
