export * from './games';
export * from './schemas';
export * from './trade-url';
