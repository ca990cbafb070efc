// Jest runs tests in a vm sandbox whose dynamic import() needs --experimental-vm-modules.
// webdriverio's CommonJS entry import()s its ESM build, and Appium loads drivers the same
// way, so both are loaded here through Node's own module loader, outside the sandbox,
// where import() works. Production code is unaffected: it runs on plain Node.
const Module = require('node:module');
const path = require('node:path');

const parent = new Module(path.join(__dirname, 'outside-sandbox.js'));
parent.filename = parent.id;
parent.paths = Module._nodeModulePaths(__dirname);

/** `require` through Node's loader rather than Jest's registry. */
function requireOutsideSandbox(id) {
  return Module._load(id, parent, false);
}

module.exports = { requireOutsideSandbox };
