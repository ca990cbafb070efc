import type { remote } from 'webdriverio';
import { factsOf, isNoSuchElement } from './errors';
import type { Locator } from './types';

/** Finding elements over webdriverio and reading them back, for the session commands. */

export type Driver = Awaited<ReturnType<typeof remote>>;

const ELEMENT_KEY = 'element-6066-11e4-a52b-4f6f6c1c1ed3';

/** The element id in a W3C (or legacy JSONWP) element reference. */
export function elementIdOf(ref: Record<string, unknown> | undefined): string | undefined {
  const id = ref?.[ELEMENT_KEY] ?? ref?.ELEMENT;
  return typeof id === 'string' ? id : undefined;
}

/** One lookup, no waiting: the element's id, or undefined when there is none. */
export async function findElementId(driver: Driver, locator: Locator): Promise<string | undefined> {
  try {
    const ref = (await driver.findElement(locator.using, locator.value)) as unknown as Record<string, unknown> | undefined;
    const id = elementIdOf(ref);
    if (id !== undefined) return id;
    // webdriverio hands a 404 "no such element" back as the value rather than throwing
    if (ref && typeof ref.error === 'string' && ref.error !== 'no such element') {
      throw Object.assign(new Error(typeof ref.message === 'string' ? ref.message : ref.error), { name: ref.error });
    }
    return undefined;
  } catch (err) {
    if (isNoSuchElement(factsOf(err))) return undefined;
    throw err;
  }
}

/** Every element `locator` finds, as references (read their ids with `elementIdOf`). */
export async function findElementRefs(driver: Driver, locator: Locator): Promise<Record<string, unknown>[]> {
  return (await driver.findElements(locator.using, locator.value)) as unknown as Record<string, unknown>[];
}

/**
 * The `text` attribute of every element with this resource id, read from the page
 * source. Only id locators: this path exists for drivers whose Get Element Text ignores
 * the attribute (the fake driver), where evaluating arbitrary XPath locally is not worth it.
 */
export async function textsFromSource(driver: Driver, locator: Locator): Promise<string[]> {
  if (locator.using !== 'id') return [];
  const source = await driver.getPageSource();
  const texts: string[] = [];
  for (const [tag] of source.matchAll(/<[A-Za-z][^<>]*>/g)) {
    const id = /\s(?:resource-id|id)="([^"]*)"/.exec(tag)?.[1];
    if (id === undefined || decodeXml(id) !== locator.value) continue;
    texts.push(decodeXml(/\stext="([^"]*)"/.exec(tag)?.[1] ?? ''));
  }
  return texts;
}

function decodeXml(value: string): string {
  return value.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, entity: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
    if (entity.toLowerCase() in named) return named[entity.toLowerCase()]!;
    const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
    return String.fromCodePoint(code);
  });
}
