import { z } from 'zod';

/** The body new-api forwards to Suno-API; unknown fields are dropped rather than sent upstream. */
export const sunoSubmitBody = z.object({
  prompt: z.string().max(10_000).optional(),
  gpt_description_prompt: z.string().max(3_000).optional(),
  mv: z.string().max(64).optional(),
  title: z.string().max(200).optional(),
  tags: z.string().max(1_000).optional(),
  continue_at: z.number().min(0).optional(),
  continue_clip_id: z.string().max(128).optional(),
  task_id: z.string().max(128).optional(),
  make_instrumental: z.boolean().optional(),
});

export const sunoActionParams = z.object({
  action: z
    .string()
    .transform((a) => a.toLowerCase())
    .pipe(z.enum(['music', 'lyrics'], { error: 'unknown action; use music or lyrics' })),
});

/** As new-api: any number of ids (the body limit bounds them), numbers read as text, none at all answers []. */
export const sunoFetchBody = z.object({
  ids: z
    .array(z.union([z.string().max(191), z.number().transform(String)]))
    .nullish()
    .transform((ids) => ids ?? []),
  /** Accepted and, as in new-api, not used to filter. */
  action: z.string().max(40).nullish(),
});

export const idempotencyKey = z.string().trim().min(1).max(191);
