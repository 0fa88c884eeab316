// Preloaded into the Electronegativity scanner (node -r): it asks the network
// for updated translations with got 11 on every run. The gate must not depend
// on the network, and on Node 24 an offline run crashes inside got's retry
// timer ("The `onCancel` handler was attached after the promise settled").
// Answer every got request with an immediate failure instead: the scanner then
// uses the English texts it ships, as it does whenever the download fails.
'use strict';

const Module = require('module');
const path = require('path');

const scanner = path.join(__dirname, '../node_modules/@doyensec/electronegativity/dist/index.js');
const got = Module.createRequire(scanner).resolve('got');
const offline = () => Promise.reject(new Error('offline: the scanner is not allowed to download'));
require.cache[got] = { id: got, filename: got, loaded: true, exports: offline };
