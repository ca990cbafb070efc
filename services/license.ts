import type { Config } from '../lib/config';
import { LicenseError } from '../lib/errors';

export type PlanName = Config['licensePlan'];

/**
 * What each TikMatrix plan allows. TikMatrix publishes only Pro's 20 devices (its
 * /license/check example); the other limits are ours, and DEVICE_LIMIT overrides any.
 */
export const PLANS: Record<PlanName, { apiEnabled: boolean; deviceLimit: number }> = {
  Starter: { apiEnabled: false, deviceLimit: 5 },
  Pro: { apiEnabled: true, deviceLimit: 20 },
  Team: { apiEnabled: true, deviceLimit: 50 },
  Business: { apiEnabled: true, deviceLimit: 200 },
};

export interface License {
  planName: PlanName;
  apiEnabled: boolean;
  deviceLimit: number;
}

export function licenseOf(config: Pick<Config, 'licensePlan' | 'devices'>): License {
  const plan = PLANS[config.licensePlan];
  return { planName: config.licensePlan, apiEnabled: plan.apiEnabled, deviceLimit: config.devices.deviceLimit ?? plan.deviceLimit };
}

/** TikMatrix answers every task-API call on Starter with 40301. */
export function requireApiPlan(config: Pick<Config, 'licensePlan' | 'devices'>): License {
  const license = licenseOf(config);
  if (!license.apiEnabled)
    throw new LicenseError(`API access requires the Pro, Team or Business plan; this server runs the ${license.planName} plan (LICENSE_PLAN)`);
  return license;
}
