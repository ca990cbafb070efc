// Mapped to `webdriverio` in jest.config.js; see outside-sandbox.js for why.
module.exports = require('./outside-sandbox').requireOutsideSandbox('webdriverio');
