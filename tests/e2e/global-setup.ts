import { execSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';

/** The test host serves the BUILT renderer: build it once if it is not there (npm test builds it first). */
export default function globalSetup(): void {
  if (!existsSync('out/renderer/index.html')) {
    execSync('npx electron-vite build', { stdio: 'inherit' });
  }
  mkdirSync('artifacts/screenshots', { recursive: true });
}
