import { z } from 'zod';
import { changeToCustomId, messageHash, parseCustomId, type ButtonLayout } from './buttons';
import { findBannedWord } from './faults';
import type { SimState } from './state';
import type { NewTask, TaskRecord } from './tasks';
import type { SubmitReply, TaskAction, UploadReply } from './types';

/** Return codes of midjourney-proxy's ReturnCode class. */
export const CODE = {
  SUCCESS: 1,
  NOT_FOUND: 3,
  VALIDATION_ERROR: 4,
  FAILURE: 9,
  EXISTED: 21,
  IN_QUEUE: 22,
  QUEUE_REJECTED: 23,
  BANNED_PROMPT: 24,
} as const;

// The upstream's own (Chinese) descriptions, since relays log and sometimes surface them verbatim.
const DESCRIPTIONS: Record<number, string> = {
  [CODE.SUCCESS]: '提交成功',
  [CODE.NOT_FOUND]: '关联任务不存在或已失效',
  [CODE.VALIDATION_ERROR]: '参数错误',
  [CODE.FAILURE]: '系统异常',
  [CODE.EXISTED]: '任务已存在',
  [CODE.IN_QUEUE]: '排队中，前面还有1个任务',
  [CODE.QUEUE_REJECTED]: '队列已满，请稍后尝试',
  [CODE.BANNED_PROMPT]: '可能包含敏感词',
};

const INSTANCE = { discordInstanceId: 'mj-sim-instance-1', discordChannelId: 'mj-sim-channel-1' };

/** `swap-face` is served at /mj/insight-face/swap, the others at /mj/submit/<name>. */
export const SUBMIT_ROUTES = [
  'imagine',
  'change',
  'simple-change',
  'describe',
  'blend',
  'action',
  'modal',
  'shorten',
  'edits',
  'video',
  'upload-discord-images',
  'swap-face',
] as const;
export type SubmitRoute = (typeof SUBMIT_ROUTES)[number];

export function isSubmitRoute(name: string): name is SubmitRoute {
  return (SUBMIT_ROUTES as readonly string[]).includes(name);
}

function reply(code: number, result: string | null = null, properties: Record<string, unknown> = {}, description?: string): SubmitReply {
  return { code, description: description ?? DESCRIPTIONS[code] ?? DESCRIPTIONS[CODE.FAILURE]!, result, properties };
}

// new-api marshals Go structs without omitempty, so absent fields arrive as "" / 0 / null: accept all of them.
const optionalText = z.string().nullish();
const base64Image = z.string().regex(/^(data:[a-z]+\/[a-z0-9.+-]+;base64,)?[A-Za-z0-9+/=\r\n]+$/, 'base64格式错误');
const nonBlank = (name: string) => z.string({ error: `${name}不能为空` }).refine((s) => s.trim() !== '', `${name}不能为空`);
const botType = z
  .string()
  .nullish()
  .refine((v) => !v || v === 'MID_JOURNEY' || v === 'NIJI_JOURNEY', 'botType must be MID_JOURNEY or NIJI_JOURNEY');

const schemas = {
  imagine: z.object({
    prompt: nonBlank('prompt'),
    base64Array: z.array(base64Image).max(5).nullish(),
    notifyHook: optionalText,
    state: optionalText,
    botType,
  }),
  change: z
    .object({
      taskId: nonBlank('taskId'),
      action: z.enum(['UPSCALE', 'VARIATION', 'REROLL'], { error: 'action must be UPSCALE, VARIATION or REROLL' }),
      index: z.number().int().nullish(),
      notifyHook: optionalText,
      state: optionalText,
    })
    .refine((b) => b.action === 'REROLL' || (b.index != null && b.index >= 1 && b.index <= 4), {
      message: 'index参数错误 (1..4)',
      path: ['index'],
    }),
  'simple-change': z.object({
    content: z.string().regex(/^\s*\S+\s+([UV][1-4]|R)\s*$/i, 'content参数错误, expected "<taskId> U1..U4|V1..V4|R"'),
    notifyHook: optionalText,
    state: optionalText,
  }),
  describe: z.object({ base64: base64Image, notifyHook: optionalText, state: optionalText, botType }),
  blend: z.object({
    base64Array: z.array(base64Image).min(2, 'base64Array needs 2..5 images').max(5, 'base64Array needs 2..5 images'),
    dimensions: z.enum(['PORTRAIT', 'SQUARE', 'LANDSCAPE']).nullish(),
    notifyHook: optionalText,
    state: optionalText,
    botType,
  }),
  action: z.object({
    customId: nonBlank('customId'),
    taskId: nonBlank('taskId'),
    notifyHook: optionalText,
    state: optionalText,
  }),
  modal: z.object({ taskId: nonBlank('taskId'), prompt: optionalText, maskBase64: base64Image.or(z.literal('')).nullish() }),
  shorten: z.object({ prompt: nonBlank('prompt'), notifyHook: optionalText, state: optionalText, botType }),
  // The plus forks' image edit: a source image (base64 or URL), a prompt, an optional mask.
  edits: z.object({
    prompt: nonBlank('prompt'),
    image: nonBlank('image'),
    maskBase64: base64Image.or(z.literal('')).nullish(),
    notifyHook: optionalText,
    state: optionalText,
  }),
  // Image to video: from a finished task's image (taskId + index) or from an image of the client's.
  video: z
    .object({
      taskId: optionalText,
      index: z.number().int().min(0).max(4).nullish(),
      image: optionalText,
      prompt: optionalText,
      motion: z.enum(['low', 'high']).nullish(),
      loop: z.boolean().nullish(),
      notifyHook: optionalText,
      state: optionalText,
    })
    .refine((b) => !!b.taskId || !!b.image, { message: 'taskId或image不能为空', path: ['image'] }),
  'upload-discord-images': z.object({ base64Array: z.array(base64Image).min(1, 'base64Array不能为空').max(10) }),
  'swap-face': z.object({ sourceBase64: base64Image, targetBase64: base64Image, notifyHook: optionalText, state: optionalText }),
} satisfies Record<SubmitRoute, z.ZodType>;

/** The upstream-specific outcome of validation: either an immediate answer or a task to create. */
type Plan =
  | { kind: 'reply'; reply: SubmitReply }
  | { kind: 'create'; task: Omit<NewTask, 'outcome' | 'queued' | 'alreadyDone'>; outcomePrompt: string | null; modal?: boolean }
  | { kind: 'resume'; rec: TaskRecord; prompt?: string };

/**
 * Handles one /mj/submit/<route> body. Order matters and mirrors the real proxy:
 * schema (4) → referenced task / banned words (3, 4, 24, natural 21) → scripted
 * submit-code override → task creation (1, 21, 22).
 */
export function handleSubmit(state: SimState, route: SubmitRoute, body: unknown): SubmitReply | UploadReply {
  const parsed = schemas[route].safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length ? `${issue.path.join('.')}: ` : '';
    return reply(CODE.VALIDATION_ERROR, null, {}, `${DESCRIPTIONS[CODE.VALIDATION_ERROR]}: ${where}${issue?.message ?? 'invalid'}`);
  }
  if (route === 'upload-discord-images') return uploadReply(state, parsed.data as Body<'upload-discord-images'>);
  const plan = planFor(state, route, parsed.data as never);
  if (plan.kind === 'reply') return plan.reply;

  const override = state.submitCodes.take();
  if (override && override.code !== CODE.SUCCESS && override.code !== CODE.EXISTED && override.code !== CODE.IN_QUEUE) {
    return reply(override.code, null, {}, override.description);
  }

  if (plan.kind === 'resume') {
    state.store.startFromModal(plan.rec, plan.prompt);
    return reply(CODE.SUCCESS, plan.rec.id, { ...INSTANCE }, override?.description);
  }

  const queued = override?.code === CODE.IN_QUEUE;
  const alreadyDone = override?.code === CODE.EXISTED && !plan.modal;
  const rec = state.store.add({
    ...plan.task,
    outcome: state.pickOutcome(plan.outcomePrompt),
    queued,
    alreadyDone,
  });
  const view = state.store.view(rec);
  if (plan.modal) {
    // The plus forks answer 21 + status MODAL: the client must now call /submit/modal.
    return reply(CODE.EXISTED, rec.id, { status: 'MODAL', finalPrompt: view.prompt, ...INSTANCE }, override?.description ?? '等待窗口确认');
  }
  if (alreadyDone) return reply(CODE.EXISTED, rec.id, { status: view.status, imageUrl: view.imageUrl }, override?.description);
  if (queued) return reply(CODE.IN_QUEUE, rec.id, { numberOfQueues: 1, ...INSTANCE }, override?.description);
  return reply(CODE.SUCCESS, rec.id, { ...INSTANCE }, override?.description);
}

type Body<R extends SubmitRoute> = z.infer<(typeof schemas)[R]>;

function planFor<R extends SubmitRoute>(state: SimState, route: R, body: Body<R>): Plan {
  switch (route) {
    case 'imagine':
      return planImagine(state, body as Body<'imagine'>);
    case 'change': {
      const b = body as Body<'change'>;
      return planChild(state, b.taskId, b.state, (hash) => changeToCustomId(b.action, b.index ?? 0, hash));
    }
    case 'simple-change': {
      const b = body as Body<'simple-change'>;
      const [taskId, op] = b.content.trim().split(/\s+/) as [string, string];
      const kind = op[0]!.toUpperCase();
      const action = kind === 'U' ? 'UPSCALE' : kind === 'V' ? 'VARIATION' : 'REROLL';
      return planChild(state, taskId, b.state, (hash) => changeToCustomId(action, Number(op.slice(1)) || 0, hash));
    }
    case 'action': {
      const b = body as Body<'action'>;
      if (!parseCustomId(b.customId))
        return { kind: 'reply', reply: reply(CODE.VALIDATION_ERROR, null, {}, `${DESCRIPTIONS[CODE.VALIDATION_ERROR]}: customId格式错误`) };
      return planChild(state, b.taskId, b.state, () => b.customId);
    }
    case 'describe': {
      const b = body as Body<'describe'>;
      return {
        kind: 'create',
        outcomePrompt: null,
        task: { action: 'DESCRIBE', layout: 'none', prompt: null, description: '/describe', state: b.state, botType: b.botType ?? undefined },
      };
    }
    case 'blend': {
      const b = body as Body<'blend'>;
      const dims = b.dimensions ?? 'SQUARE';
      return {
        kind: 'create',
        outcomePrompt: null,
        task: {
          action: 'BLEND',
          layout: 'grid',
          prompt: `blend of ${b.base64Array.length} images --ar ${dims === 'PORTRAIT' ? '2:3' : dims === 'LANDSCAPE' ? '3:2' : '1:1'}`,
          description: `/blend ${b.base64Array.length} images`,
          state: b.state,
          botType: b.botType ?? undefined,
        },
      };
    }
    case 'shorten': {
      const b = body as Body<'shorten'>;
      const banned = bannedReply(state, b.prompt);
      if (banned) return banned;
      return {
        kind: 'create',
        outcomePrompt: b.prompt,
        task: { action: 'SHORTEN', layout: 'none', hasImage: false, prompt: b.prompt, description: `/shorten ${b.prompt}`, state: b.state },
      };
    }
    case 'modal':
      return planModal(state, body as Body<'modal'>);
    case 'edits': {
      const b = body as Body<'edits'>;
      const banned = bannedReply(state, b.prompt);
      if (banned) return banned;
      return {
        kind: 'create',
        outcomePrompt: b.prompt,
        task: { action: 'EDITS', layout: 'grid', prompt: b.prompt, description: `/edits ${b.prompt}`, state: b.state },
      };
    }
    case 'video':
      return planVideo(state, body as Body<'video'>);
    case 'swap-face': {
      const b = body as Body<'swap-face'>;
      return {
        kind: 'create',
        outcomePrompt: null,
        task: { action: 'SWAP_FACE', layout: 'none', prompt: 'InsightFace', description: '/swap-face', state: b.state },
      };
    }
    default:
      throw new Error(`unhandled submit route ${String(route)}`);
  }
}

function bannedReply(state: SimState, prompt: string): Plan | undefined {
  const word = findBannedWord(prompt, state.bannedWords);
  return word === undefined ? undefined : { kind: 'reply', reply: reply(CODE.BANNED_PROMPT, null, { promptEn: prompt, bannedWord: word }) };
}

function planImagine(state: SimState, b: Body<'imagine'>): Plan {
  const banned = bannedReply(state, b.prompt);
  if (banned) return banned;
  return {
    kind: 'create',
    outcomePrompt: b.prompt,
    task: { action: 'IMAGINE', layout: 'grid', prompt: b.prompt, description: `/imagine ${b.prompt}`, state: b.state, botType: b.botType ?? undefined },
  };
}

const CHILD_DESCRIPTION: Partial<Record<TaskAction, string>> = { UPSCALE: 'U', VARIATION: 'V', REROLL: 'R' };

/** change, simple-change and action all press a button on an earlier task's message. */
function planChild(state: SimState, parentId: string, taskState: string | null | undefined, customIdFor: (hash: string) => string): Plan {
  const parent = state.store.visible(parentId);
  if (!parent) return { kind: 'reply', reply: reply(CODE.NOT_FOUND) };
  const parentView = state.store.view(parent);
  if (parentView.status !== 'SUCCESS') {
    return { kind: 'reply', reply: reply(CODE.VALIDATION_ERROR, null, {}, '关联任务状态错误') };
  }
  const customId = customIdFor(messageHash(parent.id));
  const parsed = parseCustomId(customId);
  if (!parsed || !parentView.buttons.some((btn) => btn.customId === customId)) {
    return { kind: 'reply', reply: reply(CODE.VALIDATION_ERROR, null, {}, `${DESCRIPTIONS[CODE.VALIDATION_ERROR]}: 该任务没有按钮 ${customId}`) };
  }
  if (parsed.action === 'UPSCALE') {
    const existing = state.store.child(parent.id, customId);
    if (existing && state.store.visible(existing.id)) {
      const v = state.store.view(existing);
      return { kind: 'reply', reply: reply(CODE.EXISTED, existing.id, { status: v.status, imageUrl: v.imageUrl }) };
    }
  }
  const short = CHILD_DESCRIPTION[parsed.action];
  const description = short ? `/up ${parent.id} ${short}${parsed.action === 'REROLL' ? '' : parsed.index}` : `/action ${parent.id} ${customId}`;
  const layout: ButtonLayout = parsed.produces;
  return {
    kind: 'create',
    // Children are not steered by their parent's prompt marker; use queueOutcome/setDefaultOutcome for them.
    outcomePrompt: null,
    modal: parsed.modal,
    task: {
      action: parsed.action,
      layout,
      prompt: parent.prompt,
      description,
      state: taskState,
      botType: parent.botType,
      parentId: parent.id,
      customId,
      waitingModal: parsed.modal,
    },
  };
}

/** The upload answers at once with one CDN URL per image; no task is created. */
function uploadReply(state: SimState, b: Body<'upload-discord-images'>): UploadReply {
  const override = state.submitCodes.take();
  if (override && override.code !== CODE.SUCCESS) return reply(override.code, null, {}, override.description) as UploadReply;
  const stamp = state.options.now();
  const urls = b.base64Array.map((_, i) => `https://cdn.discordapp.com/attachments/mj-sim/${stamp}${i}/upload-${i + 1}.png`);
  return { code: CODE.SUCCESS, description: DESCRIPTIONS[CODE.SUCCESS]!, result: urls, properties: {} };
}

function planVideo(state: SimState, b: Body<'video'>): Plan {
  if (b.prompt) {
    const banned = bannedReply(state, b.prompt);
    if (banned) return banned;
  }
  const task = { action: 'VIDEO' as const, layout: 'none' as const, description: '/video', state: b.state };
  if (!b.taskId) return { kind: 'create', outcomePrompt: b.prompt ?? null, task: { ...task, prompt: b.prompt ?? '' } };
  const parent = state.store.visible(b.taskId);
  if (!parent) return { kind: 'reply', reply: reply(CODE.NOT_FOUND) };
  if (state.store.view(parent).status !== 'SUCCESS') return { kind: 'reply', reply: reply(CODE.VALIDATION_ERROR, null, {}, '关联任务状态错误') };
  return { kind: 'create', outcomePrompt: null, task: { ...task, prompt: b.prompt || parent.prompt, parentId: parent.id } };
}

function planModal(state: SimState, b: Body<'modal'>): Plan {
  const rec = state.store.visible(b.taskId);
  if (!rec) return { kind: 'reply', reply: reply(CODE.NOT_FOUND) };
  if (!rec.waitingModal) return { kind: 'reply', reply: reply(CODE.VALIDATION_ERROR, null, {}, '任务状态不是MODAL') };
  if (rec.action === 'INPAINT' && !b.maskBase64) {
    return { kind: 'reply', reply: reply(CODE.VALIDATION_ERROR, null, {}, `${DESCRIPTIONS[CODE.VALIDATION_ERROR]}: maskBase64不能为空`) };
  }
  if (b.prompt) {
    const banned = bannedReply(state, b.prompt);
    if (banned) return banned;
  }
  return { kind: 'resume', rec, prompt: b.prompt ?? undefined };
}
