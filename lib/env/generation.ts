import { z } from 'zod';
import { DEFAULT_MODEL_PRICES } from '../pricing';
import { doc } from './doc';

/** `0.1 for suno_music, mj_imagine, …; 0.05 for …`: the built-in prices, as docs/configuration.md shows them. */
function priceList(prices: Record<string, number>): string {
  const byPrice = new Map<number, string[]>();
  for (const [model, usd] of Object.entries(prices)) byPrice.set(usd, [...(byPrice.get(usd) ?? []), `\`${model}\``]);
  return [...byPrice]
    .sort(([a], [b]) => b - a)
    .map(([usd, models]) => `${usd} for ${models.join(', ')}`)
    .join('; ');
}

/** Suno tasks, polling and pricing (shared by every generation platform). */
export const generationEnv = {
  TASK_POLL_INTERVAL: z.coerce
    .number()
    .int()
    .positive()
    .default(2)
    .meta(
      doc(
        'generation',
        'seconds between two rounds of batched upstream polling; each round costs one request per channel with tasks in flight (per 1,000 of them), so 2 s means 30 requests a minute per busy channel (docs/design-notes.md#polling-cadence)',
      ),
    ),
  TASK_FALLBACK_SECONDS: z.coerce
    .number()
    .positive()
    .default(60)
    .meta(
      doc(
        'generation',
        'a task the batched poller has not reported for this long (at least 2 poll rounds) asks its upstream by itself, backing off while nothing changes; while the poller is seen following a task, the task checks only every 20 times this (docs/design-notes.md#polling)',
      ),
    ),
  TASK_TIMEOUT_MINUTES: z.coerce
    .number()
    .positive()
    .default(1440)
    .meta(doc('generation', 'a generation task without a final answer from its upstream after this long fails and is refunded', { defaultText: '(one day)' })),
  UPSTREAM_TIMEOUT_SECONDS: z.coerce.number().positive().default(60).meta(doc('generation', 'time limit of a single request to a Suno or Midjourney upstream')),
  QUOTA_PER_UNIT: z.coerce.number().int().positive().default(500_000).meta(doc('generation', 'quota units that make one USD')),
  MODEL_PRICES: z
    .string()
    .transform((raw, ctx) => {
      try {
        return z.record(z.string(), z.number().min(0)).parse(JSON.parse(raw));
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object of model name to USD price, e.g. {"suno_music":0.1}' });
        return z.NEVER;
      }
    })
    .optional()
    .meta(
      doc('generation', 'USD per call by model, merged over the built-in prices, e.g. `{"suno_music":0.2}`', {
        accepts: 'JSON object',
        defaultText: `new-api's, in USD: ${priceList(DEFAULT_MODEL_PRICES)}`,
      }),
    ),
};
