/**
 * Regression metrics on plain arrays: MAE, RMSE, R². Multi-output targets are row-major [rows, outputs];
 * R² is computed per output and averaged uniformly (scikit-learn's 'uniform_average'); MAE/RMSE average over
 * all values.
 */

function check(pred: ArrayLike<number>, target: ArrayLike<number>, where: string): void {
  if (pred.length !== target.length)
    throw new RangeError(
      `${where}: predictions have ${pred.length} values but targets have ${target.length}`,
    );
  if (pred.length === 0) throw new RangeError(`${where}: no values to score`);
}

/** Mean absolute error (1/n) Σ |ŷ − y|, in the target's units. */
export function mae(pred: ArrayLike<number>, target: ArrayLike<number>): number {
  check(pred, target, 'mae');
  let s = 0;
  for (let i = 0; i < pred.length; i++) s += Math.abs(pred[i] - target[i]);
  return s / pred.length;
}

/** Root mean squared error √((1/n) Σ (ŷ − y)²), in the target's units. */
export function rmse(pred: ArrayLike<number>, target: ArrayLike<number>): number {
  check(pred, target, 'rmse');
  let s = 0;
  for (let i = 0; i < pred.length; i++) s += (pred[i] - target[i]) ** 2;
  return Math.sqrt(s / pred.length);
}

/**
 * Coefficient of determination R² = 1 − SS_res/SS_tot per output, averaged over outputs.
 * A constant target column gives 1 when predicted exactly and 0 otherwise (scikit-learn's convention).
 * @param outputs number of columns in the row-major arrays (default 1).
 */
export function r2(pred: ArrayLike<number>, target: ArrayLike<number>, outputs = 1): number {
  check(pred, target, 'r2');
  if (!Number.isInteger(outputs) || outputs < 1 || pred.length % outputs !== 0)
    throw new RangeError(`r2: ${pred.length} values do not form rows of ${outputs} outputs`);
  const rows = pred.length / outputs;
  let total = 0;
  for (let c = 0; c < outputs; c++) {
    let mean = 0;
    for (let r = 0; r < rows; r++) mean += target[r * outputs + c];
    mean /= rows;
    let res = 0;
    let tot = 0;
    for (let r = 0; r < rows; r++) {
      const y = target[r * outputs + c];
      res += (y - pred[r * outputs + c]) ** 2;
      tot += (y - mean) ** 2;
    }
    total += tot === 0 ? (res === 0 ? 1 : 0) : 1 - res / tot;
  }
  return total / outputs;
}
