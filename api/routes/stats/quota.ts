import { defineRoute } from '../../route';
import { dailySpend, quotaStatsQuery } from '../../schemas/stats';
import { statsUserId } from './scope';

const DAY_MS = 86_400_000;

export default defineRoute({
  method: 'get',
  path: '/api/stats/quota',
  family: 'newapi',
  access: 'user',
  tag: 'stats',
  summary: 'Quota charged, refunded and spent per day over the last `days`, from the ledger; days without charges are left out',
  query: quotaStatsQuery,
  response: dailySpend,
  async handler({ query, caller, deps }) {
    const offset = query.utc_offset * 60_000;
    const today = Math.floor((Date.now() + offset) / DAY_MS) * DAY_MS - offset;
    const sinceMs = today - (query.days - 1) * DAY_MS;
    return deps.services.stats.quotaPerDay({ userId: statsUserId(caller.user, query.scope), sinceMs, offsetMinutes: query.utc_offset });
  },
});
