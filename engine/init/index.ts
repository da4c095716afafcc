/** Public entry of the initializers module (see initializers.ts). */
export * from './initializers';
