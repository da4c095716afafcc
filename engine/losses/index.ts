/** Public entry of the losses module (see losses.ts) and its registry for the editor palette. */
export * from './losses';
export * from './registry';
