import { api } from './client';
import type { Page, Region, RegionWithPath } from './types';

const PAGE = 100; // the server's largest page of region children
const childrenCache = new Map<string, Promise<Region[]>>();

async function allPages(path: string): Promise<Region[]> {
  const items: Region[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `?limit=${PAGE}` + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : '');
    const page: Page<Region> = await api.get<Page<Region>>(path + query);
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

/** Children of a region, or the provinces when parent is null. Cached per page load. */
export function regionChildren(parent: string | null): Promise<Region[]> {
  const key = parent ?? '';
  let p = childrenCache.get(key);
  if (!p) {
    p = allPages(parent ? `/regions/${encodeURIComponent(parent)}/children` : '/regions');
    // A failed load must be retryable.
    p.catch(() => childrenCache.delete(key));
    childrenCache.set(key, p);
  }
  return p;
}

export function region(code: string): Promise<RegionWithPath> {
  return api.get<RegionWithPath>(`/regions/${encodeURIComponent(code)}`);
}

const pathCache = new Map<string, Promise<RegionWithPath>>();

/** A region with its ancestors, cached per page load (shop cards ask for the same few). */
export function regionWithPath(code: string): Promise<RegionWithPath> {
  let p = pathCache.get(code);
  if (!p) {
    p = region(code);
    p.catch(() => pathCache.delete(code));
    pathCache.set(code, p);
  }
  return p;
}

/** "新疆维吾尔自治区 / 博尔塔拉蒙古自治州 / 精河县 / 托里镇" */
export function pathText(r: RegionWithPath, separator = ' / '): string {
  return [...r.path, r].map((x) => x.name).join(separator);
}
