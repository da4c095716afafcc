/** Public entry of the metrics module: classification, ROC/AUC and regression metrics on plain arrays. */
export * from './classification';
export * from './roc';
export * from './regression';
