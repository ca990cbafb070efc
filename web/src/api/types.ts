/**
 * Wire shapes, inferred from the server's own zod schemas (type-only imports: nothing of the
 * server is bundled), so the dashboard's types cannot drift from what the API returns.
 */
import type { z } from 'zod';
import type { statusView } from '../../../api/routes/system/status';
import type { channelView } from '../../../api/schemas/channel';
import type { accountView, deviceView } from '../../../api/schemas/device';
import type { deviceTaskStats, deviceTaskView } from '../../../api/schemas/device-task';
import type { logEntryView } from '../../../api/schemas/log';
import type { mjLogView, mjTaskView } from '../../../api/schemas/midjourney';
import type { dailySpend, hourlyCounts } from '../../../api/schemas/stats';
import type { taskView } from '../../../api/schemas/task';
import type { tokenView } from '../../../api/schemas/token';
import type { userView, userWithTokenView } from '../../../api/schemas/user';

export type Status = z.infer<typeof statusView>;
export type User = z.infer<typeof userView>;
export type UserWithToken = z.infer<typeof userWithTokenView>;
export type Token = z.infer<typeof tokenView>;
export type Channel = z.infer<typeof channelView>;
export type Task = z.infer<typeof taskView>;
export type MjLog = z.infer<typeof mjLogView>;
export type MjTask = z.infer<typeof mjTaskView>;
export type Device = z.infer<typeof deviceView>;
export type Account = z.infer<typeof accountView>;
export type DeviceTask = z.infer<typeof deviceTaskView>;
export type DeviceTaskStats = z.infer<typeof deviceTaskStats>;
export type LogEntry = z.infer<typeof logEntryView>;
export type HourlyCount = z.infer<typeof hourlyCounts>[number];
export type DailySpend = z.infer<typeof dailySpend>[number];

/** new-api's page: `{items, total, page, page_size}`. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
}

/** TikMatrix's task page. */
export interface DeviceTaskPage {
  tasks: DeviceTask[];
  total: number;
  page: number;
  page_size: number;
}

/** GET /api/v1/script: each script with its script_config JSON Schema. */
export interface ScriptInfo {
  name: string;
  config_schema: JsonSchema;
}

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  description?: string;
}

export const ROLE = { user: 1, admin: 10, root: 100 } as const;
export const isAdmin = (u: Pick<User, 'role'> | null | undefined) => (u?.role ?? 0) >= ROLE.admin;
