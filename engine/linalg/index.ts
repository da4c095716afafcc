/** Public API of the float64 linear algebra used by whitening, Newton methods and RBF fitting. */
export { symmetricEigen, type SymmetricEigen } from './eigh';
export { cholesky, choleskySolve, leastSquares } from './cholesky';
