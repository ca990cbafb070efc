/**
 * The device layer orchestration uses (see contract.ts): validate and fan out
 * `script_config`, and run one script on one phone through Appium.
 *
 * Workflow code must import only `./contract` (this module loads webdriverio).
 */
import type { DeviceLayer, RunScriptInput } from './contract';
import { fanOut, parseScriptConfig } from './config/parse';
import { runScript, type RunOptions } from './runner';

export { fanOut, parseScriptConfig, describeConfigIssues, isScriptName, scriptConfigJsonSchemas } from './config/parse';
export { runScript, type RunOptions } from './runner';
export { buildCapabilities, portsForSerial, prefixCapabilities, TIKTOK_ACTIVITY } from './capabilities';
export { liveSessions } from './session/wdio';
export { DEFAULT_TIKTOK_PACKAGE } from './selectors/tiktok';
export * from './contract';

/** A DeviceLayer with fixed run options (tests: short waits; production: the defaults). */
export function createDeviceLayer(options: RunOptions = {}): DeviceLayer {
  return {
    parseScriptConfig,
    fanOut,
    runScript: (input: RunScriptInput) => runScript(input, options),
  };
}

export const deviceLayer: DeviceLayer = createDeviceLayer();
