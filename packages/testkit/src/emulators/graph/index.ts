export * from './graph-emulator';
export * from './graph-errors';
