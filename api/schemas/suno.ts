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

export const sunoFetchBody = z.object({
  ids: z.array(z.string().min(1).max(64)).min(1).max(100),
  action: z.string().max(40).optional(),
});

export const idempotencyKey = z.string().trim().min(1).max(191);
