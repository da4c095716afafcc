/** Public entry of engine/nn: activations (registry, scalar and tensor forms) and layers (specs and forward). */
export * from './activations/scalar';
export * from './activations/tensor';
export * from './layers/specs';
export * from './layers/forward';
export { erf as erfScalar64, erfc as erfcScalar64, normalCdf, normalPdf } from './special';
