// The worker bundles this file: export workflows one by one (no `export *`),
// and import nothing here that is not deterministic.
export { ledgerAudit } from './ledger-audit';
export { sunoTask } from './suno/suno-task';
export { mjTask } from './midjourney/mj-task';
export { mjNotify } from './midjourney/notify';
export { generationPoller } from './generation/poller';
export { deviceTask } from './device/device-task';
export { phoneLock } from './device/phone-lock';
export { deviceTaskSweeper } from './device/device-sweeper';
