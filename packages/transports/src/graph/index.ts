export * from './graph-transport';
export * from './classify-graph-error';
export * from './compose-mime';
