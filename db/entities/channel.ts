import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** new-api channel type numbers for the upstreams taskhub relays to. */
export const ChannelType = { midjourney: 2, midjourneyPlus: 5, suno: 36 } as const;
export const CHANNEL_TYPES: readonly number[] = Object.values(ChannelType);

export const ChannelStatus = { enabled: 1, manuallyDisabled: 2, autoDisabled: 3 } as const;

export const Channel = defineEntity({
  name: 'Channel',
  tableName: 'channels',
  properties: {
    id: p.integer().primary().autoincrement(),
    type: p.integer(),
    name: p.string().length(128),
    /** The upstream credential; sent upstream, never returned by the API. */
    key: p.text(),
    baseUrl: p.string().length(512),
    status: p.smallint().default(ChannelStatus.enabled),
    priority: p.bigint('number').default(0),
    weight: p.integer().default(0),
    usedQuota: p.bigint('number').default(0),
    createdTime: p.bigint('number'),
    updatedTime: p.bigint('number'),
  },
  indexes: [{ properties: ['type', 'status'] }],
});

export type IChannel = InferEntity<typeof Channel>;
