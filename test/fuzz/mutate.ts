import fc from 'fast-check';
import { nastyJson } from './support';

/** One step into a JSON value: an object key or an array index. */
type Step = string | number;

/** Every path to a value inside `json` (the root is `[]`), depth first. */
export function pathsOf(json: unknown, prefix: Step[] = []): Step[][] {
  const paths: Step[][] = [prefix];
  if (Array.isArray(json)) json.forEach((item, i) => paths.push(...pathsOf(item, [...prefix, i])));
  else if (json !== null && typeof json === 'object') {
    for (const [key, value] of Object.entries(json)) paths.push(...pathsOf(value, [...prefix, key]));
  }
  return paths;
}

/** What to do at the chosen path. */
export type Mutation =
  | { op: 'replace'; value: unknown }
  | { op: 'delete' }
  | { op: 'wrap'; kind: 'array' | 'object' }
  | { op: 'stringify' };

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: nastyJson(3).map((value) => ({ op: 'replace' as const, value })) },
  { weight: 2, arbitrary: fc.constant({ op: 'delete' as const }) },
  { weight: 1, arbitrary: fc.constantFrom('array' as const, 'object' as const).map((kind) => ({ op: 'wrap' as const, kind })) },
  { weight: 1, arbitrary: fc.constant({ op: 'stringify' as const }) },
);

/** A copy of `json` with `mutation` applied at `path` (the root may be replaced too). */
export function mutate(json: unknown, path: Step[], mutation: Mutation): unknown {
  const apply = (current: unknown): unknown => {
    switch (mutation.op) {
      case 'replace':
        return mutation.value;
      case 'wrap':
        return mutation.kind === 'array' ? [current] : { value: current };
      case 'stringify':
        return JSON.stringify(current);
      case 'delete':
        return undefined;
    }
  };
  if (path.length === 0) return apply(json) ?? null;
  const copy = structuredClone(json) as Record<Step, unknown>;
  let parent = copy;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<Step, unknown>;
  const last = path[path.length - 1]!;
  const next = apply(parent[last]);
  if (next === undefined) {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else parent[last] = next;
  return copy;
}

/** Up to `max` mutations of `base`, each at a path of the value as it stands then. */
export const mutatedArb = (base: unknown, max = 3): fc.Arbitrary<unknown> =>
  fc.array(fc.tuple(fc.nat(), mutationArb), { minLength: 1, maxLength: max }).map((steps) =>
    steps.reduce((json, [pick, mutation]) => {
      const paths = pathsOf(json);
      return mutate(json, paths[pick % paths.length]!, mutation);
    }, base),
  );

/**
 * JSON text of `json` with a duplicate of one top-level key put first: `JSON.parse` keeps the
 * last, PHP's json_decode too, but a careless parser may keep the first.
 */
export function withDuplicateKey(json: Record<string, unknown>, key: string, first: unknown): string {
  const text = JSON.stringify(json);
  const rest = text === '{}' ? '}' : `,${text.slice(1)}`;
  return `{${JSON.stringify(key)}:${JSON.stringify(first) ?? 'null'}${rest}`;
}
