export * from './parse-item-list';
