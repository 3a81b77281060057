import type { ZodError, ZodType } from 'zod';
import { AppError } from '../errors';

/** Flattens a zod error into `{"<path>": "<message>"}`, the shape every 400 answer uses. */
export function fieldErrors(error: ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = issue.path.length ? issue.path.map(String).join('.') : '(root)';
    fields[path] ??= issue.message;
  }
  return fields;
}

/** Parses `input` with `schema` or throws `invalid_request` naming every bad field. */
export function parseOrThrow<T>(schema: ZodType<T>, input: unknown, what: string): T {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new AppError('invalid_request', `Invalid ${what}.`, { fields: fieldErrors(result.error) });
  }
  return result.data;
}
