import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes every task workflow keeps current, so an operator
 * can filter the Temporal UI with e.g. `TaskKind="suno" AND TaskStatus="FAILURE"`.
 * They are registered by the embedded dev server's flags, by the worker at
 * start-up against any cluster, and by docker-compose's setup step.
 */
export const TaskKind = defineSearchAttributeKey('TaskKind', SearchAttributeType.KEYWORD);
/** Generation action (MUSIC, IMAGINE, …) or device script name (post, follow, …). */
export const TaskAction = defineSearchAttributeKey('TaskAction', SearchAttributeType.KEYWORD);
export const TaskStatus = defineSearchAttributeKey('TaskStatus', SearchAttributeType.KEYWORD);
export const TaskUserId = defineSearchAttributeKey('TaskUserId', SearchAttributeType.INT);
export const TaskChannelId = defineSearchAttributeKey('TaskChannelId', SearchAttributeType.INT);
export const TaskDevice = defineSearchAttributeKey('TaskDevice', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [TaskKind, TaskAction, TaskStatus, TaskUserId, TaskChannelId, TaskDevice];

/** Names as the Temporal CLI spells the types (`--search-attribute Name=Type`). */
const CLI_TYPE: Record<SearchAttributeType, string> = {
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
};

export function searchAttributeCliFlags(): string[] {
  return SEARCH_ATTRIBUTES.flatMap((k) => ['--search-attribute', `${k.name}=${CLI_TYPE[k.type]}`]);
}
