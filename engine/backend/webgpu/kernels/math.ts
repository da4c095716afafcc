/**
 * WGSL helpers for the transcendental primitives, written for float32 accuracy in the tails,
 * because WGSL's built-ins are loose there (tanh may overflow through sinh/cosh; there is no
 * log1p, expm1 or erf). Formulas: tanh via e^{−2|x|} with a Taylor series near 0; sigmoid in
 * the branch that never exponentiates a large positive number; log1p and expm1 by Kahan's
 * correction (Goldberg 1991, "What every computer scientist should know about floating-point",
 * Theorem 4); erf by its Maclaurin series for |x| < 0.5 and Abramowitz & Stegun 7.1.26
 * (|error| < 1.5e−7) beyond.
 */
export const MATH = /* wgsl */ `
fn tanh_s(x: f32) -> f32 {
  let a = abs(x);
  if (a < 0.125) {
    let x2 = x * x;
    return x * (1.0 + x2 * (-1.0 / 3.0 + x2 * (2.0 / 15.0 + x2 * (-17.0 / 315.0))));
  }
  let t = exp(-2.0 * a);
  let y = (1.0 - t) / (1.0 + t);
  return select(-y, y, x >= 0.0);
}
fn sigmoid_s(x: f32) -> f32 {
  if (x >= 0.0) { return 1.0 / (1.0 + exp(-x)); }
  let e = exp(x);
  return e / (1.0 + e);
}
fn log1p_s(x: f32) -> f32 {
  let u = 1.0 + x;
  if (u == 1.0) { return x; }
  return log(u) * (x / (u - 1.0));
}
fn expm1_s(x: f32) -> f32 {
  if (abs(x) < 1e-5) { return x + 0.5 * x * x; }
  let u = exp(x);
  if (u == 1.0) { return x; }
  let um = u - 1.0;
  if (um == -1.0) { return -1.0; }
  if (x > 80.0) { return u; }
  return um * (x / log(u));
}
fn erf_s(x: f32) -> f32 {
  let a = abs(x);
  if (a < 0.5) {
    let z = x * x;
    return 1.1283791670955126 * x *
      (1.0 + z * (-1.0 / 3.0 + z * (1.0 / 10.0 + z * (-1.0 / 42.0 + z * (1.0 / 216.0 + z * (-1.0 / 1320.0))))));
  }
  let t = 1.0 / (1.0 + 0.3275911 * a);
  let poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  let y = 1.0 - poly * exp(-a * a);
  return select(-y, y, x >= 0.0);
}
fn sign_s(x: f32) -> f32 {
  if (x > 0.0) { return 1.0; }
  if (x < 0.0) { return -1.0; }
  return x;
}
`;
