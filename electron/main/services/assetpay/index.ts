export * from './outcome';
export * from './client';
export * from './rate-limiter';
export * from './backoff';
export * from './clock';
