import type mysql from 'mysql2/promise';
import { BACKFILL_BLOCKS_SQL, BACKFILL_COUNTS_SQL } from '../../db/queries/backfill-counts';

/**
 * Bulk loads for bench/listing.ts: a million rows per listing in one INSERT ... SELECT each,
 * from MariaDB's Sequence engine, shaped like the rows the services write. The counter cells
 * are then filled the way the migration fills them for existing rows.
 */

/**
 * `rows` Suno tasks of one user: 85% SUCCESS, 10% FAILURE, 5% IN_PROGRESS; a fifth are LYRICS;
 * two clips of result data (~600 bytes) per task; one every 30 s of submit time, on 2 channels.
 */
export async function loadTasks(pool: mysql.Pool, userId: number, rows: number, timeoutMs: number): Promise<void> {
  const clip = (n: 0 | 1) =>
    `json_object('id', concat(g.up, '-${n}'), 'status', lower(g.status), 'title', concat('Night drive #', g.n), ` +
    `'audio_url', concat('https://cdn1.suno.ai/', g.up, '-${n}.mp3'), 'image_url', concat('https://cdn2.suno.ai/image_', g.up, '-${n}.jpeg'), ` +
    `'duration', 90 + g.n % 120, 'model_name', 'chirp-v4', 'tags', 'synthwave, upbeat, female vocals')`;
  await pool.query({
    sql: `insert into tasks (task_id, platform, user_id, token_id, channel_id, quota, action, status, fail_reason,
            submit_time, start_time, finish_time, progress, properties, data, upstream_task_id, seq, created_at, updated_at)
          select concat('task_', lpad(g.n, 32, '0')), 'suno', ?, 1, 1 + g.n % 2, if(g.status = 'FAILURE', 0, 50000),
            if(g.n % 5 = 0, 'LYRICS', 'MUSIC'), g.status, if(g.status = 'FAILURE', 'upstream: content policy violation', ''),
            g.submit, g.submit + 2, if(g.status = 'IN_PROGRESS', 0, g.submit + 95), if(g.status = 'IN_PROGRESS', '60%', '100%'),
            json_object('prompt', concat('a synthwave song about a night drive, take ', g.n), 'mv', 'chirp-v4', 'tags', 'synthwave, upbeat'),
            json_array(${clip(0)}, ${clip(1)}),
            g.up, 3, g.submit, g.submit + 95
          from (select s.seq as n, ${TASK_BASE_S} + s.seq * 30 as submit,
                  lower(concat(lpad(hex(s.seq), 8, '0'), '-b3c4-4d5e-8f60-', lpad(hex(s.seq * 7919 % 16777216), 12, '0'))) as up,
                  case when s.seq % 20 = 0 then 'IN_PROGRESS' when s.seq % 20 < 3 then 'FAILURE' else 'SUCCESS' end as status
                from seq_1_to_${rows} s) g`,
    values: [userId],
    timeout: timeoutMs,
  });
}

/** Task n was submitted at TASK_BASE_S + 30 n (seconds); its task_id is `task_` + n padded to 32. */
export const TASK_BASE_S = 1_700_000_000;
export const taskIdOf = (n: number) => `task_${String(n).padStart(32, '0')}`;

/** Midjourney row n was submitted at MJ_BASE_MS + n * 30 s + jitter; mj_id is that clock plus six digits (19 digits). */
export const MJ_BASE_MS = 1_700_000_000_000;
const MJ_STEP_MS = 30_000;
export const mjSubmitTimeOf = (n: number) => MJ_BASE_MS + n * MJ_STEP_MS + ((n * 7919) % 10_000);
export const mjIdOf = (n: number) => `${mjSubmitTimeOf(n)}${String((n * 7919) % 1_000_000).padStart(6, '0')}`;

/** midjourney-proxy's button sets (as the simulator and the real proxy report them), for a grid and an upscaled image. */
function buttonsSql(layout: 'grid' | 'single'): string {
  const b = (customId: string, label: string, emoji = '') =>
    `json_object('customId', concat('${customId.replace('#', "', g.hash, '")}'), 'emoji', '${emoji}', 'label', '${label}', 'type', 2, 'style', 2)`;
  const list =
    layout === 'grid'
      ? [
          ...[1, 2, 3, 4].map((i) => b(`MJ::JOB::upsample::${i}::#`, `U${i}`)),
          b('MJ::JOB::reroll::0::#::SOLO', '', '🔄'),
          ...[1, 2, 3, 4].map((i) => b(`MJ::JOB::variation::${i}::#`, `V${i}`)),
        ]
      : [
          b('MJ::JOB::upsample_v6_2x_subtle::1::#::SOLO', 'Upscale (Subtle)'),
          b('MJ::JOB::upsample_v6_2x_creative::1::#::SOLO', 'Upscale (Creative)'),
          b('MJ::JOB::low_variation::1::#::SOLO', 'Vary (Subtle)', '🪄'),
          b('MJ::JOB::high_variation::1::#::SOLO', 'Vary (Strong)', '🪄'),
          b('MJ::Inpaint::1::#::SOLO', 'Vary (Region)', '🖌️'),
          b('MJ::Outpaint::50::1::#::SOLO', 'Zoom Out 2x', '🔍'),
          b('MJ::Outpaint::75::1::#::SOLO', 'Zoom Out 1.5x', '🔍'),
          b('MJ::CustomZoom::#', 'Custom Zoom', '🔍'),
          b('MJ::JOB::pan_left::1::#::SOLO', '', '⬅️'),
          b('MJ::JOB::pan_right::1::#::SOLO', '', '➡️'),
          b('MJ::JOB::pan_up::1::#::SOLO', '', '⬆️'),
          b('MJ::JOB::pan_down::1::#::SOLO', '', '⬇️'),
        ];
  return `json_array(${list.join(', ')})`;
}

export async function loadMjTasks(pool: mysql.Pool, userId: number, rows: number, timeoutMs: number): Promise<void> {
  const mjId = (n: string) => `concat(${MJ_BASE_MS} + ${n} * ${MJ_STEP_MS} + (${n} * 7919) % 10000, lpad((${n} * 7919) % 1000000, 6, '0'))`;
  const upstreamId = (n: string) => `concat(${MJ_BASE_MS} + ${n} * ${MJ_STEP_MS} + (${n} * 7919) % 10000 + 1500, lpad((${n} * 104729) % 1000000, 6, '0'))`;
  const done = "g.status <> 'IN_PROGRESS'";
  const ok = "g.status = 'SUCCESS'";
  await pool.query({
    sql: `insert into midjourneys (mj_id, upstream_task_id, code, user_id, token_id, channel_id, action, parent_mj_id, prompt, prompt_en,
            description, state, submit_time, start_time, finish_time, image_url, video_url, video_urls, status, progress, fail_reason,
            quota, buttons, properties, request, idempotency_key, polled_at, seq, created_at, updated_at)
          select g.mj_id, g.up_id, if(g.n % 7 = 0, 22, 1), ?, 1 + g.n % 3, 1 + g.n % 2, g.action,
            if(g.action in ('UPSCALE', 'VARIATION'), g.parent_mj_id, null), g.prompt, g.prompt,
            case g.action when 'IMAGINE' then concat('/imagine ', g.prompt) when 'DESCRIBE' then '/describe image.png'
              else concat('/', lower(g.action), ' ', g.parent_up_id, ' ', 1 + g.n % 4) end,
            '', g.submit, g.submit + 1800, if(${done}, g.submit + 41000 + g.n % 20000, 0),
            if(${ok}, concat('https://cdn.discordapp.com/attachments/1181540964547088475/', 1200000000000000000 + g.n, '/bench_', g.hash, '.png'), ''),
            '', null, g.status, case g.status when 'SUCCESS' then '100%' when 'FAILURE' then '35%' else '67%' end,
            if(g.status = 'FAILURE', if(g.n % 2 = 0, 'Banned prompt detected', '[Invalid parameter] Invalid value'), ''),
            if(g.status = 'FAILURE', 0, case g.action when 'IMAGINE' then 50000 when 'UPSCALE' then 25000 else 50000 end),
            if(${ok} and g.action <> 'DESCRIBE', if(g.action = 'UPSCALE', ${buttonsSql('single')}, ${buttonsSql('grid')}), null),
            if(${done}, json_object('finalPrompt', g.prompt, 'finalZhPrompt', '', 'messageHash', g.hash, 'botType', 'MID_JOURNEY',
              'discordInstanceId', '1181540964547088475', 'notifyHook', null), null),
            case g.action
              when 'IMAGINE' then json_object('route', 'imagine', 'body', json_object('botType', 'MID_JOURNEY', 'prompt', g.prompt))
              when 'UPSCALE' then json_object('route', 'change', 'body', json_object('taskId', g.parent_up_id, 'action', 'UPSCALE', 'index', 1 + g.n % 4))
              when 'VARIATION' then json_object('route', 'action', 'body', json_object('taskId', g.parent_up_id, 'customId', concat('MJ::JOB::variation::', 1 + g.n % 4, '::', g.hash)))
              else json_object('route', 'describe', 'body', json_object('base64', concat('data:image/png;base64,', repeat('iVBORw0KGgoAAAANSUhEUgAA', 40))))
            end,
            null, if(${done}, floor((g.submit + 41000) / 1000), floor(g.submit / 1000) + 60), if(${done}, 7, 3),
            floor(g.submit / 1000), if(${done}, floor((g.submit + 41000 + g.n % 20000) / 1000), floor(g.submit / 1000) + 60)
          from (select s.seq as n, ${MJ_BASE_MS} + s.seq * ${MJ_STEP_MS} + (s.seq * 7919) % 10000 as submit,
                  ${mjId('s.seq')} as mj_id, ${upstreamId('s.seq')} as up_id,
                  ${mjId('(s.seq - 1)')} as parent_mj_id, ${upstreamId('(s.seq - 1)')} as parent_up_id,
                  case when s.seq % 20 < 12 then 'IMAGINE' when s.seq % 20 < 17 then 'UPSCALE' when s.seq % 20 < 19 then 'VARIATION' else 'DESCRIBE' end as action,
                  case when s.seq % 50 = 0 then 'IN_PROGRESS' when s.seq % 50 < 4 then 'FAILURE' else 'SUCCESS' end as status,
                  if(s.seq % 20 = 19, '', concat('a lighthouse on a cliff at dusk, volumetric fog, take ', s.seq, ' --ar 16:9 --v 6.1')) as prompt,
                  insert(insert(insert(insert(md5(s.seq), 21, 0, '-'), 17, 0, '-'), 13, 0, '-'), 9, 0, '-') as hash
                from seq_1_to_${rows} s) g`,
    values: [userId],
    timeout: timeoutMs,
  });
}

/** Phones of the device-task load: tasks are spread evenly over them. */
export const DEVICE_SERIALS = 20;
export const serialOf = (n: number) => `emulator-${5554 + 2 * (n % DEVICE_SERIALS)}`;
export const SCRIPTS = ['post', 'follow', 'unfollow', 'account_warmup', 'comment', 'login', 'profile', 'match_account'];

/**
 * `rows` device tasks over DEVICE_SERIALS phones, the eight scripts in turn, 10% from the UI;
 * 85% completed, 10% failed, 3% pending, 2% running; one a minute, times in milliseconds.
 */
export async function loadDeviceTasks(pool: mysql.Pool, rows: number, timeoutMs: number): Promise<void> {
  const scripts = `elt(1 + g.n % 8, ${SCRIPTS.map((s) => `'${s}'`).join(', ')})`;
  await pool.query({
    sql: `insert into device_tasks (serial, username, script_name, script_config, status, remark, source, retry_count,
            min_interval_seconds, max_interval_seconds, run_at, started_at, ended_at, workflow_id, dispatched_at, seq, created_at, updated_at)
          select concat('emulator-', 5554 + 2 * (g.n % ${DEVICE_SERIALS})), null, ${scripts},
            json_object('target_users', json_array(concat('user_', g.n % 997)), 'like_probability', 30),
            g.status, if(g.status = 3, 'element not found: follow button', ''), if(g.n % 10 = 0, 'ui', 'api'), 0, 0, 0, null,
            if(g.status = 0, null, g.at + 1000), if(g.status in (2, 3), g.at + 61000, null), concat('device-', g.n), g.at, 3, g.at, g.at + 61000
          from (select s.seq as n, ${MJ_BASE_MS} + s.seq * 60000 as at,
                  case when s.seq % 100 < 3 then 0 when s.seq % 100 < 5 then 1 when s.seq % 100 < 15 then 3 else 2 end as status
                from seq_1_to_${rows} s) g`,
    timeout: timeoutMs,
  });
}

/** The counter cells and id blocks of everything loaded, as the migration fills them, then fresh index statistics. */
export async function fillCounts(pool: mysql.Pool, timeoutMs: number): Promise<void> {
  for (const sql of [...BACKFILL_COUNTS_SQL, ...BACKFILL_BLOCKS_SQL]) await pool.query({ sql, timeout: timeoutMs });
  for (const table of ['tasks', 'midjourneys', 'device_tasks']) await pool.query({ sql: `analyze table ${table}`, timeout: timeoutMs });
}
