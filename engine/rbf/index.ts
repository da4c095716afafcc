/** Public API of the RBF networks (see rbf.ts for the model and training recipes). */
export * from './centres';
export * from './widths';
export * from './rbf';
