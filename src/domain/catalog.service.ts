import type { ProductCache, ProductSummary } from '../storage/product-cache';
import type { WooClient } from '../integrations/woocommerce/woo-client';

/**
 * Product names, prices and images for offers. Served from the cache; misses are fetched
 * from WooCommerce within a time budget so that a slow store never holds up a page. A fetch
 * that outlives the budget still fills the cache for the next request.
 */
export function createCatalog(deps: { cache: ProductCache; woo: Pick<WooClient, 'getProduct'>; onError?: (err: unknown) => void }) {
  async function fetchAndCache(id: number): Promise<ProductSummary | null> {
    try {
      const product = await deps.woo.getProduct(id);
      if (product) await deps.cache.put(product);
      return product;
    } catch (err) {
      deps.onError?.(err);
      return null;
    }
  }

  return {
    async products(ids: number[], budgetMs: number): Promise<ProductSummary[]> {
      const unique = [...new Set(ids)];
      const cached = await deps.cache.getMany(unique);
      const missing = unique.filter((id) => !cached.has(id));
      if (missing.length === 0) return [...cached.values()];
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<(ProductSummary | null)[]>((resolve) => {
        timer = setTimeout(() => resolve([]), budgetMs);
      });
      const fetched = await Promise.race([Promise.all(missing.map(fetchAndCache)), timeout]);
      clearTimeout(timer);
      return [...cached.values(), ...fetched.filter((p): p is ProductSummary => p !== null)];
    },
  };
}

export type Catalog = ReturnType<typeof createCatalog>;
