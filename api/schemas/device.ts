import { z } from 'zod';
import type { IDevice, IDeviceAccount } from '../../db/entities';
import { formatWallClock } from '../../services/device-time';

const serial = z
  .string()
  .trim()
  .min(1)
  .max(191)
  .regex(/^[^\s/]+$/, 'must be an adb serial (no spaces or slashes), e.g. emulator-5554 or 192.168.1.20:5555');

export const saveDeviceBody = z.strictObject({
  serial,
  name: z.string().trim().max(128).optional(),
  capabilities: z.record(z.string(), z.unknown()).nullable().optional().describe('Appium capability overrides for this phone, e.g. {"appium:systemPort":8201}'),
  enabled: z.boolean().optional(),
});

export const serialBody = z.strictObject({ serial });

const pageQuery = {
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(100, 'must be between 1 and 100').default(20),
};
const enabledFilter = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();

export const listDevicesQuery = z.object({ ...pageQuery, enabled: enabledFilter });

export const deviceView = z.object({
  serial: z.string(),
  name: z.string(),
  capabilities: z.record(z.string(), z.unknown()).nullable(),
  enabled: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});

export function toDeviceView(d: IDevice, timeZone: string): z.infer<typeof deviceView> {
  return {
    serial: d.serial,
    name: d.name,
    capabilities: d.capabilities ?? null,
    enabled: d.enabled,
    created_at: formatWallClock(d.createdAt, timeZone)!,
    updated_at: formatWallClock(d.updatedAt, timeZone)!,
  };
}

/** TikTok handles are shown with "@"; the account is stored without it. */
const username = z
  .string()
  .trim()
  .transform((v) => v.replace(/^@/, ''))
  .pipe(z.string().min(1).max(191).regex(/^\S+$/, 'must not contain spaces'));

export const saveAccountBody = z.strictObject({
  username,
  device: serial.describe('Serial of the phone the account is logged in on'),
  package: z
    .string()
    .trim()
    .regex(/^[A-Za-z][\w]*(\.[A-Za-z][\w]*)+$/, 'must be an Android package name such as com.zhiliaoapp.musically')
    .optional(),
  enabled: z.boolean().optional(),
});

export const usernameBody = z.strictObject({ username });

export const listAccountsQuery = z.object({ ...pageQuery, device: z.string().max(191).optional(), enabled: enabledFilter });

export const accountView = z.object({
  username: z.string(),
  device: z.string(),
  package: z.string(),
  enabled: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});

export function toAccountView(a: IDeviceAccount, timeZone: string): z.infer<typeof accountView> {
  return {
    username: a.username,
    device: a.device,
    package: a.package,
    enabled: a.enabled,
    created_at: formatWallClock(a.createdAt, timeZone)!,
    updated_at: formatWallClock(a.updatedAt, timeZone)!,
  };
}

export const licenseView = z.object({
  plan_name: z.string(),
  api_enabled: z.boolean(),
  device_limit: z.number().int(),
  message: z.string(),
});
