import type { GenerationPlatform, PollSummary } from '../../workflows/generation/definitions';

export type PlatformPollers = Record<GenerationPlatform, () => Promise<PollSummary>>;

/** The activity behind every platform's `generationPoller`: one round of that platform's batched polling. */
export function createGenerationActivities(pollers: PlatformPollers) {
  return {
    async pollChannels(platform: GenerationPlatform): Promise<PollSummary> {
      return pollers[platform]();
    },
  };
}

export type GenerationActivities = ReturnType<typeof createGenerationActivities>;
