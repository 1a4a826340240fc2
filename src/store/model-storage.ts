// The model cache as the views see it (the storage panel): views reach browser storage only through
// the store layer (eslint.config.js), so the cache is opened here.
import { openModelCache, type CachedSetRecord } from '../storage/model-cache';

export type { CachedSetRecord };

/** The model cache, or null where Cache Storage is unavailable. */
export const openModelCacheForViews = openModelCache;
