/**
 * midjourney-proxy upstream simulator for integration tests, benchmarks and demos.
 * See README.md in this folder for the protocol subset and the fault-injection API.
 */
export { startMidjourneySimulator } from './simulator';
export { buildPng, PNG_SIGNATURE } from './png';
export { buttonsFor, messageHash, parseCustomId } from './buttons';
export { CODE as MJ_CODE } from './submit';
export { DEFAULT_SECRET, DEFAULT_STEP_MS, DEFAULT_IMAGE_BYTES } from './state';
export { PROGRESS_STEPS } from './tasks';
export type {
  ImageSettings,
  MidjourneySimulator,
  MidjourneySimulatorOptions,
  MjButton,
  RequestFault,
  RouteGroup,
  SimulatorStats,
  SubmitReply,
  TaskAction,
  TaskJson,
  TaskOutcome,
  TaskStatus,
  UploadReply,
} from './types';
