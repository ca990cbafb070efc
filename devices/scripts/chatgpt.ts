import { z } from 'zod';
import { int, num, text } from '../config/fields';

export const DEFAULT_CHATGPT_PROMPT = 'Write one short, friendly, relevant comment for this TikTok video. Reply with the comment only.';

/** `chatgpt_settings` as TikMatrix documents it; any OpenAI-compatible endpoint works through base_url. */
export const chatgptSettingsSchema = z
  .object({
    api_key: text(500).default(''),
    model: text(200).default('gpt-3.5-turbo'),
    prompt: text(4000).default(DEFAULT_CHATGPT_PROMPT),
    max_tokens: int(1, 4096).default(100),
    temperature: num(0, 2).default(0.7),
    base_url: z
      .string()
      .default('https://api.openai.com/v1')
      .refine((v) => /^https?:\/\/\S+$/.test(v), 'must be an http(s) URL'),
  })
  .prefault({});

export type ChatgptSettings = z.infer<typeof chatgptSettingsSchema>;

/** One chat completion; throws with the upstream's message on any failure. */
export async function generateComment(settings: ChatgptSettings, videoCaption: string | undefined, signal: AbortSignal): Promise<string> {
  const url = `${settings.base_url.replace(/\/+$/, '')}/chat/completions`;
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${settings.api_key}` },
    body: JSON.stringify({
      model: settings.model,
      max_tokens: settings.max_tokens,
      temperature: settings.temperature,
      messages: [
        { role: 'system', content: settings.prompt },
        { role: 'user', content: videoCaption ? `Video caption: ${videoCaption}` : 'The video has no caption.' },
      ],
    }),
    signal: AbortSignal.any([signal, AbortSignal.timeout(30_000)]),
  });
  const body = (await res.json().catch(() => undefined)) as { choices?: { message?: { content?: unknown } }[]; error?: { message?: string } } | undefined;
  if (!res.ok) throw new Error(`HTTP ${res.status}${body?.error?.message ? `: ${body.error.message}` : ''}`);
  const content = body?.choices?.[0]?.message?.content;
  if (typeof content !== 'string' || content.trim() === '') throw new Error('empty completion');
  // models like to wrap the comment in quotes
  return content
    .trim()
    .replace(/^["'“]+|["'”]+$/g, '')
    .trim();
}
