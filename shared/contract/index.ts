export * from './api';
export * from './contract';
export * from './result';
export * from './views';
