// The first thing `npm start`, `npm run dev`, `npm run package` and `npm test`
// run: is this Node new enough? It must work on the old Node it is meant to
// catch, so it is CommonJS in plain ES2015 syntax with Node built-ins only.
// `--warn` (used by postinstall) prints the same line but does not fail.
'use strict';

var fs = require('fs');
var path = require('path');

var PROJECT = path.join(__dirname, '..');

/** "22.12.0" or "v22.12" -> [22, 12, 0]; anything else is refused by name. */
function parseVersion(text) {
  var match = /^v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(String(text).trim());
  if (!match) throw new Error('"' + text + '" is not a Node version like 22.12.0');
  return [Number(match[1]), Number(match[2]), Number(match[3] || 0)];
}

function isOlder(a, b) {
  for (var i = 0; i < 3; i++) {
    if (a[i] !== b[i]) return a[i] < b[i];
  }
  return false;
}

/** The one line to print when `version` does not meet `range` (">=X.Y.Z"), else null. */
function nodeVersionProblem(version, range, recommended) {
  var match = /^>=\s*(\S+)$/.exec(String(range).trim());
  if (!match) throw new Error('engines.node must read ">=X.Y.Z"; it reads "' + range + '"');
  var minimum = parseVersion(match[1]);
  if (!isOlder(parseVersion(version), minimum)) return null;
  var shortMinimum = minimum[0] + '.' + minimum[1];
  return (
    'AssetPay Bulk Seller needs Node >= ' +
    shortMinimum +
    ' (Electron 45 and its tools require it); this is Node ' +
    String(version).replace(/^v/, '') +
    '. Install Node ' +
    recommended +
    ' with nvm (`nvm install` reads .nvmrc) or from nodejs.org, then run the command again.'
  );
}

function readRequirement() {
  var pkg = JSON.parse(fs.readFileSync(path.join(PROJECT, 'package.json'), 'utf8'));
  var recommended = fs.readFileSync(path.join(PROJECT, '.nvmrc'), 'utf8').trim();
  return { range: pkg.engines && pkg.engines.node, recommended: recommended };
}

module.exports = { nodeVersionProblem: nodeVersionProblem, readRequirement: readRequirement };

if (require.main === module) {
  var requirement = readRequirement();
  var problem = nodeVersionProblem(process.version, requirement.range, requirement.recommended);
  if (problem) {
    console.error(problem);
    if (process.argv.indexOf('--warn') === -1) process.exit(1);
  }
}
