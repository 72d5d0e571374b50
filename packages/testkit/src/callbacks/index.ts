export * from './callback-receiver';
