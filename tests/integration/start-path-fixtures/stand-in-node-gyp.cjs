// Stand-in for node-gyp: a native build would need a compiler and, for
// Electron, a download. The start-path test expects none, so any call is
// recorded and fails.
require('fs').appendFileSync(
  process.env.STAND_IN_NODE_GYP_LOG,
  process.argv.slice(2).join(' ') + '\n',
);
process.exit(1);
