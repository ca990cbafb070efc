import type { RouteSpec } from '../route';
import deleteAccount from './account/delete';
import listAccounts from './account/list';
import saveAccount from './account/save';
import deleteDevice from './device/delete';
import listDevices from './device/list';
import saveDevice from './device/save';
import batchDeleteDeviceTasks from './device-task/batch-delete';
import createDeviceTasks from './device-task/create';
import deleteDeviceTask from './device-task/delete';
import getDeviceTask from './device-task/get';
import listDeviceTasks from './device-task/list';
import retryDeviceTask from './device-task/retry';
import retryAllDeviceTasks from './device-task/retry-all';
import deviceTaskStats from './device-task/stats';
import deviceScripts from './device-task/scripts';
import stopDeviceTask from './device-task/stop';
import eventStream from './events/stream';
import allLogEntries from './log/all';
import selfLogEntries from './log/self';
import quotaStats from './stats/quota';
import taskStats from './stats/tasks';
import licenseCheck from './license/check';
import createChannel from './channel/create';
import deleteChannel from './channel/delete';
import getChannel from './channel/get';
import listChannels from './channel/list';
import updateChannel from './channel/update';
import allMjTasks from './mj-log/all';
import selfMjTasks from './mj-log/self';
import fetchMj from './mj/fetch';
import mjImage from './mj/image';
import mjImageSeed from './mj/image-seed';
import listMjByCondition from './mj/list-by-condition';
import { withModePrefix } from './mj/modes';
import submitMj from './mj/submit';
import swapFace from './mj/swap-face';
import fetchManySuno from './suno/fetch-many';
import fetchOneSuno from './suno/fetch-one';
import sunoAudio from './suno/audio';
import submitSuno from './suno/submit';
import healthz from './system/healthz';
import livez from './system/livez';
import metrics from './system/metrics';
import openapi from './system/openapi';
import readyz from './system/readyz';
import status from './system/status';
import allTasks from './task/all';
import selfTasks from './task/self';
import createToken from './token/create';
import deleteToken from './token/delete';
import getToken from './token/get';
import listTokens from './token/list';
import updateToken from './token/update';
import createUser from './user/create';
import getUser from './user/get';
import listUsers from './user/list';
import login from './user/login';
import rotateToken from './user/rotate-token';
import self from './user/self';
import updateUser from './user/update';

/**
 * The whole HTTP surface in one table. Order matters where paths overlap:
 * literal segments (`/api/user/self`) come before parameters (`/api/user/:id`).
 */
export const ROUTES: RouteSpec[] = [
  healthz,
  readyz,
  livez,
  metrics,
  openapi,
  status,
  eventStream,
  login,
  self,
  rotateToken,
  createUser,
  listUsers,
  updateUser,
  getUser,
  createToken,
  listTokens,
  updateToken,
  getToken,
  deleteToken,
  createChannel,
  listChannels,
  updateChannel,
  getChannel,
  deleteChannel,
  selfTasks,
  allTasks,
  selfLogEntries,
  allLogEntries,
  taskStats,
  quotaStats,
  submitSuno,
  fetchManySuno,
  fetchOneSuno,
  sunoAudio,
  selfMjTasks,
  allMjTasks,
  ...[submitMj, swapFace, fetchMj, mjImageSeed, listMjByCondition, mjImage].flatMap(withModePrefix),
  licenseCheck,
  deviceScripts,
  listDevices,
  saveDevice,
  deleteDevice,
  listAccounts,
  saveAccount,
  deleteAccount,
  createDeviceTasks,
  listDeviceTasks,
  deviceTaskStats,
  retryAllDeviceTasks,
  batchDeleteDeviceTasks,
  getDeviceTask,
  deleteDeviceTask,
  stopDeviceTask,
  retryDeviceTask,
];
