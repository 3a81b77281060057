import { AppError } from '../../src/errors';

/** Runs `fn`, expects it to throw an AppError, and returns it for further checks. */
export function appErrorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected an AppError to be thrown');
}
