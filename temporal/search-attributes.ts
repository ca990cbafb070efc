import { SearchAttributeType } from '@temporalio/common';
import { TaskAction, TaskChannelId, TaskDevice, TaskKind, TaskStatus, TaskUserId } from '../workflows/search-attributes';

export { TaskAction, TaskChannelId, TaskDevice, TaskKind, TaskStatus, TaskUserId };

/**
 * Every custom search attribute taskhub's workflows set. They are registered by the
 * embedded dev server's flags, by the worker at start-up against any cluster, and by
 * docker-compose's setup step.
 */
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
