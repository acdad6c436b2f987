/** What the server's parts log through (pino's child loggers in production). */
export interface Logger {
  debug?(o: object, m?: string): void;
  info(o: object, m?: string): void;
  warn(o: object, m?: string): void;
  error(o: object, m?: string): void;
}
