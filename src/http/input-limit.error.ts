/**
 * A request the service will not process because of its shape (too many fields, nested too
 * deep) or its body's encoding (compressed, not UTF-8): a 400 whose message names the limit,
 * never the input.
 */
export class InputLimitError extends Error {
  constructor(readonly problem: string) {
    super(problem);
    this.name = 'InputLimitError';
  }
}
