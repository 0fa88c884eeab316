'use strict';
/*
 * electron-builder afterPack hook: flips the Electron fuses of the packaged
 * binary before it is signed (design §7; Electron security checklist #19
 * "Check which fuses you can change"). Fuses are bits compiled into the
 * Electron executable, so they hold even if someone edits the app's files.
 */
const path = require('node:path');

/** The fuses a release build must have, by @electron/fuses' FuseV1Options name. */
const REQUIRED_FUSES = Object.freeze({
  // ELECTRON_RUN_AS_NODE would turn the signed app into a general-purpose Node.
  RunAsNode: false,
  // NODE_OPTIONS (e.g. --require) would inject code into main.
  EnableNodeOptionsEnvironmentVariable: false,
  // --inspect / --inspect-brk would attach a debugger to main.
  EnableNodeCliInspectArguments: false,
  // Only the packaged app.asar may be loaded, not a replaced app/ folder.
  OnlyLoadAppFromAsar: true,
  // The asar is checked against the hash electron-builder embeds (macOS and Windows).
  EnableEmbeddedAsarIntegrityValidation: true,
  // Cookies on disk are encrypted with an OS-keychain key.
  EnableCookieEncryption: true,
  // GrantFileProtocolExtraPrivileges stays as Electron ships it: the renderer is
  // loaded from file:// as ES modules, which needs those privileges. Turning it
  // off requires serving the renderer from a custom protocol first (checklist #18).
});

/** electron-builder's Arch enum (builder-util): ia32 0, x64 1, armv7l 2, arm64 3, universal 4. */
const ARCH_NAMES = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];

/**
 * The @electron/fuses config for `flipFuses`, built from the package's own
 * enums so a renamed fuse fails loudly instead of being skipped.
 */
function fuseConfig({ FuseVersion, FuseV1Options }, { resetAdHocDarwinSignature = false } = {}) {
  const config = {
    version: FuseVersion.V1,
    resetAdHocDarwinSignature,
    strictlyRequireAllFuses: false,
  };
  for (const [name, value] of Object.entries(REQUIRED_FUSES)) {
    const index = FuseV1Options[name];
    if (typeof index !== 'number') throw new Error(`@electron/fuses has no fuse called ${name}`);
    config[index] = value;
  }
  return config;
}

/** Path `flipFuses` expects: the .app bundle on macOS, the .exe on Windows, the binary on Linux. */
function electronBinaryPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const productFilename = packager.appInfo.productFilename;
  switch (electronPlatformName) {
    case 'darwin':
    case 'mas':
      return path.join(appOutDir, `${productFilename}.app`);
    case 'win32':
      return path.join(appOutDir, `${productFilename}.exe`);
    case 'linux':
      return path.join(appOutDir, packager.executableName);
    default:
      throw new Error(`after-pack: unsupported platform ${electronPlatformName}`);
  }
}

/**
 * The hook. `deps` lets a test pass a stand-in for @electron/fuses
 * (electron-builder calls it with the context only).
 */
async function afterPack(context, deps) {
  const fuses = deps ?? (await import('@electron/fuses'));
  const arch = ARCH_NAMES[context.arch] ?? String(context.arch);
  const isMac = context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas';
  // Flipping a fuse breaks the ad-hoc signature Apple silicon requires; re-sign ad hoc
  // (the real signature, if any, is applied by electron-builder afterwards).
  const config = fuseConfig(fuses, {
    resetAdHocDarwinSignature: isMac && (arch === 'arm64' || arch === 'universal'),
  });
  const binary = electronBinaryPath(context);
  await fuses.flipFuses(binary, config);
  console.log(`  • after-pack: fuses flipped  binary=${binary} arch=${arch}`);
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.afterPack = afterPack;
module.exports.fuseConfig = fuseConfig;
module.exports.electronBinaryPath = electronBinaryPath;
module.exports.REQUIRED_FUSES = REQUIRED_FUSES;
