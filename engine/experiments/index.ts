/**
 * Experiments on the user's own graph and data (issue #8): cross-validation, the learning-rate range
 * test, the standardization study, gradient flow at initialisation and repeated runs over seeds.
 * Each one drives the ordinary training session (engine/session/run) or, where it must step the
 * model itself, builds the model exactly as a session does (./model). Platform-neutral.
 */
export * from './common';
export * from './cross-validate';
export * from './lr-finder';
export * from './standardization';
export * from './gradient-flow';
export * from './seeds';
export { initialModel, type InitialModel } from './model';
