import { z } from 'zod';

const scope = z.enum(['self', 'all']).default('self').describe("`all` (admins only): every user's, not just the caller's");

export const taskStatsQuery = z.strictObject({
  hours: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 31)
    .default(24),
  scope,
});

export const quotaStatsQuery = z.strictObject({
  days: z.coerce.number().int().min(1).max(366).default(14),
  utc_offset: z.coerce
    .number()
    .int()
    .min(-840)
    .max(840)
    .default(0)
    .describe('minutes east of UTC at which days start (JavaScript: -new Date().getTimezoneOffset())'),
  scope,
});

export const hourlyCounts = z.array(
  z.object({ hour: z.number().int().describe('start of the hour, unix seconds'), status: z.string(), count: z.number().int() }),
);

export const dailySpend = z.array(
  z.object({
    day: z.number().int().describe('start of the day at utc_offset, unix seconds'),
    charged: z.number().int(),
    refunded: z.number().int(),
    spent: z.number().int(),
  }),
);
