import type mysql from 'mysql2/promise';
import type { Services } from '../../services';
import type { PagePlan } from '../../services/listing/page';
import { pageRequest } from '../../services/paging';
import { mjIdOf, mjSubmitTimeOf, serialOf, TASK_BASE_S, taskIdOf } from './listing-data';
import { scalar } from './mysql';

export type Who = 'user' | 'root' | 'local';

export interface Case {
  /** Listing it belongs to; deep and filtered cases are compared with that listing's first case. */
  listing: string;
  label: string;
  path: string;
  who: Who;
  /** The SQL list() sends for this page. */
  sql(): PagePlan;
  /** Expected total (COUNT(*) over the rows, or bounded as list() bounds it) and page length. */
  expect: { total: () => Promise<number>; items: number; ids?: () => Promise<number[]> };
}

export interface CaseContext {
  services: Services;
  pool: mysql.Pool;
  userId: number;
  /** Rows per table, as loaded. */
  rows: number;
  timeoutMs: number;
}

/**
 * Every case of the listing benchmark: the path a client asks for, the SQL list() sends for that
 * page, and what the answer must hold (checked once before measuring).
 */
export function buildCases({ services, pool, userId, rows: ROWS, timeoutMs: QUERY_TIMEOUT_MS }: CaseContext): Case[] {
  const count =
    (sql: string, values: unknown[] = []) =>
    () =>
      scalar(pool, sql, values, QUERY_TIMEOUT_MS);
  const offsetIds = (sql: string, values: unknown[]) => async () => {
    const [rows] = await pool.query<mysql.RowDataPacket[]>({ sql, values, timeout: QUERY_TIMEOUT_MS });
    return rows.map((r) => Number(r.id));
  };
  const page = (p: number, size = 10) => pageRequest(p, size);
  const deep = 5000;
  const deepOffset = (deep - 1) * 10;
  // One day, about half-way back: rows n .. n + 2879 (one every 30 s).
  const dayRow = Math.floor(ROWS / 2);
  const dayFrom = TASK_BASE_S + dayRow * 30;
  const dayTo = dayFrom + 86_399;
  const midTask = taskIdOf(dayRow);
  const mjDayFrom = mjSubmitTimeOf(dayRow) - 1;
  const mjDayTo = mjSubmitTimeOf(dayRow + 2879) + 1;
  const midMj = mjIdOf(dayRow);
  const t = services.tasks;
  const m = services.midjourney;
  const d = services.deviceTasks;
  const u = { userId };
  const tasksOf = (where: string, values: unknown[] = []) => count(`select count(*) from tasks where user_id = ? ${where}`, [userId, ...values]);
  return [
    {
      listing: 'task/self',
      label: 'task/self first page',
      path: '/api/task/self?p=1&page_size=10',
      who: 'user',
      sql: () => t.listSql(u, page(1)),
      expect: { total: tasksOf(''), items: 10 },
    },
    {
      listing: 'task/self',
      label: `task/self deep page p=${deep}`,
      path: `/api/task/self?p=${deep}&page_size=10`,
      who: 'user',
      sql: () => t.listSql(u, page(deep)),
      expect: {
        total: tasksOf(''),
        items: 10,
        ids: offsetIds(`select id from tasks where user_id = ? order by id desc limit 10 offset ${deepOffset}`, [userId]),
      },
    },
    {
      listing: 'task/self',
      label: 'task/self status=FAILURE',
      path: '/api/task/self?p=1&page_size=10&status=FAILURE',
      who: 'user',
      sql: () => t.listSql({ ...u, status: 'FAILURE' }, page(1)),
      expect: { total: tasksOf("and status = 'FAILURE'"), items: 10 },
    },
    {
      listing: 'task/self',
      label: `task/self status=FAILURE p=${deep}`,
      path: `/api/task/self?p=${deep}&page_size=10&status=FAILURE`,
      who: 'user',
      sql: () => t.listSql({ ...u, status: 'FAILURE' }, page(deep)),
      expect: {
        total: tasksOf("and status = 'FAILURE'"),
        items: 10,
        ids: offsetIds(`select id from tasks where user_id = ? and status = 'FAILURE' order by id desc limit 10 offset ${deepOffset}`, [userId]),
      },
    },
    {
      listing: 'task/self',
      label: 'task/self action=LYRICS',
      path: '/api/task/self?p=1&page_size=10&action=LYRICS',
      who: 'user',
      sql: () => t.listSql({ ...u, action: 'LYRICS' }, page(1)),
      expect: { total: tasksOf("and action = 'LYRICS'"), items: 10 },
    },
    {
      listing: 'task/self',
      label: 'task/self platform=suno',
      path: '/api/task/self?p=1&page_size=10&platform=suno',
      who: 'user',
      sql: () => t.listSql({ ...u, platform: 'suno' }, page(1)),
      expect: { total: tasksOf("and platform = 'suno'"), items: 10 },
    },
    {
      listing: 'task/self',
      label: 'task/self status=SUCCESS&action=MUSIC',
      path: '/api/task/self?p=1&page_size=10&status=SUCCESS&action=MUSIC',
      who: 'user',
      sql: () => t.listSql({ ...u, status: 'SUCCESS', action: 'MUSIC' }, page(1)),
      expect: { total: tasksOf("and status = 'SUCCESS' and action = 'MUSIC'"), items: 10 },
    },
    {
      listing: 'task/self',
      label: 'task/self one day (start/end_timestamp)',
      path: `/api/task/self?p=1&page_size=10&start_timestamp=${dayFrom}&end_timestamp=${dayTo}`,
      who: 'user',
      sql: () => t.listSql({ ...u, startTimestamp: dayFrom, endTimestamp: dayTo }, page(1)),
      expect: { total: tasksOf('and submit_time between ? and ?', [dayFrom, dayTo]), items: 10 },
    },
    {
      listing: 'task/self',
      label: 'task/self task_id=<one>',
      path: `/api/task/self?p=1&page_size=10&task_id=${midTask}`,
      who: 'user',
      sql: () => t.listSql({ ...u, taskId: midTask }, page(1)),
      expect: { total: async () => 1, items: 1 },
    },
    {
      listing: 'task/ (admin)',
      label: 'task/ (admin) first page',
      path: '/api/task/?p=1&page_size=10',
      who: 'root',
      sql: () => t.listSql({}, page(1)),
      expect: { total: count('select count(*) from tasks'), items: 10 },
    },
    {
      listing: 'task/ (admin)',
      label: 'task/ (admin) status=FAILURE',
      path: '/api/task/?p=1&page_size=10&status=FAILURE',
      who: 'root',
      sql: () => t.listSql({ status: 'FAILURE' }, page(1)),
      expect: { total: count("select count(*) from tasks where status = 'FAILURE'"), items: 10 },
    },
    {
      listing: 'task/ (admin)',
      label: 'task/ (admin) channel_id=1',
      path: '/api/task/?p=1&page_size=10&channel_id=1',
      who: 'root',
      sql: () => t.listSql({ channelId: 1 }, page(1)),
      expect: { total: count('select count(*) from tasks where channel_id = 1'), items: 10 },
    },
    {
      listing: 'mj/self',
      label: 'mj/self first page',
      path: '/api/mj/self?p=1&page_size=10',
      who: 'user',
      sql: () => m.listSql(u, page(1)),
      expect: { total: count('select count(*) from midjourneys where user_id = ?', [userId]), items: 10 },
    },
    {
      listing: 'mj/self',
      label: `mj/self deep page p=${deep}`,
      path: `/api/mj/self?p=${deep}&page_size=10`,
      who: 'user',
      sql: () => m.listSql(u, page(deep)),
      expect: {
        total: count('select count(*) from midjourneys where user_id = ?', [userId]),
        items: 10,
        ids: offsetIds(`select id from midjourneys where user_id = ? order by id desc limit 10 offset ${deepOffset}`, [userId]),
      },
    },
    {
      listing: 'mj/self',
      label: 'mj/self mj_id=<one>',
      path: `/api/mj/self?p=1&page_size=10&mj_id=${midMj}`,
      who: 'user',
      sql: () => m.listSql({ ...u, mjId: midMj }, page(1)),
      expect: { total: async () => 1, items: 1 },
    },
    {
      listing: 'mj/self',
      label: 'mj/self one day (start/end_timestamp)',
      path: `/api/mj/self?p=1&page_size=10&start_timestamp=${mjDayFrom}&end_timestamp=${mjDayTo}`,
      who: 'user',
      sql: () => m.listSql({ ...u, startTimestamp: mjDayFrom, endTimestamp: mjDayTo }, page(1)),
      expect: { total: async () => 2880, items: 10 },
    },
    {
      listing: 'mj/ (admin)',
      label: 'mj/ (admin) first page',
      path: '/api/mj/?p=1&page_size=10',
      who: 'root',
      sql: () => m.listSql({}, page(1)),
      expect: { total: count('select count(*) from midjourneys'), items: 10 },
    },
    {
      listing: 'mj/ (admin)',
      label: 'mj/ (admin) channel_id=1',
      path: '/api/mj/?p=1&page_size=10&channel_id=1',
      who: 'root',
      sql: () => m.listSql({ channelId: 1 }, page(1)),
      expect: { total: count('select count(*) from midjourneys where channel_id = 1'), items: 10 },
    },
    {
      listing: 'v1/task',
      label: 'v1/task first page',
      path: '/api/v1/task?page=1&page_size=20',
      who: 'local',
      sql: () => d.listSql({}, page(1, 20)),
      expect: { total: count('select count(*) from device_tasks'), items: 20 },
    },
    {
      listing: 'v1/task',
      label: 'v1/task deep page page=2500',
      path: '/api/v1/task?page=2500&page_size=20',
      who: 'local',
      sql: () => d.listSql({}, page(2500, 20)),
      expect: {
        total: count('select count(*) from device_tasks'),
        items: 20,
        ids: offsetIds('select id from device_tasks order by id desc limit 20 offset 49980', []),
      },
    },
    {
      listing: 'v1/task',
      label: 'v1/task status=3',
      path: '/api/v1/task?page=1&page_size=20&status=3',
      who: 'local',
      sql: () => d.listSql({ status: 3 }, page(1, 20)),
      expect: { total: count('select count(*) from device_tasks where status = 3'), items: 20 },
    },
    {
      listing: 'v1/task',
      label: 'v1/task serial=<one of 20>',
      path: `/api/v1/task?page=1&page_size=20&serial=${serialOf(0)}`,
      who: 'local',
      sql: () => d.listSql({ serial: serialOf(0) }, page(1, 20)),
      expect: { total: count('select count(*) from device_tasks where serial = ?', [serialOf(0)]), items: 20 },
    },
    {
      listing: 'v1/task',
      label: 'v1/task script_name=follow',
      path: '/api/v1/task?page=1&page_size=20&script_name=follow',
      who: 'local',
      sql: () => d.listSql({ scriptName: 'follow' }, page(1, 20)),
      expect: { total: count("select count(*) from device_tasks where script_name = 'follow'"), items: 20 },
    },
    {
      listing: 'v1/task',
      label: 'v1/task source=ui',
      path: '/api/v1/task?page=1&page_size=20&source=ui',
      who: 'local',
      sql: () => d.listSql({ source: 'ui' }, page(1, 20)),
      expect: { total: count("select count(*) from device_tasks where source = 'ui'"), items: 20 },
    },
  ];
}
