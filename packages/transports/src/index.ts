export * from './transport';
export * from './webhook';
