import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes every task workflow keeps current, so an operator
 * can filter the Temporal UI with e.g. `TaskKind="suno" AND TaskStatus="FAILURE"`.
 * Workflows set them; `temporal/search-attributes.ts` registers them on a cluster.
 */
export const TaskKind = defineSearchAttributeKey('TaskKind', SearchAttributeType.KEYWORD);
/** Generation action (MUSIC, IMAGINE, …) or device script name (post, follow, …). */
export const TaskAction = defineSearchAttributeKey('TaskAction', SearchAttributeType.KEYWORD);
export const TaskStatus = defineSearchAttributeKey('TaskStatus', SearchAttributeType.KEYWORD);
export const TaskUserId = defineSearchAttributeKey('TaskUserId', SearchAttributeType.INT);
export const TaskChannelId = defineSearchAttributeKey('TaskChannelId', SearchAttributeType.INT);
export const TaskDevice = defineSearchAttributeKey('TaskDevice', SearchAttributeType.KEYWORD);
