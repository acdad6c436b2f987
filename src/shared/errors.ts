/** An error the API turns into a clear 4xx: nothing was changed. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    /** extra fields for the response body, e.g. which field and value were wrong */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** `what` is the Chinese name of the thing looked for: 工单 → 工单不存在 */
export const notFound = (what: string) => new HttpError(404, 'not_found', `${what}不存在`);
export const conflict = (message: string) => new HttpError(409, 'conflict', message);
export const badRequest = (message: string) => new HttpError(400, 'bad_request', message);
export const forbidden = (message = '您的角色无权执行此操作') => new HttpError(403, 'forbidden', message);
