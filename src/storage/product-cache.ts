import type { RedisClient } from './redis';
import type { ProductSummary } from '../integrations/woocommerce/woo-client';
import { TTL, type Keys } from './keys';

export type { ProductSummary };

export interface ProductCache {
  getMany(ids: number[]): Promise<Map<number, ProductSummary>>;
  put(product: ProductSummary): Promise<void>;
}

/** Product summaries from WooCommerce, cached so that the thank-you page needs no REST call. */
export function createProductCache(redis: RedisClient, keys: Keys): ProductCache {
  return {
    async getMany(ids) {
      const found = new Map<number, ProductSummary>();
      if (ids.length === 0) return found;
      const rows = await redis.mget(...ids.map((id) => keys.product(id)));
      rows.forEach((json, i) => {
        if (json) found.set(ids[i]!, JSON.parse(json) as ProductSummary);
      });
      return found;
    },
    async put(product) {
      await redis.set(keys.product(product.id), JSON.stringify(product), 'EX', TTL.productSeconds);
    },
  };
}
